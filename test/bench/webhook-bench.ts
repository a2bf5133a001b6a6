// Webhooks, in process: the notification service (its fan-out and delivery consumers) against a
// local HTTP receiver, fed phase changes on the PHASES stream as lifecycle publishes them.
//   1. latency: events at a stated rate → webhook received, p50/p99 (publish time to arrival);
//   2. throughput: a backlog of events → deliveries per second at the receiver, with the ratio
//      to the raw JetStream publish rate of as many messages measured in the same run.
// Runner: `NATS_URL=… MONGO_URL=… npx tsx --conditions=cei-source test/bench/webhook-bench.ts`
// (without them it starts its own NATS and database, as `pnpm bench` does).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@cei/config';
import { topology } from '@cei/contracts';
import { connectNats, ensureStream } from '@cei/nats';
import { callSubgraph, startInfrastructure, testNamespace, TEST_SECRET } from '@cei/testing';
import { loadNotificationConfig } from '@cei/notification/src/config';
import { startNotification } from '@cei/notification/src/server';

export interface WebhookBenchSizes {
  /** Events of the latency run, and their rate (events per second). */
  latencyEvents: number;
  ratePerSecond: number;
  /** Events of the throughput run (published as fast as acks come back). */
  throughputEvents: number;
  contacts: number;
}

export const WEBHOOK_BENCH_SIZES: WebhookBenchSizes = {
  latencyEvents: 500,
  ratePerSecond: 50,
  throughputEvents: 3_000,
  contacts: 500,
};

export interface WebhookBenchResult {
  ratePerSecond: number;
  latencyMs: { p50: number; p99: number; max: number; events: number };
  deliveriesPerSecond: number;
  rawPublishPerSecond: number;
  /** deliveriesPerSecond / rawPublishPerSecond. */
  ratioToRawPublish: number;
  throughputEvents: number;
  /** Requests the receiver got beyond one per delivery (at-least-once duplicates). */
  duplicates: number;
}

const CREATE = /* GraphQL */ `
  mutation ($input: CreateWebhookEndpointInput!) {
    createWebhookEndpoint(input: $input) {
      endpoint {
        id
      }
    }
  }
`;

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

