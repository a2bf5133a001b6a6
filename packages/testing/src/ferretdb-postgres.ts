// What the PostgreSQL we start gives FerretDB v1 so that a lookup by key is not a scan. FerretDB sends
// every pushed-down equality filter, by `_id` too, as `SELECT _jsonb FROM t WHERE _jsonb->$1 @> $2`,
// which its own btree indexes cannot serve: a GIN index on `(_jsonb->'_id') jsonb_path_ops` can, but
// only in a custom plan, where `$1` is the constant '_id' (FerretDB prepares its statements). Only
// `_id`: the services' other equality filters (`workspaceId`) list a whole workspace, off the event
// path. Measured in ../shared/FERRETDB.md §3a and `pnpm bench:db`. A real MongoDB needs none of this.
import { Client } from 'pg';

/**
 * `CEI_PG_TUNING=0` starts PostgreSQL without any of this, for before/after measurements on a fresh data
 * directory (one that had the set-up keeps its indexes and trigger; only the settings go).
 */
export function ferretdbTuningEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CEI_PG_TUNING;
  if (value === undefined || value === '' || value === '1') return true;
  if (value === '0') return false;
  throw new Error(`CEI_PG_TUNING must be '1' (the default) or '0', not '${value}'`);
}

/**
 * Server settings, given as start options so that every start applies them and an older data
 * directory needs no migration:
 * - custom plans, so that FerretDB's prepared `_jsonb->$1 @> $2` always matches the expression index
 *   (by default a statement may settle on a generic plan, which keeps `$1` and so scans, and keep it);
 * - autovacuum that keeps up with state documents rewritten many times a minute: every rewrite leaves a
 *   dead row version behind, in the table and in each index, until a vacuum (defaults: a check a minute,
 *   and only once a fifth of the table is dead);
 * - cheap statistics: an ANALYZE detoasts and parses every sampled document (300 × the statistics
 *   target), and the statistics steer nothing here (every event-path statement is a lookup by `_id` or an
 *   insert). With the default target (100) and a re-analyze at 5% change, autovacuum's analyzes of the
 *   growing append-only collections (interactions, score changes) were 41% of PostgreSQL's CPU in a
 *   60k-interaction `pnpm bench:pipeline` (its autovacuum log, `log_autovacuum_min_duration = 0`: ANALYZE
 *   28.2 s of CPU, VACUUM 0.35 s); with these two, ANALYZE took 6.2 s;
 * - lz4 for the documents PostgreSQL compresses (those over ~2 KB: a contact's score document holds a
 *   4–8 KB history string and is rewritten at every batch). Its default, pglz, compresses several times
 *   slower: in a 60k/10k `pnpm bench:pipeline` the score documents' UPDATE took 0.065 ms a call with lz4
 *   against 0.114 with pglz (pg_stat_statements, back to back; the uncompressed contacts' UPDATE moved
 *   0.052 against 0.067 with the machine). New rows get it; rows already stored stay readable as they are.
 */
export const FERRETDB_POSTGRES_SETTINGS: Readonly<Record<string, string>> = {
  plan_cache_mode: 'force_custom_plan',
  autovacuum_naptime: '10s',
  autovacuum_vacuum_scale_factor: '0.05',
  autovacuum_analyze_scale_factor: '0.2',
  default_statistics_target: '10',
  autovacuum_vacuum_cost_limit: '1000',
  default_toast_compression: 'lz4',
};

// A collection's table: in a schema FerretDB made for a database (it holds FerretDB's metadata table),
// with the `_jsonb` document column; not FerretDB's own `_ferretdb_*` tables, which it reads whole.
const IS_COLLECTION_TABLE = `
CREATE OR REPLACE FUNCTION public.cei_is_ferretdb_collection(t oid) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
    SELECT 1 FROM pg_class c
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = '_jsonb' AND NOT a.attisdropped
      AND a.atttypid = 'jsonb'::regtype
    WHERE c.oid = t AND c.relkind = 'r' AND c.relname NOT LIKE '\\_ferretdb\\_%'
      AND EXISTS (SELECT 1 FROM pg_class m
                  WHERE m.relnamespace = c.relnamespace AND m.relname = '_ferretdb_database_metadata')
  )
$$`;

// Recognised by what it is, not by name: PostgreSQL names it (<table>_expr_idx, never one of
// FerretDB's <table>_<index>_<hash>_idx names, which FerretDB checks only against its own metadata).
// PostgreSQL prints the indexed expression in parentheses (15 doubles them), so they are not compared.
// Oldest first: earlier versions of this set-up did not recognise their own index and made another
// at every start.
const FIND_ID_INDEXES = `
CREATE OR REPLACE FUNCTION public.cei_ferretdb_id_indexes(t oid) RETURNS SETOF regclass
LANGUAGE sql STABLE AS $$
  SELECT i.indexrelid::regclass FROM pg_index i JOIN pg_opclass o ON o.oid = i.indclass[0]
  WHERE i.indrelid = t AND i.indnatts = 1 AND o.opcname = 'jsonb_path_ops'
    AND regexp_replace(pg_get_indexdef(i.indexrelid, 1, false), '^\\(+|\\)+$', '', 'g') = '_jsonb -> ''_id''::text'
  ORDER BY i.indexrelid
$$`;

