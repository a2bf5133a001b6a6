// How fast the platform accepts interactions: batches of 500 from 2 clients, through the
// gateway's trackInteractions mutation and through POST /collect (JSON lines). Each path twice:
// the accept path alone (every consumer paused on the NATS server while it accepts, as the
// baseline's insertMany runs alone), and with the whole platform running (its consumers work
// off what is accepted meanwhile, on the same two cores). Each run starts on a drained
// pipeline, so none pays for another's backlog.
import { databaseName } from '@cei/config';
import { connectDatabase } from '@cei/mongo';
import { connectNats, type Nats } from '@cei/nats';
import { testNamespace } from '@cei/testing';
import { createWorkspace } from '@cei/gateway/src/auth/api-keys';
import { startPlatform } from '../src/platform';
import { gql } from '../src/gateway-client';
import { namespaceStreams, pauseConsumers } from './pipeline-progress';

export interface AcceptBenchSizes {
  /** Interactions sent through each path. */
  interactions: number;
  batchSize: number;
  clients: number;
  /** Contacts the interactions are spread over. */
  contacts: number;
}

export const ACCEPT_SIZES: AcceptBenchSizes = { interactions: 10_000, batchSize: 500, clients: 2, contacts: 1_000 };

export interface AcceptBenchResult {
  /** The accept path alone: the consumers paused while it accepts. */
  acceptedThroughGatewayPerSecond: number;
  acceptedThroughCollectPerSecond: number;
  /** The same, while the consumers apply what is accepted on the same cores. */
  whileDraining: { acceptedThroughGatewayPerSecond: number; acceptedThroughCollectPerSecond: number };
  batchSize: number;
  clients: number;
  interactionsPerPath: number;
  /** From the last accepted batch of each path (consumers running) until every consumer had applied everything. */
  drainedAfterMs: { gateway: number; collect: number };
}

const TRACK = `mutation($i: [InteractionInput!]!) { trackInteractions(interactions: $i) { accepted } }`;

export interface AcceptBenchOptions {
  sizes?: AcceptBenchSizes;
  /** Extra environment for every process of the platform (e.g. a CPU profiler preload). */
  env?: Record<string, string>;
  /** Run the apps as built JavaScript (default: CEI_COMPILED=1, as startPlatform decides). */
  compiled?: boolean;
}

