// `pnpm bench:db`: FerretDB v1 on the embedded PostgreSQL, by-`_id` reads and read+replace of ~3 KB
// state documents at 10k and 50k documents, in three set-ups, each on fresh servers with its own raw
// insertMany baseline: none (CEI_PG_TUNING=0), the GIN index alone (generic plans allowed), and the
// whole set-up (index, custom plans, autovacuum). Prints one JSON object; progress goes to stderr.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { prepareForFerretDB, startFerretDB, startPostgres } from '@cei/testing';
import { measureLookups, measureRawInsertMany, type LookupBenchSizes } from './db-lookups-bench';

const progress = (message: string) => process.stderr.write(`[bench:db] ${message}\n`);

const SIZES: LookupBenchSizes = { documents: [10_000, 50_000], sequentialOps: 200, parallelOps: 400 };

type SetUp = 'none' | 'indexOnly' | 'full';

async function measure(setUp: SetUp) {
  const dir = mkdtempSync(join(tmpdir(), 'cei-bench-db-'));
  // As root, PostgreSQL runs as `postgres`, which must pass through this directory to its own.
  chmodSync(dir, 0o711);
  const postgres = await startPostgres({
    dataDir: join(dir, 'postgres'),
    ephemeral: true,
    ferretdbTuning: setUp === 'full',
  });
  try {
    if (setUp === 'indexOnly') await prepareForFerretDB(postgres.url);
    const ferret = await startFerretDB({
      dataDir: join(dir, 'ferretdb'),
      backend: 'postgresql',
      postgresUrl: postgres.url,
    });
    const client = await new MongoClient(ferret.url, { maxPoolSize: 8 }).connect();
    try {
      progress(`${setUp}: raw insertMany baseline…`);
      const rawInsertManyDocsPerSecond = await measureRawInsertMany(client, 'bench_db');
      const lookups = await measureLookups(client, 'bench_db', SIZES, rawInsertManyDocsPerSecond, (m) =>
        progress(`${setUp}: ${m}`),
      );
      return { rawInsertManyDocsPerSecond, lookups };
    } finally {
      await client.close();
      await ferret.stop();
    }
  } finally {
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const started = new Date().toISOString();
  const none = await measure('none');
  const indexOnly = await measure('indexOnly');
  const full = await measure('full');
  const result = {
    machine: { cpus: cpus().length, node: process.version, database: 'ferretdb-postgresql', started },
    sizes: { ...SIZES, parallel: 8, documentBytes: '~3 KB (state as one JSON string)' },
    setUps: {
      none: { what: 'CEI_PG_TUNING=0: FerretDB as it comes', ...none },
      indexOnly: { what: "GIN on (_jsonb->'_id') jsonb_path_ops; default plan_cache_mode", ...indexOnly },
      full: { what: 'the set-up startPostgres applies: the index, custom plans, autovacuum', ...full },
    },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

main().catch((err) => {
  process.stderr.write(`[bench:db] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
