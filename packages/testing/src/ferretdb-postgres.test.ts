// The embedded PostgreSQL gives FerretDB's equality lookups an index they can use: checked on the
// query FerretDB v1 itself sends (`SELECT _jsonb FROM t WHERE _jsonb->$1 @> $2`, prepared), for a
// collection created now and for one a data directory had before the set-up existed.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, MongoServerError } from 'mongodb';
import { Client, escapeIdentifier, escapeLiteral } from 'pg';
import { testNamespace } from './clients';
import { ferretdbTuningEnabled, prepareForFerretDB, withPostgres } from './ferretdb-postgres';
import { startFerretDB, startPostgres, type RunningServer } from './servers';

const postgresUrl = process.env.CEI_TEST_POSTGRES_URL;
const mongoUrl = process.env.MONGO_URL;
// Only where this run started FerretDB on PostgreSQL itself: with MONGO_URL or SQLite there is nothing set up.
const onEmbeddedPostgres = postgresUrl ? describe : describe.skip;

const GIN_ON_ID = /USING gin \(\(\(_jsonb -> '_id'::text\)\) jsonb_path_ops\)/;
const DOCUMENTS = 2_000;

/** The table FerretDB keeps a collection in, from its own metadata (`<schema>.<table>`, quoted). */
async function tableOf(pg: Client, database: string, collection: string): Promise<string> {
  const { rows } = await pg.query<{ table: string }>(
    `SELECT _jsonb->>'table' AS table FROM ${escapeIdentifier(database)}._ferretdb_database_metadata
     WHERE _jsonb->>'_id' = $1`,
    [collection],
  );
  if (!rows[0]) throw new Error(`FerretDB has no table for ${database}.${collection}`);
  return `${escapeIdentifier(database)}.${escapeIdentifier(rows[0].table)}`;
}

/** An index's storage options as PostgreSQL lists them (`fastupdate=off`), or [] for none. */
async function optionsOf(pg: Client, index: string): Promise<string[]> {
  const { rows } = await pg.query<{ options: string[] | null }>(
    'SELECT reloptions AS options FROM pg_class WHERE oid = $1::regclass',
    [index],
  );
  return rows[0]?.options ?? [];
}

async function indexesOf(pg: Client, table: string): Promise<{ name: string; definition: string }[]> {
  const { rows } = await pg.query<{ name: string; definition: string }>(
    `SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS definition
     FROM pg_index WHERE indrelid = $1::regclass`,
    [table],
  );
  return rows;
}

/**
 * The plan of FerretDB's lookup by `_id`, prepared as FerretDB prepares it and run a few times first,
 * so that PostgreSQL would have switched to a generic plan if it were allowed to.
 */
