// What the embedded PostgreSQL spent its time on, statement by statement and table by table, for a
// benchmark started with CEI_PG_STATEMENTS=1 (the server then loads pg_stat_statements, with
// planning time). This is how the eleventh session of issue 9 found autovacuum's ANALYZE taking 41%
// of PostgreSQL's CPU (docs/benchmarks.md): FerretDB's statements name their table, so the top
// statements say which collection and which operation the database's time went to.
import { withPostgres } from './ferretdb-postgres';

export function postgresStatementsEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CEI_PG_STATEMENTS === '1';
}

/** Server settings for CEI_PG_STATEMENTS=1 (given at start: the library loads only then). */
export const PG_STATEMENTS_SETTINGS: Readonly<Record<string, string>> = {
  shared_preload_libraries: 'pg_stat_statements',
  'pg_stat_statements.track_planning': 'on',
};

export interface StatementCost {
  /** The statement, whitespace collapsed, cut at 160 characters. */
  statement: string;
  calls: number;
  rows: number;
  executionMs: number;
  planningMs: number;
}

export interface TableMaintenance {
  table: string;
  autovacuums: number;
  autoanalyzes: number;
}

/**
 * Starts counting statements from zero. Tables' counters are left alone: autovacuum decides from
 * them, and a run's tables are new anyway (its namespace).
 */
export function resetPostgresStatements(postgresUrl: string): Promise<void> {
  return withPostgres(postgresUrl, async (client) => {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await client.query('SELECT pg_stat_statements_reset()');
  });
}

/**
 * The `top` statements by execution + planning time since the reset, and how often autovacuum has
 * vacuumed and analyzed each table it touched.
 */
export function postgresStatements(
  postgresUrl: string,
  top = 15,
): Promise<{ statements: StatementCost[]; maintenance: TableMaintenance[] }> {
  return withPostgres(postgresUrl, async (client) => {
    const statements = await client.query<{
      statement: string;
      calls: string;
      rows: string;
      exec: number;
      plan: number;
    }>(
      `SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 160) AS statement, calls, rows,
              total_exec_time AS exec, total_plan_time AS plan
       FROM pg_stat_statements ORDER BY total_exec_time + total_plan_time DESC LIMIT $1`,
      [top],
    );
    const tables = await client.query<{ table: string; autovacuums: string; autoanalyzes: string }>(
      `SELECT schemaname || '.' || relname AS table, autovacuum_count AS autovacuums, autoanalyze_count AS autoanalyzes
       FROM pg_stat_user_tables WHERE autovacuum_count + autoanalyze_count > 0
       ORDER BY autovacuum_count + autoanalyze_count DESC`,
    );
    return {
      statements: statements.rows.map((row) => ({
        statement: row.statement,
        calls: Number(row.calls),
        rows: Number(row.rows),
        executionMs: Math.round(row.exec),
        planningMs: Math.round(row.plan),
      })),
      maintenance: tables.rows.map((row) => ({
        table: row.table,
        autovacuums: Number(row.autovacuums),
        autoanalyzes: Number(row.autoanalyzes),
      })),
    };
  });
}
