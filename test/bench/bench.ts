// `pnpm bench`: measures the platform against baselines taken in the same run on
// the same servers (raw insertMany into the database, raw JetStream publish), and
// prints one JSON object. Progress goes to stderr.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseName } from '@cei/config';
import { connectDatabase } from '@cei/mongo';
import { connectNats } from '@cei/nats';
import { ferretdbTuningEnabled, startInfrastructure, testNamespace } from '@cei/testing';
import { createWorkspace } from '@cei/gateway/src/auth/api-keys';
import { startPlatform } from '../src/platform';
import { gql, subscribe } from '../src/gateway-client';
import { measureRawInsertMany, RAW_INSERT_DOCS } from './db-lookups-bench';
import { measureScoring } from './scoring-bench';

const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const perSecond = (count: number, ms: number) => Math.round((count / ms) * 1000);
const ratio = (a: number, b: number) => Math.round((a / b) * 1000) / 1000;

const SIZES = {
  publishes: 10_000,
  trackedInteractions: 10_000,
  trackBatch: 500,
  latencySamples: 200,
  latencyRatePerSecond: 20,
  scoredInteractions: 100_000,
  scoredContacts: 1_000,
};

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'cei-bench-'));
  progress('starting NATS and the database (or using NATS_URL / MONGO_URL)…');
  const infra = await startInfrastructure({ dir });
  try {
    const baselines = await measureBaselines(infra.natsUrl, infra.mongoUrl);
    const scoring = await measureScoring(
      infra.natsUrl,
      infra.mongoUrl,
      { interactions: SIZES.scoredInteractions, contacts: SIZES.scoredContacts },
      progress,
    );
    const platform = await measurePlatform(infra.natsUrl, infra.mongoUrl);
    const result = {
      machine: {
        cpus: (await import('node:os')).cpus().length,
        node: process.version,
        database: infra.backend,
        // Whether the embedded PostgreSQL had the indexes and custom plans for FerretDB's lookups (CEI_PG_TUNING).
        ...(infra.postgresUrl ? { postgresSetUpForFerretDB: ferretdbTuningEnabled() } : {}),
      },
      baselines,
      gateway: {
        ...platform.throughput,
        ratioToRawInsertMany: ratio(
          platform.throughput.acceptedInteractionsPerSecond,
          baselines.rawInsertManyDocsPerSecond,
        ),
        ratioToRawJetStreamPublish: ratio(
          platform.throughput.acceptedInteractionsPerSecond,
          baselines.rawJetStreamPublishesPerSecond,
        ),
      },
      scoring: {
        ...scoring,
        scoredRatioToRawInsertMany: ratio(scoring.scoredInteractionsPerSecond, baselines.rawInsertManyDocsPerSecond),
        recomputeRatioToRawInsertMany:
          scoring.recompute.interactionsPerSecond === null
            ? null
            : ratio(scoring.recompute.interactionsPerSecond, baselines.rawInsertManyDocsPerSecond),
      },
      acceptedToPhaseChanged: platform.latency,
      rssMegabytes: platform.rss,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await infra.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measureBaselines(natsUrl: string, mongoUrl: string) {
  progress(`baseline: raw insertMany of ${RAW_INSERT_DOCS} documents in batches of 1000…`);
  const db = await connectDatabase(mongoUrl, 'bench_baseline');
  const rawInsertManyDocsPerSecond = await measureRawInsertMany(db.connection.getClient(), db.connection.name);
  await db.connection.db!.dropDatabase();
  await db.close();

  progress(`baseline: raw JetStream publish of ${SIZES.publishes} messages (acks awaited, 256 in flight)…`);
  const nats = await connectNats(natsUrl, 'bench');
  await nats.jsm.streams.add({ name: 'BENCH_RAW', subjects: ['bench.raw.>'] });
  const payload = JSON.stringify({ v: 1, kind: 'PAGE_VISIT', properties: { url: '/pricing' } });
  const started = performance.now();
  for (let i = 0; i < SIZES.publishes; i += 256) {
    const window = Array.from({ length: Math.min(256, SIZES.publishes - i) }, (_, j) =>
      nats.js.publish(`bench.raw.${(i + j) % 16}`, payload, { msgID: `m${i + j}` }),
    );
    await Promise.all(window);
  }
  const rawJetStreamPublishesPerSecond = perSecond(SIZES.publishes, performance.now() - started);
  await nats.jsm.streams.delete('BENCH_RAW');
  await nats.close();
  return { rawInsertManyDocsPerSecond, rawJetStreamPublishesPerSecond };
}

async function measurePlatform(natsUrl: string, mongoUrl: string) {
  const namespace = testNamespace('bench');
  progress('starting the four subgraphs and a gateway…');
  const platform = await startPlatform({ natsUrl, mongoUrl, namespace, env: { LOG_LEVEL: 'error' } });
  const gatewayDb = await connectDatabase(mongoUrl, databaseName(namespace, 'gateway'));
  try {
    const { keys } = await createWorkspace(gatewayDb.connection);
    const http = platform.gateways[0]!.httpUrl;
    await gql(http, keys.admin, `mutation { createScoringRule(input: { kind: PAGE_VISIT, points: 5 }) { id } }`);
    await gql(
      http,
      keys.admin,
      `mutation { updateLifecyclePolicy(input: { purchaseScore: 5, exitScore: 1, hysteresis: 1 }) { purchaseScore } }`,
    );

    progress(
      `throughput: ${SIZES.trackedInteractions} interactions through trackInteractions, batches of ${SIZES.trackBatch}, 2 clients…`,
    );
    const batches = Array.from({ length: SIZES.trackedInteractions / SIZES.trackBatch }, (_, b) =>
      Array.from({ length: SIZES.trackBatch }, (_, i) => ({
        id: `t${b}-${i}`,
        kind: 'LINK_CLICK',
        contactId: `load${i % 1000}`,
      })),
    );
    let accepted = 0;
    const started = performance.now();
    await Promise.all(
      [0, 1].map(async (client) => {
        for (let b = client; b < batches.length; b += 2) {
          const r = await gql<{ trackInteractions: { accepted: number } }>(
            http,
            keys.write,
            `mutation($i: [InteractionInput!]!) { trackInteractions(interactions: $i) { accepted } }`,
            { i: batches[b] },
          );
          accepted += r.data?.trackInteractions.accepted ?? 0;
        }
      }),
    );
    const acceptedInteractionsPerSecond = perSecond(accepted, performance.now() - started);

    progress('waiting until every consumer has worked off the backlog…');
    const drainedAfterMs = await waitUntilDrained(natsUrl, namespace);

    progress(
      `latency: ${SIZES.latencySamples} single-interaction requests at ${SIZES.latencyRatePerSecond}/s, accepted → phaseChanged received…`,
    );
    const subscription = subscribe<{ phaseChanged: { contact: { id: string } } }>(
      platform.gateways[0]!.wsUrl,
      keys.read,
      `subscription { phaseChanged { to contact { id score { general } } } }`,
    );
    await subscription.connected;
    const acceptedAt = new Map<string, number>();
    const latencies: number[] = [];
    const seen = new Set<number>();
    const collect = () => {
      subscription.results.forEach((result, index) => {
        if (seen.has(index)) return;
        seen.add(index);
        const id = result.data?.phaseChanged.contact.id;
        const at = id ? acceptedAt.get(id) : undefined;
        if (at !== undefined) latencies.push(performance.now() - at);
      });
    };
    for (let i = 0; i < SIZES.latencySamples; i++) {
      const contactId = `lat${i}`;
      const sentAt = performance.now();
      await gql(
        http,
        keys.write,
        `mutation($i: [InteractionInput!]!) { trackInteractions(interactions: $i) { accepted } }`,
        {
          i: [{ id: `l${i}`, kind: 'PAGE_VISIT', contactId }],
        },
      );
      acceptedAt.set(contactId, performance.now());
      collect();
      const wait = 1000 / SIZES.latencyRatePerSecond - (performance.now() - sentAt);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const deadline = Date.now() + 30_000;
    while (latencies.length < SIZES.latencySamples && Date.now() < deadline) {
      collect();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await subscription.dispose();
    latencies.sort((a, b) => a - b);
    const pct = (p: number) =>
      Math.round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]! * 10) / 10;

    const rss = Object.fromEntries(
      Object.entries(platform.pids).map(([name, pid]) => [name, Math.round(rssKb(pid) / 1024)]),
    );
    return {
      throughput: {
        acceptedInteractionsPerSecond,
        accepted,
        batchSize: SIZES.trackBatch,
        concurrentClients: 2,
        // From the last accepted batch until scoring, lifecycle and notification had applied everything.
        pipelineDrainedAfterMs: drainedAfterMs,
      },
      latency: {
        load: `${SIZES.latencyRatePerSecond} requests/s of 1 interaction, each crossing the purchase threshold`,
        samples: latencies.length,
        p50Ms: pct(50),
        p95Ms: pct(95),
        p99Ms: pct(99),
      },
      rss,
    };
  } finally {
    await gatewayDb.close();
    await platform.stop();
  }
}

/** Waits until no consumer of the namespace has pending or unacknowledged events; returns how long it took. */
async function waitUntilDrained(natsUrl: string, namespace: string): Promise<number> {
  const started = performance.now();
  const nats = await connectNats(natsUrl, 'bench-drain');
  try {
    for (;;) {
      let outstanding = 0;
      for await (const stream of nats.jsm.streams.list()) {
        if (!stream.config.name.startsWith(namespace.toUpperCase())) continue;
        for await (const consumer of nats.jsm.consumers.list(stream.config.name)) {
          outstanding += consumer.num_pending + consumer.num_ack_pending;
        }
      }
      if (outstanding === 0) return Math.round(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await nats.close();
  }
}

function rssKb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

main().catch((err) => {
  process.stderr.write(`[bench] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
