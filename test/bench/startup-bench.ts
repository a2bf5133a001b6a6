// `pnpm bench:startup [rounds]`: what running the apps as built JavaScript (`node dist/main.js`, as
// the deploy image does) changes against running their sources under tsx. Per app: the time from
// spawn to GET /health answering 200, the CPU time spent until then, RSS at that moment and RSS after
// a small load through the gateway. Three ways to run each app:
//   compiled  node <app>/dist/main.js (run `pnpm build` first; the package script does)
//   tsx       node --conditions=cei-source --import tsx <app>/src/main.ts, with tsx's cache filled,
//             as on a developer's machine
//   tsxCold   the same with TSX_DISABLE_CACHE=1: every file transpiled at start, as in a new pod
// Each round starts the five apps one at a time (nothing else of the platform starting beside them),
// in every mode, in a rotating order; the figures are medians over the rounds. One JSON object on
// stdout, progress on stderr.
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseName } from '@cei/config';
import { connectDatabase } from '@cei/mongo';
import { connectNats } from '@cei/nats';
import { startInfrastructure, testNamespace } from '@cei/testing';
import { createWorkspace } from '@cei/gateway/src/auth/api-keys';
import { APPS, AppProcess } from '../../infra/local/app-processes';
import { freePort } from '../src/platform';
import { gql } from '../src/gateway-client';
import { namespaceStreams } from './pipeline-progress';

const MODES = ['compiled', 'tsx', 'tsxCold'] as const;
type Mode = (typeof MODES)[number];
type AppName = (typeof APPS)[number]['name'];

const LOAD = { interactions: 2_000, batch: 200, contacts: 100, contactQueries: 100 };
const HEALTH_DEADLINE_MS = 120_000;
const DRAIN_DEADLINE_MS = 120_000;
const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

const progress = (message: string) => process.stderr.write(`[bench:startup] ${message}\n`);

interface AppSample {
  startupMs: number;
  startupCpuMs: number;
  rssAtReadyMb: number;
  rssAfterLoadMb: number;
}