export async function measureAccept(
  natsUrl: string,
  mongoUrl: string,
  progress: (message: string) => void,
  options: AcceptBenchOptions = {},
): Promise<AcceptBenchResult> {
  const { sizes = ACCEPT_SIZES, env = {}, compiled } = options;
  const namespace = testNamespace('benchaccept');
  progress('accept: starting the four subgraphs and a gateway…');
  const platform = await startPlatform({
    natsUrl,
    mongoUrl,
    namespace,
    compiled,
    env: { LOG_LEVEL: 'error', ...env },
  });
  const gatewayDb = await connectDatabase(mongoUrl, databaseName(namespace, 'gateway'));
  const nats = await connectNats(natsUrl, 'bench-accept');
  try {
    const { keys } = await createWorkspace(gatewayDb.connection);
    const graphqlUrl = platform.gateways[0]!.httpUrl;
    const collectUrl = graphqlUrl.replace(/\/graphql$/, '/collect');
    await gql(graphqlUrl, keys.admin, `mutation { createScoringRule(input: { kind: LINK_CLICK, points: 5 }) { id } }`);

    const batchesOf = (prefix: string) =>
      Array.from({ length: Math.ceil(sizes.interactions / sizes.batchSize) }, (_, b) =>
        Array.from({ length: Math.min(sizes.batchSize, sizes.interactions - b * sizes.batchSize) }, (_, i) => ({
          id: `${prefix}${b}-${i}`,
          kind: 'LINK_CLICK',
          contactId: `load${(b * sizes.batchSize + i) % sizes.contacts}`,
          properties: { url: `/docs/${i % 50}` },
        })),
      );

    const throughGraph = (batches: ReturnType<typeof batchesOf>) =>
      sendAll(batches, sizes.clients, async (batch) => {
        const response = await gql<{ trackInteractions: { accepted: number } }>(graphqlUrl, keys.write, TRACK, {
          i: batch,
        });
        if (!response.data) throw new Error(`trackInteractions failed: ${JSON.stringify(response.errors)}`);
        return response.data.trackInteractions.accepted;
      });
    const throughCollect = (batches: ReturnType<typeof batchesOf>) =>
      sendAll(batches, sizes.clients, async (batch) => {
        const response = await fetch(collectUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${keys.write}` },
          body: batch.map((interaction) => JSON.stringify(interaction)).join('\n'),
        });
        const receipt = (await response.json()) as { accepted?: number };
        if (response.status !== 200 || receipt.accepted === undefined) {
          throw new Error(`/collect answered ${response.status}: ${JSON.stringify(receipt)}`);
        }
        return receipt.accepted;
      });
    /** The accept path alone: every consumer paused while it accepts, then the backlog drained. */
    const alone = async (send: () => Promise<number>) => {
      const resume = await pauseConsumers(nats, namespace);
      try {
        return await send();
      } finally {
        await resume();
        progress('accept: resumed the consumers, waiting until they have worked off the backlog…');
        await waitUntilDrained(nats, namespace);
      }
    };

    progress(`accept: ${sizes.interactions} interactions through trackInteractions (GraphQL), consumers paused…`);
    const gatewayAlone = await alone(() => throughGraph(batchesOf('ga')));
    progress(`accept: ${sizes.interactions} interactions through POST /collect (JSON lines), consumers paused…`);
    const collectAlone = await alone(() => throughCollect(batchesOf('ca')));

    progress(`accept: ${sizes.interactions} interactions through trackInteractions (GraphQL), consumers running…`);
    const gatewayWhileDraining = await throughGraph(batchesOf('g'));
    progress('accept: waiting until every consumer has worked off the backlog…');
    const gatewayDrained = await waitUntilDrained(nats, namespace);

    progress(`accept: ${sizes.interactions} interactions through POST /collect (JSON lines), consumers running…`);
    const collectWhileDraining = await throughCollect(batchesOf('c'));
    progress('accept: waiting until every consumer has worked off the backlog…');
    const collectDrained = await waitUntilDrained(nats, namespace);

    return {
      acceptedThroughGatewayPerSecond: gatewayAlone,
      acceptedThroughCollectPerSecond: collectAlone,
      whileDraining: {
        acceptedThroughGatewayPerSecond: gatewayWhileDraining,
        acceptedThroughCollectPerSecond: collectWhileDraining,
      },
      batchSize: sizes.batchSize,
      clients: sizes.clients,
      interactionsPerPath: sizes.interactions,
      drainedAfterMs: { gateway: gatewayDrained, collect: collectDrained },
    };
  } finally {
    await nats.close();
    await gatewayDb.close();
    await platform.stop();
  }
}

/** Sends the batches from `clients` concurrent senders; returns the accepted interactions per second. */
async function sendAll<T>(batches: T[], clients: number, send: (batch: T) => Promise<number>): Promise<number> {
  let next = 0;
  let accepted = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < batches.length) {
        const n = await send(batches[next++]!);
        accepted += n;
      }
    }),
  );
  const expected = batches.reduce((sum, batch) => sum + (batch as unknown[]).length, 0);
  if (accepted !== expected) throw new Error(`accepted ${accepted} of ${expected} interactions`);
  return Math.round((accepted / (performance.now() - started)) * 1000);
}

/** Waits until no consumer of the namespace has pending or unacknowledged events; returns how long it took. */
async function waitUntilDrained(nats: Nats, namespace: string, timeoutMs = 600_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    let outstanding = 0;
    for await (const stream of namespaceStreams(nats, namespace)) {
      for await (const consumer of nats.jsm.consumers.list(stream)) {
        outstanding += consumer.num_pending + consumer.num_ack_pending;
      }
    }
    if (outstanding === 0) return Math.round(performance.now() - started);
    if (performance.now() - started > timeoutMs) {
      throw new Error(`${outstanding} events still pending ${timeoutMs / 1000} s after the last batch`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
