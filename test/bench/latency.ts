// `pnpm bench:latency [-- --rates 20,50,100,200 --seconds 15]`: accepted → phaseChanged at a
// graphql-ws client alone (no bulk load before it), at each rate in turn on one platform, with
// the time of each hop (latency-hops). Finds the rate where the pipeline stops keeping up.
// Prints one JSON object; progress on stderr.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startInfrastructure, testNamespace } from '@cei/testing';
import { measureLatency } from './latency-bench';
import { startBenchPlatform } from './bench-platform';

const progress = (message: string) => process.stderr.write(`[bench:latency] ${message}\n`);

async function main() {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: { rates: { type: 'string', default: '20,50,100,200' }, seconds: { type: 'string', default: '15' } },
  });
  const rates = values.rates.split(',').map(Number);
  const seconds = Number(values.seconds);
  if (rates.some((r) => !(r > 0)) || !(seconds > 0)) {
    throw new Error(`--rates must be positive numbers separated by commas and --seconds positive`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'cei-bench-latency-'));
  const infra = await startInfrastructure({ dir });
  const namespace = testNamespace('benchlat');
  const { keys, httpUrl, wsUrl, nats, stop } = await startBenchPlatform({
    natsUrl: infra.natsUrl,
    mongoUrl: infra.mongoUrl,
    namespace,
    setUp: [
      `mutation { createScoringRule(input: { kind: PAGE_VISIT, points: 5 }) { id } }`,
      `mutation { updateLifecyclePolicy(input: { purchaseScore: 5, exitScore: 1, hysteresis: 1 }) { purchaseScore } }`,
    ],
    progress,
  });
  try {
    const runs = [];
    for (const rate of rates) {
      const loadAverageAtStart = Math.round(loadavg()[0]! * 100) / 100;
      const result = await measureLatency({
        httpUrl,
        wsUrl,
        readKey: keys.read,
        writeKey: keys.write,
        ratePerSecond: rate,
        seconds,
        contactPrefix: `r${rate}-`,
        progress,
        streams: { nats, namespace },
      });
      progress(`${rate}/s: p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms; hops ${JSON.stringify(result.hops)}`);
      runs.push({ rate, loadAverageAtStart, ...result });
    }
    process.stdout.write(`${JSON.stringify({ database: infra.backend, runs }, null, 2)}\n`);
  } finally {
    await stop();
    await infra.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`[bench:latency] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
