// `pnpm bench:accept [interactions]`: only the accept part of the benchmark (through the gateway's
// trackInteractions and through POST /collect), against a raw insertMany baseline of the same run,
// with the apps built as `pnpm bench` runs them (`--sources` runs them under tsx instead).
// `--cpu-prof <dir>` writes a V8 CPU profile of every platform process into <dir> when it stops.
// Prints one JSON object; progress goes to stderr.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connectDatabase } from '@cei/mongo';
import { startInfrastructure } from '@cei/testing';
import { ACCEPT_SIZES, measureAccept } from './accept-bench';
import { measureRawInsertMany } from './db-lookups-bench';
import { cpuProfileEnv } from './bench-options';

const progress = (message: string) => process.stderr.write(`[bench:accept] ${message}\n`);
const ratio = (a: number, b: number) => Math.round((a / b) * 1000) / 1000;

async function main() {
  // `pnpm bench:accept -- --cpu-prof dir` passes the `--` along.
  const args = process.argv.slice(2).filter((arg) => arg !== '--');
  const profIndex = args.indexOf('--cpu-prof');
  const profDir = profIndex >= 0 ? resolve(args.splice(profIndex, 2)[1] ?? 'cpu-profiles') : undefined;
  const sourcesIndex = args.indexOf('--sources');
  if (sourcesIndex >= 0) args.splice(sourcesIndex, 1);
  const interactions = Number(args[0] ?? ACCEPT_SIZES.interactions);
  if (!(Number.isInteger(interactions) && interactions > 0)) {
    throw new Error(`usage: pnpm bench:accept [interactions] [--cpu-prof <dir>] [--sources]; not '${args[0]}'`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'cei-bench-accept-'));
  const loadBefore = loadavg().map((n) => Math.round(n * 100) / 100);
  const infra = await startInfrastructure({ dir });
  try {
    progress('baseline: raw insertMany…');
    const db = await connectDatabase(infra.mongoUrl, 'bench_accept_baseline');
    const rawInsertManyDocsPerSecond = await measureRawInsertMany(db.connection.getClient(), db.connection.name);
    await db.connection.db!.dropDatabase();
    await db.close();
    const accept = await measureAccept(infra.natsUrl, infra.mongoUrl, progress, {
      sizes: { ...ACCEPT_SIZES, interactions },
      env: profDir ? cpuProfileEnv(profDir) : {},
      compiled: sourcesIndex < 0,
    });
    const result = {
      machine: {
        cpus: cpus().length,
        node: process.version,
        database: infra.backend,
        natsStore: infra.natsStore,
        apps: sourcesIndex < 0 ? 'compiled (pnpm build)' : 'sources under tsx',
        loadAverage: { before: loadBefore, after: loadavg().map((n) => Math.round(n * 100) / 100) },
      },
      rawInsertManyDocsPerSecond,
      ...accept,
      gatewayRatioToRawInsertMany: ratio(accept.acceptedThroughGatewayPerSecond, rawInsertManyDocsPerSecond),
      collectRatioToRawInsertMany: ratio(accept.acceptedThroughCollectPerSecond, rawInsertManyDocsPerSecond),
      whileDrainingRatiosToRawInsertMany: {
        gateway: ratio(accept.whileDraining.acceptedThroughGatewayPerSecond, rawInsertManyDocsPerSecond),
        collect: ratio(accept.whileDraining.acceptedThroughCollectPerSecond, rawInsertManyDocsPerSecond),
      },
      ...(profDir ? { cpuProfiles: profDir } : {}),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await infra.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`[bench:accept] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