const FIND_ID_INDEX = `
CREATE OR REPLACE FUNCTION public.cei_ferretdb_id_index(t oid) RETURNS regclass
LANGUAGE sql STABLE AS $$
  SELECT public.cei_ferretdb_id_indexes(t) LIMIT 1
$$`;

/**
 * Returns the index it created, or null if the table had one. The index keeps no pending list
 * (`fastupdate = off`): a state document's every rewrite adds an entry (the indexed value is in the
 * rewritten column, so the update is never HOT), and with the default every lookup read the whole
 * pending list until a vacuum merged it. A read + positioned replace of 3 KB documents cost PostgreSQL
 * 1.43 ms of CPU with it and 0.33 without (scratch loop, 20k documents, 8 at a time); inserts ran ~8%
 * slower. An index made with the default (an older data directory) is switched and its list merged,
 * and the copies earlier starts made are dropped.
 */
const INDEX_ID = `
CREATE OR REPLACE FUNCTION public.cei_index_ferretdb_id(t oid) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  existing regclass := public.cei_ferretdb_id_index(t);
  copy regclass;
BEGIN
  IF existing IS NOT NULL THEN
    FOR copy IN SELECT public.cei_ferretdb_id_indexes(t) OFFSET 1 LOOP
      EXECUTE format('DROP INDEX %s', copy);
    END LOOP;
    IF NOT coalesce((SELECT 'fastupdate=off' = ANY (reloptions) FROM pg_class WHERE oid = existing), false) THEN
      EXECUTE format('ALTER INDEX %s SET (fastupdate = off)', existing);
      PERFORM gin_clean_pending_list(existing);
    END IF;
    RETURN NULL;
  END IF;
  EXECUTE format('CREATE INDEX ON %s USING gin ((_jsonb -> %L) jsonb_path_ops) WITH (fastupdate = off)', t::regclass, '_id');
  RETURN public.cei_ferretdb_id_index(t)::text;
END
$$`;

// FerretDB creates a collection's table on its first write or index build, in the statement's own
// transaction; the index is built in that same transaction, on an empty table.
const ON_CREATE_TABLE = `
CREATE OR REPLACE FUNCTION public.cei_index_new_ferretdb_table() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE
  created record;
BEGIN
  FOR created IN SELECT objid FROM pg_event_trigger_ddl_commands() WHERE object_type = 'table' LOOP
    IF public.cei_is_ferretdb_collection(created.objid) THEN
      PERFORM public.cei_index_ferretdb_id(created.objid);
    END IF;
  END LOOP;
END
$$`;

const TRIGGER = 'cei_index_new_ferretdb_table';

/** Runs `use` on a connection of its own to `url`, closed afterwards. */
export async function withPostgres<T>(url: string, use: (pg: Client) => Promise<T>): Promise<T> {
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    return await use(pg);
  } finally {
    await pg.end();
  }
}

/**
 * Idempotent, run on every start before FerretDB connects: installs the trigger that indexes each new
 * collection table, and indexes the tables an older data directory already has. Returns the indexes
 * it created.
 */
export function prepareForFerretDB(postgresUrl: string): Promise<string[]> {
  return withPostgres(postgresUrl, async (client) => {
    try {
      await client.query('BEGIN');
      // Two starts on one cluster would wait for each other here, not fail on CREATE EVENT TRIGGER.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [TRIGGER]);
      for (const statement of [IS_COLLECTION_TABLE, FIND_ID_INDEXES, FIND_ID_INDEX, INDEX_ID, ON_CREATE_TABLE])
        await client.query(statement);
      const installed = await client.query('SELECT 1 FROM pg_event_trigger WHERE evtname = $1', [TRIGGER]);
      if (installed.rowCount === 0) {
        await client.query(
          `CREATE EVENT TRIGGER ${TRIGGER} ON ddl_command_end WHEN TAG IN ('CREATE TABLE')
           EXECUTE FUNCTION public.cei_index_new_ferretdb_table()`,
        );
      }
      const { rows } = await client.query<{ created: string | null }>(
        `SELECT public.cei_index_ferretdb_id(c.oid) AS created
         FROM pg_class c WHERE public.cei_is_ferretdb_collection(c.oid)`,
      );
      await client.query('COMMIT');
      return rows.flatMap((row) => (row.created ? [row.created] : []));
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw new Error(`setting up PostgreSQL for FerretDB at ${postgresUrl} failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
  });
}