async function main() {
  const rounds = Number(process.argv[2] ?? 3);
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error(`rounds must be a positive integer, got ${process.argv[2]}`);
  const dir = mkdtempSync(join(tmpdir(), 'cei-bench-startup-'));
  const loadAtStart = loadavg();
  progress('starting NATS and the database (or using NATS_URL / MONGO_URL)…');
  const infra = await startInfrastructure({ dir });
  const samples = new Map<Mode, Map<AppName, AppSample[]>>(MODES.map((mode) => [mode, new Map()]));
  try {
    progress('warm-up: one tsx round, so that tsx has its cache filled as on any earlier run');
    await runRound(infra.natsUrl, infra.mongoUrl, 'tsx');
    for (let round = 0; round < rounds; round++) {
      const order = MODES.map((_, i) => MODES[(i + round) % MODES.length]!);
      for (const mode of order) {
        progress(`round ${round + 1}/${rounds}: ${mode}`);
        const result = await runRound(infra.natsUrl, infra.mongoUrl, mode);
        for (const [app, sample] of Object.entries(result) as [AppName, AppSample][]) {
          const list = samples.get(mode)!.get(app) ?? [];
          list.push(sample);
          samples.get(mode)!.set(app, list);
        }
      }
    }
  } finally {
    await infra.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  const perApp = Object.fromEntries(
    APPS.map(({ name }) => {
      const byMode = Object.fromEntries(MODES.map((mode) => [mode, medians(samples.get(mode)!.get(name)!)])) as Record<
        Mode,
        AppSample
      >;
      return [
        name,
        {
          ...byMode,
          compiledVsTsx: ratios(byMode.compiled, byMode.tsx),
          compiledVsTsxCold: ratios(byMode.compiled, byMode.tsxCold),
        },
      ];
    }),
  );
  const totals = Object.fromEntries(
    MODES.map((mode) => [mode, sums(APPS.map(({ name }) => perApp[name]![mode]))]),
  ) as Record<Mode, AppSample>;
  const result = {
    machine: {
      cpus: cpus().length,
      node: process.version,
      database: infra.backend,
      natsStore: infra.natsStore,
      // The machine is shared: how busy it was (1-minute load average) bounds what the wall times mean.
      loadAverage1m: { atStart: round1(loadAtStart[0]!), atEnd: round1(loadavg()[0]!) },
    },
    rounds,
    statistic: 'median over the rounds',
    load: `${LOAD.interactions} interactions through trackInteractions (batches of ${LOAD.batch}, ${LOAD.contacts} contacts, a scoring rule and a lifecycle policy that move them to PURCHASE), ${LOAD.contactQueries} contact queries across the subgraphs, until every consumer had worked off its backlog`,
    apps: perApp,
    allFiveApps: {
      ...totals,
      compiledVsTsx: ratios(totals.compiled, totals.tsx),
      compiledVsTsxCold: ratios(totals.compiled, totals.tsxCold),
    },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

/** Starts the five apps one after the other in one mode, loads them, measures, stops them. */
async function runRound(natsUrl: string, mongoUrl: string, mode: Mode): Promise<Record<AppName, AppSample>> {
  const namespace = testNamespace('startup');
  const base: NodeJS.ProcessEnv = {
    ...process.env,
    NATS_URL: natsUrl,
    MONGO_URL: mongoUrl,
    CEI_NAMESPACE: namespace,
    CEI_INTERNAL_SECRET: randomBytes(24).toString('base64url'),
    LOG_LEVEL: 'warn',
    ...(mode === 'tsxCold' ? { TSX_DISABLE_CACHE: '1' } : {}),
  };
  const started: { name: AppName; app: AppProcess; ready?: Omit<AppSample, 'rssAfterLoadMb'> }[] = [];
  const urls: Record<string, string> = {};
  try {
    for (const spec of APPS) {
      const port = await freePort();
      const env = { ...base, ...urls, [spec.portVariable]: String(port) };
      const spawnedAt = performance.now();
      const app = new AppProcess({ name: spec.name, dir: spec.dir, port, env, compiled: mode === 'compiled' });
      const entry = { name: spec.name, app, ready: undefined as Omit<AppSample, 'rssAfterLoadMb'> | undefined };
      started.push(entry);
      entry.ready = await whenReady(app, spawnedAt);
      if (spec.urlVariable) urls[spec.urlVariable] = `http://127.0.0.1:${port}/graphql`;
    }
    await load(`http://127.0.0.1:${started.at(-1)!.app.port}/graphql`, mongoUrl, namespace);
    await waitUntilDrained(natsUrl, namespace);
    return Object.fromEntries(
      started.map(({ name, app, ready }) => [name, { ...ready!, rssAfterLoadMb: rssMb(app.pid!) }]),
    ) as Record<AppName, AppSample>;
  } finally {
    // The gateway first, as the platform stops.
    for (const { app } of [...started].reverse()) await app.stop();
  }
}

/** Polls GET /health every 10 ms: the wall time, the CPU time and the RSS of the app once it answers 200. */
async function whenReady(app: AppProcess, spawnedAt: number): Promise<Omit<AppSample, 'rssAfterLoadMb'>> {
  const url = `http://127.0.0.1:${app.port}/health`;
  const deadline = spawnedAt + HEALTH_DEADLINE_MS;
  while (performance.now() < deadline) {
    if (app.exitStatus) throw new Error(`${app.name} exited before it was healthy:\n${app.lastLines}`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(1_000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) {
      const startupMs = Math.round(performance.now() - spawnedAt);
      return { startupMs, startupCpuMs: cpuMs(app.pid!), rssAtReadyMb: rssMb(app.pid!) };
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${app.name} was not healthy within ${HEALTH_DEADLINE_MS} ms:\n${app.lastLines}`);
}

async function load(http: string, mongoUrl: string, namespace: string): Promise<void> {
  const db = await connectDatabase(mongoUrl, databaseName(namespace, 'gateway'));
  const { keys } = await createWorkspace(db.connection).finally(() => db.close());
  const must = async (key: string, query: string, variables?: Record<string, unknown>) => {
    const response = await gql(http, key, query, variables);
    if (response.errors) throw new Error(`${query}: ${JSON.stringify(response.errors)}`);
  };
  await must(keys.admin, `mutation { createScoringRule(input: { kind: PAGE_VISIT, points: 5 }) { id } }`);
  await must(
    keys.admin,
    `mutation { updateLifecyclePolicy(input: { purchaseScore: 50, exitScore: 1, hysteresis: 1 }) { purchaseScore } }`,
  );
  for (let b = 0; b < LOAD.interactions / LOAD.batch; b++) {
    const interactions = Array.from({ length: LOAD.batch }, (_, i) => ({
      id: `s${b}-${i}`,
      kind: 'PAGE_VISIT',
      contactId: `c${i % LOAD.contacts}`,
    }));
    await must(keys.write, `mutation($i: [InteractionInput!]!) { trackInteractions(interactions: $i) { accepted } }`, {
      i: interactions,
    });
  }
  for (let i = 0; i < LOAD.contactQueries; i++) {
    await must(keys.read, `query($id: ID!) { contact(id: $id) { id phase score { general } } }`, {
      id: `c${i % LOAD.contacts}`,
    });
  }
}

/** Waits until no consumer of the namespace has pending or unacknowledged events. */
async function waitUntilDrained(natsUrl: string, namespace: string): Promise<void> {
  const nats = await connectNats(natsUrl, 'bench-startup-drain');
  try {
    for (const deadline = Date.now() + DRAIN_DEADLINE_MS; Date.now() < deadline;) {
      let outstanding = 0;
      for await (const stream of namespaceStreams(nats, namespace)) {
        for await (const consumer of nats.jsm.consumers.list(stream)) {
          outstanding += consumer.num_pending + consumer.num_ack_pending;
        }
      }
      if (outstanding === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`the consumers of ${namespace} still had a backlog after ${DRAIN_DEADLINE_MS} ms`);
  } finally {
    await nats.close();
  }
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return round1(Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024);
}

/** User + system CPU time of the process so far (fields 14 and 15 of /proc/<pid>/stat, in clock ticks). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; the fields after it are space-separated.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Math.round(((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND) * 1000);
}

function medians(list: AppSample[]): AppSample {
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  };
  return {
    startupMs: Math.round(median(list.map((s) => s.startupMs))),
    startupCpuMs: Math.round(median(list.map((s) => s.startupCpuMs))),
    rssAtReadyMb: round1(median(list.map((s) => s.rssAtReadyMb))),
    rssAfterLoadMb: round1(median(list.map((s) => s.rssAfterLoadMb))),
  };
}

function sums(list: AppSample[]): AppSample {
  const sum = (key: keyof AppSample) => round1(list.reduce((total, s) => total + s[key], 0));
  return {
    startupMs: sum('startupMs'),
    startupCpuMs: sum('startupCpuMs'),
    rssAtReadyMb: sum('rssAtReadyMb'),
    rssAfterLoadMb: sum('rssAfterLoadMb'),
  };
}

/** compiled ÷ other, per figure (below 1: compiled is faster or smaller). */
function ratios(compiled: AppSample, other: AppSample): Record<keyof AppSample, number> {
  const r = (key: keyof AppSample) => Math.round((compiled[key] / other[key]) * 100) / 100;
  return {
    startupMs: r('startupMs'),
    startupCpuMs: r('startupCpuMs'),
    rssAtReadyMb: r('rssAtReadyMb'),
    rssAfterLoadMb: r('rssAfterLoadMb'),
  };
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

main().catch((err) => {
  process.stderr.write(`[bench:startup] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
