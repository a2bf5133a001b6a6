// `pnpm bench:latency [-- --rates 20,50,100,200 --seconds 15 --known --cpu-prof <dir>]`: accepted → phaseChanged
// at a graphql-ws client alone (no bulk load before it), at each rate in turn on one platform, with
// the time of each hop (latency-hops). Finds the rate where the pipeline stops keeping up. Each timed
// interaction is a fresh contact's; with --known, a contact's that had one interaction before. With
// CEI_PG_STATEMENTS=1 each rate also lists the embedded PostgreSQL's top statements (per collection).
// Prints one JSON object; progress on stderr.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  postgresStatements,
  postgresStatementsEnabled,
  resetPostgresStatements,
  startInfrastructure,
  testNamespace,
} from '@cei/testing';
import { measureLatency, warmUpContacts } from './latency-bench';
import { startBenchPlatform } from './bench-platform';
import { cpuProfileEnv } from './bench-options';
import { commandsPer, ferretCommands, natsCounts } from './server-counters';
import { cpuMillisecondsPer, cpuSeconds } from './rss';

const progress = (message: string) => process.stderr.write(`[bench:latency] ${message}\n`);

async function main() {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      rates: { type: 'string', default: '20,50,100,200' },
      seconds: { type: 'string', default: '15' },
      // Time known contacts' interactions (one earlier interaction each), not fresh contacts'.
      known: { type: 'boolean', default: false },
      // A V8 CPU profile of every platform process, written into this directory when it stops.
      'cpu-prof': { type: 'string' },
    },
  });
  const rates = values.rates.split(',').map(Number);
  const seconds = Number(values.seconds);
  if (rates.some((r) => !(r > 0)) || !(seconds > 0)) {
    throw new Error(`--rates must be positive numbers separated by commas and --seconds positive`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'cei-bench-latency-'));
  const infra = await startInfrastructure({ dir });
  const namespace = testNamespace('benchlat');
  const { platform, keys, httpUrl, wsUrl, nats, stop } = await startBenchPlatform({
    natsUrl: infra.natsUrl,
    mongoUrl: infra.mongoUrl,
    namespace,
    setUp: [
      `mutation { createScoringRule(input: { kind: PAGE_VISIT, points: 5 }) { id } }`,
      // The warm-up of --known: one point, below the threshold.
      `mutation { createScoringRule(input: { kind: LINK_CLICK, points: 1 }) { id } }`,
      `mutation { updateLifecyclePolicy(input: { purchaseScore: 5, exitScore: 1, hysteresis: 1 }) { purchaseScore } }`,
    ],
    env: values['cpu-prof'] ? cpuProfileEnv(resolve(values['cpu-prof'])) : {},
    progress,
  });
  const statementsUrl = postgresStatementsEnabled() ? infra.postgresUrl : undefined;
  try {
    const runs = [];
    for (const rate of rates) {
      // The timed load; with --known, its contacts are given their first interaction before it.
      const load = {
        httpUrl,
        wsUrl,
        readKey: keys.read,
        writeKey: keys.write,
        ratePerSecond: rate,
        seconds,
        contactPrefix: `r${rate}-`,
        progress,
        streams: { nats, namespace },
        known: values.known,
      };
      if (load.known) await warmUpContacts(load);
      const loadAverageAtStart = Math.round(loadavg()[0]! * 100) / 100;
      if (statementsUrl) await resetPostgresStatements(statementsUrl);
      const before = await ferretCommands();
      const natsBefore = await natsCounts();
      const processes = { ...platform.pids, ...infra.serverPids };
      const cpuBefore = cpuSeconds(processes);
      const result = await measureLatency(load);
      const after = await ferretCommands();
      const natsAfter = await natsCounts();
      const postgres = statementsUrl ? await postgresStatements(statementsUrl) : undefined;
      // The NATS server's messages and JetStream API requests per accepted interaction (CEI_NATS_MONITOR_PORT).
      const natsPerInteraction =
        natsBefore && natsAfter ? commandsPer(natsBefore, natsAfter, result.accepted) : undefined;
      // Each process's CPU per accepted interaction (PostgreSQL: its backends too).
      const cpuMillisecondsPerInteraction = cpuMillisecondsPer(cpuBefore, cpuSeconds(processes), result.accepted);
      // FerretDB's count of the database commands, per accepted interaction (CEI_FERRET_DEBUG_ADDR).
      const commandsPerInteraction = before && after ? commandsPer(before, after, result.accepted) : undefined;
      progress(`${rate}/s: p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms; hops ${JSON.stringify(result.hops)}`);
      runs.push({
        rate,
        loadAverageAtStart,
        ...result,
        cpuMillisecondsPerInteraction,
        ...(commandsPerInteraction ? { commandsPerInteraction } : {}),
        ...(natsPerInteraction ? { natsPerInteraction } : {}),
        ...(postgres ? { postgres } : {}),
      });
    }
    process.stdout.write(`${JSON.stringify({ database: infra.backend, natsStore: infra.natsStore, runs }, null, 2)}\n`);
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
