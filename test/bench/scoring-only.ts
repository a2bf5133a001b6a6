// `pnpm bench:scoring [interactions] [contacts]`: only the scoring part of the benchmark, with the same
// baseline, for quick comparisons while working on scoring.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDatabase } from '@cei/mongo';
import { startInfrastructure } from '@cei/testing';
import { measureScoring } from './scoring-bench';

const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);

async function main() {
  const interactions = Number(process.argv[2] ?? 20_000);
  const contacts = Number(process.argv[3] ?? 1_000);
  const dir = mkdtempSync(join(tmpdir(), 'cei-bench-'));
  const infra = await startInfrastructure({ dir });
  try {
    const db = await connectDatabase(infra.mongoUrl, 'bench_baseline');
    const docs = Array.from({ length: 20_000 }, (_, i) => ({ key: `d${i}`, n: i, at: new Date() }));
    const started = performance.now();
    for (let i = 0; i < docs.length; i += 1000)
      await db.connection.collection('raw').insertMany(docs.slice(i, i + 1000));
    const rawInsertManyDocsPerSecond = Math.round((docs.length / (performance.now() - started)) * 1000);
    await db.close();
    const scoring = await measureScoring(infra.natsUrl, infra.mongoUrl, { interactions, contacts }, progress);
    const ratio = (a: number) => Math.round((a / rawInsertManyDocsPerSecond) * 1000) / 1000;
    process.stdout.write(
      `${JSON.stringify(
        {
          rawInsertManyDocsPerSecond,
          ...scoring,
          scoredRatioToRawInsertMany: ratio(scoring.scoredInteractionsPerSecond),
          recomputeRatioToRawInsertMany:
            scoring.recompute.interactionsPerSecond === null ? null : ratio(scoring.recompute.interactionsPerSecond),
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await infra.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`[bench] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
