// `pnpm bench:pipeline`: the bulk load of `pnpm bench` and its drain through the whole pipeline,
// alone (a few minutes instead of the full run's twenty), to measure one change to the event
// path at a time. Prints one JSON object: the accept and drain rates as ratios to a raw
// insertMany into the same database in the same run, the first and last fifth, each consumer's
// progress, every platform process's RSS at the end, and — when the database is the embedded
// FerretDB with CEI_FERRET_DEBUG_ADDR set — the database commands the run cost per interaction, and with
// CEI_PG_STATEMENTS=1 the embedded PostgreSQL's top statements and autovacuum's work per table.
// Sizes: `pnpm bench:pipeline -- --interactions 60000 --contacts 10000` (the options of bench-options.ts);
// `--cpu-prof <dir>` also writes a V8 CPU profile of every app into <dir> when it stops; `--backlog`
// accepts the whole load with the consumers paused, then drains it; `--note-bytes <n>` gives every
// interaction a text property of n bytes (large events).
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connectDatabase } from '@cei/mongo';
import {
  postgresStatements,
  postgresStatementsEnabled,
  resetPostgresStatements,
  startInfrastructure,
  testNamespace,
} from '@cei/testing';
import { startBenchPlatform } from './bench-platform';
import { commandsPer, ferretCommands, natsCounts } from './server-counters';
import { benchOptions, cpuProfileEnv } from './bench-options';
import { measureRawInsertMany } from './db-lookups-bench';
import { measurePipeline } from './pipeline-bench';
import { cpuMillisecondsPer, cpuSeconds, rssReport } from './rss';

const progress = (message: string) => process.stderr.write(`[bench:pipeline] ${message}\n`);
const ratio = (a: number | null, b: number) => (a === null ? null : Math.round((a / b) * 1000) / 1000);

/** JSON log lines at warn or above, counted by message. */
function countByMessage(lines: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string };
      if ((entry.level ?? 0) >= 40) counts[entry.msg ?? '?'] = (counts[entry.msg ?? '?'] ?? 0) + 1;
    } catch {
      // not a log line
    }
  }
  return counts;
}

async function main() {
  const args = process.argv.slice(2).filter((arg) => arg !== '--');
  const profIndex = args.indexOf('--cpu-prof');
  const profDir = profIndex >= 0 ? resolve(args.splice(profIndex, 2)[1] ?? 'cpu-profiles') : undefined;
  const backlogIndex = args.indexOf('--backlog');
  const backlog = backlogIndex >= 0;
  if (backlog) args.splice(backlogIndex, 1);
  const noteIndex = args.indexOf('--note-bytes');
  const noteBytes = noteIndex >= 0 ? Number(args.splice(noteIndex, 2)[1]) : 0;
  if (!(Number.isInteger(noteBytes) && noteBytes >= 0 && noteBytes <= 8_000)) {
    throw new Error(
      '--note-bytes must be a whole number of bytes from 0 to 8000 (interactions carry at most 8 KB of properties)',
    );
  }
  const options = benchOptions(args, { ...process.env, BENCH_BUDGET_MINUTES: '15' });
  const dir = mkdtempSync(join(tmpdir(), 'cei-bench-'));
  progress(`sizes: ${options.interactions} interactions over ${options.contacts} contacts`);
  const infra = await startInfrastructure({ dir });
  try {
    progress('baseline: raw insertMany…');
    const db = await connectDatabase(infra.mongoUrl, 'bench_baseline');
    const rawInsertManyDocsPerSecond = await measureRawInsertMany(db.connection.getClient(), db.connection.name);
    await db.connection.db!.dropDatabase();
    await db.close();

    const namespace = testNamespace('benchpipe');
    const bench = await startBenchPlatform({
      natsUrl: infra.natsUrl,
      mongoUrl: infra.mongoUrl,
      namespace,
      env: profDir ? cpuProfileEnv(profDir) : {},
      setUp: [
        `mutation { createScoringRule(input: { kind: PAGE_VISIT, points: 5 }) { id } }`,
        `mutation { createScoringRule(input: { kind: LINK_CLICK, points: 1 }) { id } }`,
        `mutation { updateLifecyclePolicy(input: { purchaseScore: 5, exitScore: 1, hysteresis: 1 }) { purchaseScore } }`,
      ],
      progress,
    });
    try {
      const processes = { ...bench.platform.pids, ...infra.serverPids };
      const cpuBefore = cpuSeconds(processes);
      const [before, natsBefore] = await Promise.all([ferretCommands(), natsCounts()]);
      const statementsUrl = postgresStatementsEnabled() ? infra.postgresUrl : undefined;
      if (statementsUrl) await resetPostgresStatements(statementsUrl);
      const load = await measurePipeline({
        httpUrl: bench.httpUrl,
        writeKey: bench.keys.write,
        nats: bench.nats,
        namespace,
        interactions: options.interactions,
        contacts: options.contacts,
        deadline: Date.now() + options.budgetMinutes * 60_000,
        progress,
        backlog,
        noteBytes,
        cpuSeconds: () => cpuSeconds(processes),
      });
      const [after, natsAfter] = await Promise.all([ferretCommands(), natsCounts()]);
      const cpuAfter = cpuSeconds(processes);
      const postgres = statementsUrl ? await postgresStatements(statementsUrl) : undefined;
      const commandsPerInteraction =
        before && after
          ? commandsPer(before, after, options.interactions)
          : 'set CEI_FERRET_DEBUG_ADDR (e.g. 127.0.0.1:8088) to count them';
      const result = {
        machine: {
          cpus: cpus().length,
          database: infra.backend,
          natsStore: infra.natsStore,
          loadAverageAtEnd: loadavg().map((n) => +n.toFixed(2)),
        },
        data: { interactions: options.interactions, contacts: options.contacts, noteBytes },
        rawInsertManyDocsPerSecond,
        accepted: {
          ...load.gateway,
          ratioToRawInsertMany: ratio(load.gateway.acceptedInteractionsPerSecond, rawInsertManyDocsPerSecond),
        },
        pipeline: {
          ...load.pipeline,
          ratioToRawInsertMany: ratio(load.pipeline.fullyProcessedPerSecond, rawInsertManyDocsPerSecond),
        },
        databaseCommandsPerInteraction: commandsPerInteraction,
        // The NATS server's messages in and out per interaction, keep-alives and acknowledgements
        // included (they are messages to it too), and its JetStream API requests.
        natsPerInteraction:
          natsBefore && natsAfter
            ? commandsPer(natsBefore, natsAfter, options.interactions)
            : 'set CEI_NATS_MONITOR_PORT (e.g. 8222) to count them',
        // CPU time each process spent per interaction during the load and drain (PostgreSQL: its
        // backends too): unlike rates, it barely moves when other work shares the machine.
        cpuMillisecondsPerInteraction: cpuMillisecondsPer(cpuBefore, cpuAfter, options.interactions),
        rssMegabytes: rssReport(processes),
        // CEI_PG_STATEMENTS=1: where PostgreSQL's time went during the load and drain.
        ...(postgres ? { postgres } : {}),
        ...(profDir ? { cpuProfiles: profDir } : {}),
        // With BENCH_LOG_LEVEL=warn: the warnings among each app's last lines of output, by message.
        lastWarnings: Object.fromEntries(
          Object.keys(bench.platform.pids).map((name) => [name, countByMessage(bench.platform.output(name))]),
        ),
      };
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } finally {
      await bench.stop();
    }
  } finally {
    await infra.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`[bench:pipeline] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
