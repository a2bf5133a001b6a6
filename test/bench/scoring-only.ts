// `pnpm bench:scoring [interactions] [contacts]`: only the scoring part of the benchmark, with the same
// baseline (the raw insertMany of pnpm bench), for quick comparisons while working on scoring.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDatabase } from '@cei/mongo';
import { startInfrastructure } from '@cei/testing';
import { measureRawInsertMany } from './db-lookups-bench';
import { measureScoring } from './scoring-bench';

const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);

async function main() {
  const interactions = Number(process.argv[2] ?? 20_000);
  const contacts = Number(process.argv[3] ?? 1_000);
  const dir = mkdtempSync(join(tmpdir(), 'cei-bench-'));
  const infra = await startInfrastructure({ dir });
  try {
    const db = await connectDatabase(infra.mongoUrl, 'bench_baseline');
    const rawInsertManyDocsPerSecond = await measureRawInsertMany(db.connection.getClient(), db.connection.name);
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
            'interactionsPerSecond' in scoring.recompute && scoring.recompute.interactionsPerSecond !== null
              ? ratio(scoring.recompute.interactionsPerSecond)
              : null,
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
