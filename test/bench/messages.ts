// `tsx --conditions=cei-source test/bench/messages.ts [events] [rate]`: only the message hop of
// notification (phase change published → rule's email at a real SMTP server), p50/p99 at a rate.
// Prints one JSON object; progress goes to stderr.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startInfrastructure } from '@cei/testing';
import { MESSAGES_SIZES, measureRuleToEmail } from './messages-bench';

const progress = (message: string) => process.stderr.write(`[bench:messages] ${message}\n`);

async function main() {
  const [events, rate] = process.argv.slice(2).map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'cei-bench-messages-'));
  const infra = await startInfrastructure({ dir });
  try {
    const result = await measureRuleToEmail(infra.natsUrl, infra.mongoUrl, progress, {
      events: events || MESSAGES_SIZES.events,
      rate: rate || MESSAGES_SIZES.rate,
    });
    process.stdout.write(
      `${JSON.stringify({ machine: { cpus: cpus().length, database: infra.backend, natsStore: infra.natsStore }, ...result }, null, 2)}\n`,
    );
  } finally {
    await infra.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
