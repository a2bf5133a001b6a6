// Many live subscribers on one gateway: N graphql-ws clients (one socket each) subscribe to
// scoreChanged of one workspace, with a field of another subgraph in the payload, while
// score changes come at a fixed rate through the real pipeline (trackInteractions, one
// EMAIL_CLICK of a fresh contact each: one change each). Every client must receive every
// change (lost: must be 0); latency is from the change's `at` (when scoring made it) to the
// client's receipt. A sentinel change published after all of them proves each subscriber's
// count final. Run alone: `pnpm bench:subscribers [-- --subscribers 1000 --rate 100 --seconds 10]`
// (apps compiled; `--sources` runs them under tsx; `--client graphql-ws` uses graphql-ws's own
// client; `--cpu-prof <dir>` writes each process's CPU profile there), which prints one JSON
// object with the run's raw JetStream publish baseline. `--subscribers 1` is the control: the
// pipeline's and the event queries' share of the latency, without the fan-out.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startInfrastructure, testNamespace } from '@cei/testing';
import { failureText, gql } from '../src/gateway-client';
import { startBenchPlatform } from './bench-platform';
import { measureRawJetStreamPublish, RAW_PUBLISHES } from './jetstream-baseline';

export interface SubscribersBenchOptions {
  httpUrl: string;
  wsUrl: string;
  readKey: string;
  writeKey: string;
  subscribers: number;
  changesPerSecond: number;
  seconds: number;
  /** Contact ids start with it: fresh contacts for this run. */
  contactPrefix: string;
  progress: (message: string) => void;
  /**
   * The subscribers' client: graphql-ws's own (createClient, one per socket), or `protocol`, the
   * same graphql-transport-ws protocol over `ws` with nothing else per message (a quarter of the
   * CPU per result: on a 2-core machine the client's share is taken from the gateway).
   */
  client: 'graphql-ws' | 'protocol';
  /** The platform's processes: the CPU each used during the load is reported. */
  pids?: Record<string, number>;
}

const SUBSCRIPTION = /* GraphQL */ `
  subscription {
    scoreChanged {
      id
      at
      general
      contact {
        id
        phase
      }
    }
  }
`;
/** Sends per second: the rate is split into this many calls, evenly spaced. */
const TICKS_PER_SECOND = 10;
const DELIVERY_WAIT_MS = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round1 = (n: number) => Math.round(n * 10) / 10;

function percentiles(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length === 0 ? null : round1(sorted[Math.ceil((p / 100) * sorted.length) - 1]!));
  return { p50Ms: at(50), p99Ms: at(99), maxMs: at(100) };
}

interface Receiver {
  client: { dispose(): unknown };
  /** Change ids received. */
  received: Set<string>;
  /** Changes of the measured run received (not the warm-up's, not the sentinel). */
  measured: number;
  sentinel: boolean;
  duplicates: number;
  errors: number;
  /** The socket's close code once it closed (4008: closed as a slow subscriber). */
  closeCode: number | null;
}

