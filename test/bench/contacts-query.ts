// `tsx --conditions=cei-source test/bench/contacts-query.ts`: Query.contacts' queries at 10k and
// 100k contacts on fresh FerretDB v1 + PostgreSQL servers (the set-up the platform runs on here),
// or on MONGO_URL when set. Prints one JSON object; progress goes to stderr.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFerretDB, startPostgres } from '@cei/testing';
import { measureContactsQuery } from './contacts-query-bench';

const progress = (message: string) => process.stderr.write(`[bench:contacts] ${message}\n`);
const CONTACTS = (process.env.CEI_BENCH_CONTACTS ?? '10000,100000').split(',').map(Number);

async function main() {
  const started = new Date().toISOString();
  const run = (mongoUrl: string) =>
    measureContactsQuery({ mongoUrl, dbName: 'bench_contacts', contacts: CONTACTS, repeats: 3, progress });
  let result;
  if (process.env.MONGO_URL) {
    result = await run(process.env.MONGO_URL);
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'cei-bench-contacts-'));
    chmodSync(dir, 0o711);
    const postgres = await startPostgres({ dataDir: join(dir, 'postgres'), ephemeral: true, ferretdbTuning: true });
    try {
      const ferret = await startFerretDB({
        dataDir: join(dir, 'ferretdb'),
        backend: 'postgresql',
        postgresUrl: postgres.url,
      });
      try {
        result = await run(ferret.url);
      } finally {
        await ferret.stop();
      }
    } finally {
      await postgres.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  process.stdout.write(
    `${JSON.stringify({ machine: { cpus: cpus().length, node: process.version, started }, ...result }, null, 2)}\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`[bench:contacts] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