export async function measureWebhooks(
  natsUrl: string,
  mongoUrl: string,
  progress: (message: string) => void,
  sizes: WebhookBenchSizes = WEBHOOK_BENCH_SIZES,
): Promise<WebhookBenchResult> {
  const namespace = testNamespace('benchwebhooks');
  const ns = topology(namespace);
  const ws = 'bench';
  // Arrival time per transition id (the first arrival counts; repeats are counted as duplicates).
  const arrivals = new Map<string, number>();
  let requests = 0;
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests++;
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { transitionId: string } };
      if (!arrivals.has(body.data.transitionId)) arrivals.set(body.data.transitionId, Date.now());
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const config = loadNotificationConfig({
    NATS_URL: natsUrl,
    MONGO_URL: mongoUrl,
    CEI_NAMESPACE: namespace,
    CEI_INTERNAL_SECRET: TEST_SECRET,
    NOTIFICATION_PORT: '0',
    WEBHOOK_ALLOW_PRIVATE: `${ws}=127.0.0.1`,
    WEBHOOK_CONCURRENCY: '16',
  });
  const notification = await startNotification(config, createLogger('notification', 'error'));
  const nats = await connectNats(natsUrl, 'bench-webhooks');
  try {
    const created = await callSubgraph(notification.url, { workspaceId: ws, role: 'admin' }, CREATE, {
      input: { url, kinds: ['PHASE_CHANGED'] },
    });
    if (created.errors) throw new Error(`endpoint not created: ${JSON.stringify(created.errors)}`);
    let n = 0;
    const publish = (contact: number, at = new Date()) => {
      const transitionId = `t${++n}`;
      const contactId = `c${contact % sizes.contacts}`;
      const event = {
        v: 1,
        workspaceId: ws,
        contactId,
        transitionId,
        from: n % 2 ? 'NURTURE' : 'PURCHASE',
        to: n % 2 ? 'PURCHASE' : 'NURTURE',
        half: 'PROSPECT',
        reason: 'bench',
        at: at.toISOString(),
      };
      const sent = Date.now();
      return nats.js
        .publish(ns.subjects.phaseChanged(ws, contactId), JSON.stringify(event), { msgID: `pc:${ws}:${transitionId}` })
        .then(() => ({ transitionId, sent }));
    };
    const waitArrivals = async (ids: string[], timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while (ids.some((id) => !arrivals.has(id))) {
        if (Date.now() > deadline)
          throw new Error(`${ids.filter((id) => !arrivals.has(id)).length} webhooks not delivered`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };

    progress(`webhooks: ${sizes.latencyEvents} events at ${sizes.ratePerSecond}/s…`);
    const sentAt = new Map<string, number>();
    const pending: Promise<unknown>[] = [];
    const start = Date.now();
    for (let i = 0; i < sizes.latencyEvents; i++) {
      const due = start + (i * 1000) / sizes.ratePerSecond;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const t0 = Date.now();
      pending.push(publish(i).then(({ transitionId }) => sentAt.set(transitionId, t0)));
    }
    await Promise.all(pending);
    await waitArrivals([...sentAt.keys()], 120_000);
    const latencies = [...sentAt].map(([id, t0]) => arrivals.get(id)! - t0).sort((x, y) => x - y);

    progress(`webhooks: a backlog of ${sizes.throughputEvents} events…`);
    const ids: string[] = [];
    const t1 = Date.now();
    const inFlight = new Set<Promise<unknown>>();
    for (let i = 0; i < sizes.throughputEvents; i++) {
      const p = publish(i).then(({ transitionId }) => ids.push(transitionId));
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
      if (inFlight.size >= 256) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    await waitArrivals(ids, 300_000);
    const lastArrival = Math.max(...ids.map((id) => arrivals.get(id)!));
    const deliveriesPerSecond = sizes.throughputEvents / ((lastArrival - t1) / 1000);

    progress('webhooks: the raw JetStream publish baseline…');
    const raw = { name: `${ns.namespace.toUpperCase()}_WHBASE`, subjects: [`whbase_${namespace}.>`] };
    await ensureStream(nats.jsm, raw);
    const t2 = Date.now();
    const rawInFlight = new Set<Promise<unknown>>();
    for (let i = 0; i < sizes.throughputEvents; i++) {
      const p = nats.js.publish(`whbase_${namespace}.${i % 16}`, JSON.stringify({ i, pad: 'x'.repeat(300) }), {
        msgID: `b${i}`,
      });
      rawInFlight.add(p);
      void p.finally(() => rawInFlight.delete(p));
      if (rawInFlight.size >= 256) await Promise.race(rawInFlight);
    }
    await Promise.all(rawInFlight);
    const rawPublishPerSecond = sizes.throughputEvents / ((Date.now() - t2) / 1000);
    await nats.jsm.streams.delete(raw.name);

    return {
      ratePerSecond: sizes.ratePerSecond,
      latencyMs: {
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        max: latencies.at(-1) ?? 0,
        events: latencies.length,
      },
      deliveriesPerSecond: Math.round(deliveriesPerSecond),
      rawPublishPerSecond: Math.round(rawPublishPerSecond),
      ratioToRawPublish: Math.round((deliveriesPerSecond / rawPublishPerSecond) * 1000) / 1000,
      throughputEvents: sizes.throughputEvents,
      duplicates: requests - arrivals.size,
    };
  } finally {
    await nats.close();
    await notification.stop();
    await new Promise((resolve) => receiver.close(resolve));
  }
}

if (require.main === module) {
  void (async () => {
    const log = (m: string) => console.error(m);
    // NATS_URL / MONGO_URL when set, else servers of its own (as `pnpm bench`).
    const infra = await startInfrastructure({ dir: mkdtempSync(join(tmpdir(), 'cei-webhook-bench-')) });
    try {
      console.log(JSON.stringify(await measureWebhooks(infra.natsUrl, infra.mongoUrl, log), null, 2));
    } finally {
      await infra.stop();
    }
  })().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