async function lookupPlan(pg: Client, table: string, id: string): Promise<string> {
  await pg.query(`PREPARE ferretdb_lookup AS SELECT _jsonb FROM ${table} WHERE _jsonb->$1 @> $2`);
  try {
    const execute = `EXECUTE ferretdb_lookup('_id', ${escapeLiteral(JSON.stringify(id))})`;
    for (let i = 0; i < 6; i++) await pg.query(execute);
    const { rows } = await pg.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${execute}`);
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  } finally {
    await pg.query('DEALLOCATE ferretdb_lookup');
  }
}

const planCacheMode = async (pg: Client) =>
  (await pg.query<{ plan_cache_mode: string }>('SHOW plan_cache_mode')).rows[0]!.plan_cache_mode;

interface ContactDoc {
  _id: string;
  workspaceId: string;
  n: number;
}

const contacts = (from: number, count: number): ContactDoc[] =>
  Array.from({ length: count }, (_, i) => ({ _id: `ws:c${from + i}`, workspaceId: 'ws', n: from + i }));

onEmbeddedPostgres('the embedded PostgreSQL (started by the global setup) and FerretDB', () => {
  let mongo: MongoClient;
  const database = testNamespace('pgsetup');

  beforeAll(async () => {
    mongo = await new MongoClient(mongoUrl!).connect();
  });
  afterAll(async () => {
    await mongo.db(database).dropDatabase();
    await mongo.close();
  });

  it('a collection FerretDB creates gets a GIN index on _id, and FerretDB’s query by _id is a bitmap scan of it, also once analyzed', async () => {
    const collection = mongo.db(database).collection<ContactDoc>('contact_states');
    await collection.insertMany(contacts(0, DOCUMENTS));

    await withPostgres(postgresUrl!, async (pg) => {
      const table = await tableOf(pg, database, 'contact_states');
      const gin = (await indexesOf(pg, table)).filter((index) => GIN_ON_ID.test(index.definition));
      expect(gin).toHaveLength(1);
      // What FerretDB's own connections get too: the setting is the server's.
      expect(await planCacheMode(pg)).toBe('force_custom_plan');
      // Analyzed with the server's coarse statistics (as autovacuum does), the lookup still takes the index.
      expect((await pg.query<{ default_statistics_target: string }>('SHOW default_statistics_target')).rows[0]).toEqual(
        {
          default_statistics_target: '10',
        },
      );
      await pg.query(`ANALYZE ${table}`);
      expect(await lookupPlan(pg, table, 'ws:c1234')).toContain(`Bitmap Index Scan on ${gin[0]!.name.split('.')[1]}`);
    });
    await collection.replaceOne({ _id: 'ws:c1234' }, { workspaceId: 'ws', n: -1 });
    expect(await collection.findOne({ _id: 'ws:c1234' })).toEqual({ _id: 'ws:c1234', workspaceId: 'ws', n: -1 });
  });

  it('the index keeps no pending list; at the next start one made before with it gets none, and its copies go', async () => {
    const collection = mongo.db(database).collection<ContactDoc>('pending_lists');
    await collection.insertMany(contacts(0, 100));
    await withPostgres(postgresUrl!, async (pg) => {
      const table = await tableOf(pg, database, 'pending_lists');
      const [gin] = (await indexesOf(pg, table)).filter((index) => GIN_ON_ID.test(index.definition));
      expect(await optionsOf(pg, gin!.name)).toEqual(['fastupdate=off']);

      // What an older CEI made: the default, every new entry into a list each lookup reads whole
      await pg.query(`ALTER INDEX ${gin!.name} RESET (fastupdate)`);
      expect(await optionsOf(pg, gin!.name)).toEqual([]);
      await collection.insertMany(contacts(100, 100));
      // (pgstattuple ships with PostgreSQL: how many entries wait in the index's pending list)
      await pg.query('CREATE EXTENSION IF NOT EXISTS pgstattuple');
      const pending = async () =>
        (await pg.query<{ n: string }>('SELECT pending_tuples AS n FROM pgstatginindex($1::regclass)', [gin!.name]))
          .rows[0]!.n;
      expect(Number(await pending())).toBeGreaterThan(0);
      // and the copy an earlier start made (the set-up did not recognise its own index)
      await pg.query(`CREATE INDEX ON ${table} USING gin ((_jsonb -> '_id') jsonb_path_ops)`);
      expect((await indexesOf(pg, table)).filter((index) => GIN_ON_ID.test(index.definition))).toHaveLength(2);

      // What every start runs
      expect(await prepareForFerretDB(postgresUrl!)).toEqual([]);
      expect(await optionsOf(pg, gin!.name)).toEqual(['fastupdate=off']);
      expect(Number(await pending())).toBe(0);
      expect((await indexesOf(pg, table)).filter((index) => GIN_ON_ID.test(index.definition))).toEqual([gin]);
      // and a second start finds it as it is
      expect(await prepareForFerretDB(postgresUrl!)).toEqual([]);
      expect((await indexesOf(pg, table)).filter((index) => GIN_ON_ID.test(index.definition))).toEqual([gin]);
    });
    expect(await collection.findOne({ _id: 'ws:c150' })).toEqual(contacts(150, 1)[0]);
  });

  it('FerretDB’s own indexes, a dropped and re-created collection and its metadata table are as before', async () => {
    const db = mongo.db(database);
    const people = db.collection<{ _id: string; email: string }>('people');
    await people.createIndex({ email: 1 }, { unique: true });
    await people.insertOne({ _id: 'p1', email: 'ada@example.com' });
    const duplicate = await people.insertOne({ _id: 'p2', email: 'ada@example.com' }).catch((error: unknown) => error);
    expect(duplicate).toBeInstanceOf(MongoServerError);
    expect((duplicate as MongoServerError).code).toBe(11000);

    await people.drop();
    await people.insertOne({ _id: 'p3', email: 'grace@example.com' });
    expect(await people.findOne({ _id: 'p3' })).toEqual({ _id: 'p3', email: 'grace@example.com' });

    await withPostgres(postgresUrl!, async (pg) => {
      const table = await tableOf(pg, database, 'people');
      expect((await indexesOf(pg, table)).filter((index) => GIN_ON_ID.test(index.definition))).toHaveLength(1);
      const metadata = await indexesOf(pg, `${escapeIdentifier(database)}._ferretdb_database_metadata`);
      expect(metadata.filter((index) => /USING gin/.test(index.definition))).toEqual([]);
    });
  });
});

onEmbeddedPostgres('a data directory from before the set-up, started again', () => {
  let dir: string;
  const running: RunningServer[] = [];
  const start = async <T extends RunningServer>(server: Promise<T>) => {
    running.push(await server);
    return running.at(-1) as T;
  };
  const stopAll = async () => {
    for (const server of running.splice(0).reverse()) await server.stop();
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cei-pg-upgrade-'));
    // As root, PostgreSQL runs as `postgres`, which must pass through this directory to its own.
    chmodSync(dir, 0o711);
  });
  afterAll(async () => {
    await stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gets the index on the tables it has and custom plans, and indexes collections created after', async () => {
    const dataDir = join(dir, 'postgres');
    const ferretDir = join(dir, 'ferretdb');
    const startFerret = (url: string) =>
      start(startFerretDB({ dataDir: ferretDir, backend: 'postgresql', postgresUrl: url }));

    // Before: what an older CEI left behind, a collection FerretDB made without the set-up.
    let postgres = await start(startPostgres({ dataDir, ephemeral: true, ferretdbTuning: false }));
    let ferret = await startFerret(postgres.url);
    let mongo = await new MongoClient(ferret.url).connect();
    await mongo.db('legacy').collection<ContactDoc>('contact_states').insertMany(contacts(0, DOCUMENTS));
    await mongo.close();
    const table = await withPostgres(postgres.url, async (pg) => {
      const legacy = await tableOf(pg, 'legacy', 'contact_states');
      expect((await indexesOf(pg, legacy)).some((index) => GIN_ON_ID.test(index.definition))).toBe(false);
      expect(await lookupPlan(pg, legacy, 'ws:c42')).toMatch(/^Seq Scan/);
      return legacy;
    });
    await stopAll();

    // After: the same data directory, started with the set-up.
    postgres = await start(startPostgres({ dataDir, ephemeral: true, ferretdbTuning: true }));
    await withPostgres(postgres.url, async (pg) => {
      const gin = (await indexesOf(pg, table)).filter((index) => GIN_ON_ID.test(index.definition));
      expect(gin).toHaveLength(1);
      expect(await planCacheMode(pg)).toBe('force_custom_plan');
      expect(await lookupPlan(pg, table, 'ws:c42')).toContain(`Bitmap Index Scan on ${gin[0]!.name.split('.')[1]}`);
    });

    ferret = await startFerret(postgres.url);
    mongo = await new MongoClient(ferret.url).connect();
    try {
      const legacy = mongo.db('legacy');
      expect(await legacy.collection<ContactDoc>('contact_states').findOne({ _id: 'ws:c42' })).toEqual(
        contacts(42, 1)[0],
      );
      await legacy.collection<ContactDoc>('created_after').insertOne(contacts(0, 1)[0]!);
    } finally {
      await mongo.close();
    }
    await withPostgres(postgres.url, async (pg) => {
      const after = await tableOf(pg, 'legacy', 'created_after');
      expect((await indexesOf(pg, after)).filter((index) => GIN_ON_ID.test(index.definition))).toHaveLength(1);
    });
  }, 180_000);
});

describe('CEI_PG_TUNING', () => {
  it('is on unless set to 0, and names a wrong value', () => {
    expect(ferretdbTuningEnabled({})).toBe(true);
    expect(ferretdbTuningEnabled({ CEI_PG_TUNING: '1' })).toBe(true);
    expect(ferretdbTuningEnabled({ CEI_PG_TUNING: '0' })).toBe(false);
    expect(() => ferretdbTuningEnabled({ CEI_PG_TUNING: 'off' })).toThrow(
      "CEI_PG_TUNING must be '1' (the default) or '0', not 'off'",
    );
  });
});
