// Many live subscribers on one gateway: N graphql-ws clients (one socket each) subscribe to
// scoreChanged of one workspace, with a field of another subgraph in the payload, while
// score changes come at a fixed rate through the real pipeline (trackInteractions, one
// EMAIL_CLICK of a fresh contact each: one change each). Every client must receive every
// change (lost: must be 0); latency is from the change's `at` (when scoring made it) to the
// client's receipt. Run alone: `tsx --conditions=cei-source test/bench/subscribers-bench.ts [subscribers] [rate] [seconds]`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { databaseName } from '@cei/config';
import { connectDatabase } from '@cei/mongo';
import { startInfrastructure, testNamespace } from '@cei/testing';
import { createWorkspace } from '@cei/gateway/src/auth/api-keys';
import { gql } from '../src/gateway-client';
import { startPlatform } from '../src/platform';

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
  client: Client;
  received: Map<string, number>;
  /** Changes of the measured run received (not the warm-up's). */
  measured: number;
  duplicates: number;
  errors: number;
  closed: boolean;
}

export async function measureSubscribers(opts: SubscribersBenchOptions) {
  const { subscribers, changesPerSecond, seconds } = opts;
  opts.progress(`subscribers: connecting ${subscribers} graphql-ws subscribers to scoreChanged…`);
  const latencies: number[] = [];
  const warmPrefix = `${opts.contactPrefix}warm`;
  const receivers: Receiver[] = [];
  for (let i = 0; i < subscribers; i++) {
    const receiver: Receiver = {
      client: undefined as never,
      received: new Map(),
      measured: 0,
      duplicates: 0,
      errors: 0,
      closed: false,
    };
    receiver.client = createClient({
      url: opts.wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${opts.readKey}` },
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => undefined,
      on: { closed: () => void (receiver.closed = true) },
    });
    receiver.client.subscribe<{ scoreChanged: { id: string; at: string } }>(
      { query: SUBSCRIPTION },
      {
        next: (result) => {
          const change = result.data?.scoreChanged;
          if (!change) {
            receiver.errors++;
            return;
          }
          if (receiver.received.has(change.id)) {
            receiver.duplicates++;
            return;
          }
          const now = Date.now();
          receiver.received.set(change.id, now);
          if (change.id.startsWith(warmPrefix)) return;
          receiver.measured++;
          latencies.push(now - Date.parse(change.at));
        },
        error: () => void receiver.errors++,
        complete: () => undefined,
      },
    );
    receivers.push(receiver);
  }
  let failedCalls = 0;
  const click = async (ids: string[]) => {
    const interactions = ids.map((id) => ({ id, kind: 'EMAIL_CLICK', contactId: id }));
    const answer = await gql<{ trackInteractions: { accepted: number } }>(
      opts.httpUrl,
      opts.writeKey,
      `mutation ($i: [InteractionInput!]!) { trackInteractions(interactions: $i) { accepted } }`,
      { i: interactions },
    ).catch(() => undefined);
    if (!answer?.data) failedCalls++;
    return answer?.data?.trackInteractions.accepted ?? 0;
  };
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
    const started = performance.now();
    const sends: Promise<number>[] = [];
    for (let tick = 0; tick < ticks; tick++) {
      const due = started + (tick * 1000) / TICKS_PER_SECOND;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      sends.push(click(Array.from({ length: perTick }, (_, n) => `${opts.contactPrefix}${tick}-${n}`)));
    }
    const sentSeconds = (performance.now() - started) / 1000;
    const accepted = (await Promise.all(sends)).reduce((sum, n) => sum + n, 0);
    await everyone(() => receivers.every((r) => r.closed || r.measured >= accepted), DELIVERY_WAIT_MS);
    const deliveries = receivers.reduce((sum, r) => sum + r.measured, 0);
    return {
      subscribers,
      changesPerSecondTarget: changesPerSecond,
      changesPerSecondSent: round1(accepted / sentSeconds),
      changes: accepted,
      failedCalls,
      deliveries,
      lost: accepted * subscribers - deliveries,
      duplicates: receivers.reduce((sum, r) => sum + r.duplicates, 0),
      errors: receivers.reduce((sum, r) => sum + r.errors, 0),
      closedSubscribers: receivers.filter((r) => r.closed).length,
      latency: percentiles(latencies),
    };
  } finally {
    await Promise.all(receivers.map((r) => r.client.dispose()));
  }
}

async function main() {
  const [subscribers = 1000, rate = 100, seconds = 20] = process.argv.slice(2).map(Number);
  const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'cei-bench-'));
  const infra = await startInfrastructure({ dir });
  const namespace = testNamespace('benchsubs');
  const platform = await startPlatform({ natsUrl: infra.natsUrl, mongoUrl: infra.mongoUrl, namespace });
  try {
    const db = await connectDatabase(infra.mongoUrl, databaseName(namespace, 'gateway'));
    const workspace = await createWorkspace(db.connection);
    await db.close();
    const [gateway] = platform.gateways;
    const rule = await gql(
      gateway!.httpUrl,
      workspace.keys.admin,
      `mutation { createScoringRule(input: { kind: EMAIL_CLICK, points: 1 }) { id } }`,
    );
    if (rule.errors) throw new Error(`createScoringRule failed: ${JSON.stringify(rule.errors)}`);
    const result = await measureSubscribers({
      httpUrl: gateway!.httpUrl,
      wsUrl: gateway!.wsUrl,
      readKey: workspace.keys.read,
      writeKey: workspace.keys.write,
      subscribers,
      changesPerSecond: rate,
      seconds,
      contactPrefix: 'b',
      progress,
    });
    process.stdout.write(`${JSON.stringify({ subscribers: result }, null, 2)}\n`);
    if (result.failedCalls > 0 || result.lost > 0) {
      for (const name of ['gateway-1', ...platform.instances.map((instance) => instance.name)]) {
        progress(`${name} output:\n${platform.output(name).slice(-5).join('\n').slice(0, 1500)}`);
      }
    }
  } catch (err) {
    for (const name of ['gateway-1', ...platform.instances.map((instance) => instance.name)]) {
      progress(`${name} output:\n${platform.output(name).slice(-5).join('\n').slice(0, 2000)}`);
    }
    throw err;
  } finally {
    await platform.stop();
    await infra.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`[bench] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