export async function measureSubscribers(opts: SubscribersBenchOptions) {
  const { subscribers, changesPerSecond, seconds } = opts;
  opts.progress(`subscribers: connecting ${subscribers} graphql-ws subscribers to scoreChanged…`);
  const latencies: number[] = [];
  const warmPrefix = `${opts.contactPrefix}warm`;
  const sentinelId = `${opts.contactPrefix}sentinel`;
  const measuredPrefix = `${opts.contactPrefix}m`;
  const receivers: Receiver[] = [];
  let lastMeasuredAt = 0;
  /** Measured changes some subscriber received: each was published. */
  const seenByAnyone = new Set<string>();
  for (let i = 0; i < subscribers; i++) {
    const receiver: Receiver = {
      client: undefined as never,
      received: new Set(),
      measured: 0,
      sentinel: false,
      duplicates: 0,
      errors: 0,
      closeCode: null,
    };
    type Change = { id: string; at: string; contact: { id: string } };
    const onResult = (result: { data?: { scoreChanged?: Change | null } | null }) => {
      const now = Date.now();
      const change = result.data?.scoreChanged;
      if (!change) {
        receiver.errors++;
        return;
      }
      if (receiver.received.has(change.id)) {
        receiver.duplicates++;
        return;
      }
      receiver.received.add(change.id);
      const contactId = change.contact.id;
      if (contactId === sentinelId) receiver.sentinel = true;
      if (!contactId.startsWith(measuredPrefix)) return;
      receiver.measured++;
      seenByAnyone.add(change.id);
      lastMeasuredAt = Math.max(lastMeasuredAt, now);
      latencies.push(now - Date.parse(change.at));
    };
    const onClosed = (code: number) => void (receiver.closeCode ??= code);
    if (opts.client === 'graphql-ws') {
      const client = createClient({
        url: opts.wsUrl,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${opts.readKey}` },
        retryAttempts: 0,
        lazy: false,
        onNonLazyError: () => undefined,
        on: { closed: (event) => onClosed((event as { code?: number } | undefined)?.code ?? 0) },
      });
      client.subscribe<{ scoreChanged: Change }>(
        { query: SUBSCRIPTION },
        { next: onResult, error: () => void receiver.errors++, complete: () => undefined },
      );
      receiver.client = { dispose: () => client.dispose() };
    } else {
      receiver.client = protocolSubscriber(opts.wsUrl, opts.readKey, SUBSCRIPTION, {
        next: onResult,
        error: () => void receiver.errors++,
        closed: onClosed,
      });
    }
    receivers.push(receiver);
  }
  let failedCalls = 0;
  let firstFailure: string | undefined;
  const click = async (ids: string[]) => {
    const interactions = ids.map((id) => ({ id, kind: 'EMAIL_CLICK', contactId: id }));
    const answer = await gql<{ trackInteractions: { accepted: number } }>(
      opts.httpUrl,
      opts.writeKey,
      `mutation ($i: [InteractionInput!]!) { trackInteractions(interactions: $i) { accepted } }`,
      { i: interactions },
    ).catch((err: unknown) => {
      firstFailure ??= failureText(err);
      return undefined;
    });
    if (!answer?.data) {
      failedCalls++;
      if (answer) firstFailure ??= `HTTP ${answer.status}: ${JSON.stringify(answer.errors).slice(0, 500)}`;
    }
    return answer?.data?.trackInteractions.accepted ?? 0;
  };
  const open = () => receivers.filter((r) => r.closeCode === null);
  try {
    const everyone = async (done: () => boolean, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while (!done()) {
        if (Date.now() > deadline) return false;
        await sleep(100);
      }
      return true;
    };
    // Subscribing has no acknowledgement: everyone is subscribed once everyone received a change.
    const allSubscribed = () => receivers.every((r) => r.received.size > 0);
    for (let warmup = 0; !allSubscribed(); warmup++) {
      if (warmup >= 30)
        throw new Error(`${receivers.filter((r) => r.received.size === 0).length} subscribers got nothing`);
      await click([`${warmPrefix}${warmup}`]);
      await everyone(allSubscribed, 2_000);
    }
    opts.progress('subscribers: all subscribed');

    opts.progress(`subscribers: ${changesPerSecond} changes/s for ${seconds} s to ${subscribers} subscribers…`);
    const perTick = Math.max(1, Math.round(changesPerSecond / TICKS_PER_SECOND));
    const ticks = seconds * TICKS_PER_SECOND;
    const cpuBefore = cpuSeconds(opts.pids ?? {});
    const clientCpuBefore = process.cpuUsage();
    const started = performance.now();
    const startedAt = Date.now();
    const sends: Promise<number>[] = [];
    for (let tick = 0; tick < ticks; tick++) {
      const due = started + (tick * 1000) / TICKS_PER_SECOND;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      sends.push(click(Array.from({ length: perTick }, (_, n) => `${measuredPrefix}${tick}-${n}`)));
    }
    const sentSeconds = (performance.now() - started) / 1000;
    const accepted = (await Promise.all(sends)).reduce((sum, n) => sum + n, 0);
    // The sentinel is published once every measured change was (some subscriber received each;
    // scoring's partitions publish in their own order): it follows them all in the workspace's
    // subject, which the gateway delivers in order, so a subscriber that has it has had every
    // change it will ever get.
    opts.progress('subscribers: load sent; the sentinel follows it once every change was published');
    const published = await everyone(() => seenByAnyone.size >= accepted, DELIVERY_WAIT_MS);
    await click([sentinelId]);
    const complete = await everyone(() => open().every((r) => r.sentinel), DELIVERY_WAIT_MS);
    const cpuAfter = cpuSeconds(opts.pids ?? {});
    const clientCpu = process.cpuUsage(clientCpuBefore);
    const deliveries = receivers.reduce((sum, r) => sum + r.measured, 0);
    const deliverySeconds = lastMeasuredAt > startedAt ? (lastMeasuredAt - startedAt) / 1000 : sentSeconds;
    const closeCodes: Record<string, number> = {};
    for (const r of receivers) if (r.closeCode !== null) closeCodes[r.closeCode] = (closeCodes[r.closeCode] ?? 0) + 1;
    return {
      subscribers,
      client: opts.client,
      changesPerSecondTarget: changesPerSecond,
      changesPerSecondSent: round1(accepted / sentSeconds),
      changes: accepted,
      failedCalls,
      ...(firstFailure ? { firstFailure } : {}),
      deliveries,
      deliveriesPerSecond: Math.round(deliveries / deliverySeconds),
      lost: accepted * subscribers - deliveries,
      // Every subscriber still open received the sentinel: `lost` is final, not a timeout's count.
      sentinelReceivedByAllOpen: complete,
      changesReceivedByNobody: published ? 0 : accepted - seenByAnyone.size,
      sentinelMissing: open().filter((r) => !r.sentinel).length,
      duplicates: receivers.reduce((sum, r) => sum + r.duplicates, 0),
      errors: receivers.reduce((sum, r) => sum + r.errors, 0),
      closedSubscribers: receivers.length - open().length,
      closeCodes,
      latency: percentiles(latencies),
      // CPU seconds each process used from the first change sent to the sentinel's receipt by all.
      cpuSeconds: {
        benchClient: round1((clientCpu.user + clientCpu.system) / 1e6),
        ...Object.fromEntries(Object.entries(cpuAfter).map(([name, s]) => [name, round1(s - (cpuBefore[name] ?? 0))])),
      },
      wallSeconds: round1((performance.now() - started) / 1000),
    };
  } finally {
    await Promise.all(receivers.map((r) => r.client.dispose()));
  }
}

/**
 * A graphql-ws (graphql-transport-ws) subscriber speaking the protocol directly over `ws`:
 * connection_init with the key, one subscribe, pong to pings, each `next` payload parsed once.
 */
function protocolSubscriber(
  url: string,
  apiKey: string,
  query: string,
  on: { next(payload: never): void; error(): void; closed(code: number): void },
): { dispose(): Promise<void> } {
  const socket = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false });
  socket.on('open', () =>
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${apiKey}` } })),
  );
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { type: string; payload?: never };
    if (message.type === 'next') on.next(message.payload!);
    else if (message.type === 'connection_ack')
      socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
    else if (message.type === 'ping') socket.send('{"type":"pong"}');
    else if (message.type === 'error') on.error();
  });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) =>
    socket.once('close', (code) => {
      on.closed(code);
      resolve();
    }),
  );
  return {
    dispose: async () => {
      if (socket.readyState === WebSocket.CLOSED) return;
      socket.close(1000, 'done');
      await closed;
    },
  };
}

