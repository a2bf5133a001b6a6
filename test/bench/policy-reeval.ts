// `pnpm bench:policy [contacts]`: only the policy re-evaluation figure (contacts/s), with the
// raw insertMany baseline of pnpm bench, for quick comparisons while working on lifecycle.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDatabase } from '@cei/mongo';
import { startInfrastructure } from '@cei/testing';
import { measureRawInsertMany } from './db-lookups-bench';
import { measurePolicyReevaluation } from './policy-reeval-bench';

const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);

async function main() {
  const contacts = Number(process.argv[2] ?? 10_000);
  const dir = mkdtempSync(join(tmpdir(), 'cei-bench-'));
  const infra = await startInfrastructure({ dir });
  try {
    const db = await connectDatabase(infra.mongoUrl, 'bench_baseline');
    const rawInsertManyDocsPerSecond = await measureRawInsertMany(db.connection.getClient(), db.connection.name);
    await db.close();
    const reevaluation = await measurePolicyReevaluation(infra.natsUrl, infra.mongoUrl, contacts, progress);
    const perSecond = 'contactsPerSecond' in reevaluation ? reevaluation.contactsPerSecond : null;
    process.stdout.write(
      `${JSON.stringify(
        {
          rawInsertManyDocsPerSecond,
          policyReevaluation: reevaluation,
          reevaluationRatioToRawInsertMany:
            perSecond === null ? null : Math.round((perSecond / rawInsertManyDocsPerSecond) * 1000) / 1000,
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