/** utime + stime of each process in seconds, from /proc (Linux; missing processes are left out). */
function cpuSeconds(pids: Record<string, number>): Record<string, number> {
  const ticks = 100; // USER_HZ on Linux
  const out: Record<string, number> = {};
  for (const [name, pid] of Object.entries(pids)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out[name] = (Number(fields[11]) + Number(fields[12])) / ticks;
    } catch {
      // Gone, or no /proc.
    }
  }
  return out;
}

async function main() {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      subscribers: { type: 'string', default: '1000' },
      rate: { type: 'string', default: '100' },
      seconds: { type: 'string', default: '10' },
      'cpu-prof': { type: 'string' },
      sources: { type: 'boolean', default: false },
      client: { type: 'string', default: 'protocol' },
    },
    strict: true,
  });
  const number = (name: 'subscribers' | 'rate' | 'seconds') => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value <= 0)
      throw new Error(`--${name} must be a positive integer, not '${values[name]}'`);
    return value;
  };
  const profDir = values['cpu-prof'] ? resolve(values['cpu-prof']) : undefined;
  const client = values.client;
  if (client !== 'protocol' && client !== 'graphql-ws') {
    throw new Error(`--client must be protocol or graphql-ws, not '${client}'`);
  }
  const progress = (message: string) => process.stderr.write(`[bench:subscribers] ${message}\n`);
  const loadBefore = loadavg().map((n) => Math.round(n * 100) / 100);
  const dir = mkdtempSync(join(tmpdir(), 'cei-bench-subs-'));
  const infra = await startInfrastructure({ dir });
  try {
    progress(`baseline: raw JetStream publish of ${RAW_PUBLISHES} messages…`);
    const rawJetStreamPublishesPerSecond = await measureRawJetStreamPublish(infra.natsUrl);
    const bench = await startBenchPlatform({
      natsUrl: infra.natsUrl,
      mongoUrl: infra.mongoUrl,
      namespace: testNamespace('benchsubs'),
      setUp: [`mutation { createScoringRule(input: { kind: EMAIL_CLICK, points: 1 }) { id } }`],
      compiled: !values.sources,
      env: profDir ? cpuProfileEnv(profDir) : {},
      progress,
    });
    try {
      const result = await measureSubscribers({
        httpUrl: bench.httpUrl,
        wsUrl: bench.wsUrl,
        readKey: bench.keys.read,
        writeKey: bench.keys.write,
        subscribers: number('subscribers'),
        changesPerSecond: number('rate'),
        seconds: number('seconds'),
        contactPrefix: 'b',
        progress,
        client,
        pids: bench.platform.pids,
      });
      const report = {
        machine: {
          cpus: cpus().length,
          node: process.version,
          database: infra.backend,
          natsStore: infra.natsStore,
          apps: values.sources ? 'sources under tsx' : 'compiled (pnpm build), one instance each',
          loadAverage: { before: loadBefore, after: loadavg().map((n) => Math.round(n * 100) / 100) },
        },
        rawJetStreamPublishesPerSecond,
        subscribers: {
          ...result,
          deliveriesRatioToRawJetStreamPublish:
            Math.round((result.deliveriesPerSecond / rawJetStreamPublishesPerSecond) * 1000) / 1000,
        },
        ...(profDir ? { cpuProfiles: profDir } : {}),
      };
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      if (result.failedCalls > 0 || result.lost > 0) {
        progress(`gateway-1 output:\n${bench.platform.output('gateway-1').slice(-5).join('\n').slice(0, 1500)}`);
      }
    } finally {
      await bench.stop();
    }
  } finally {
    await infra.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Preloads cpu-profile.cjs into every platform process (NODE_OPTIONS may not carry --cpu-prof). */
function cpuProfileEnv(profDir: string): Record<string, string> {
  const preload = `--require ${join(__dirname, 'cpu-profile.cjs')}`;
  return {
    NODE_OPTIONS: [process.env.NODE_OPTIONS, preload].filter(Boolean).join(' '),
    CEI_CPU_PROF_DIR: profDir,
  };
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`[bench:subscribers] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
