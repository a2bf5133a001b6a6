// Webhooks, wired: the fan-out consumer (phase changes → deliveries), the delivery consumer
// (deliveries → signed HTTP attempts), and what the resolvers need.
//
// Design (README "Webhooks"):
//   PHASES, SCORES, NOTIFICATIONS ──(webhooks-fanout*, per contact)──▶ WEBHOOKS ──(webhooks, per endpoint)──▶ HTTP
//   (and a notification rule's WEBHOOK action publishes to WEBHOOKS itself, see messages/engine.ts)
// 1. The fan-out consumer publishes one message per (event, matching endpoint), message id =
//    the delivery id, before acknowledging the event: a crash re-publishes, the stream drops copies.
// 2. WEBHOOKS subjects carry the endpoint's partition, so one instance owns an endpoint: the
//    concurrency limit, ordering per contact and the endpoint's health have one owner and one
//    writer (DESIGN.md rule 1). Retries are redeliveries with exponential backoff and jitter;
//    nothing is acknowledged before its attempt and its record are durable; attempts and
//    outcomes are insert-only with deterministic ids (rule 2); no bulk update (rule 4).
// 3. kill -9 mid-delivery leaves the message unacknowledged: redelivered after the ack wait,
//    sent again with the same webhook-id. At-least-once; receivers dedupe on webhook-id.
import type { Logger } from '@cei/config';
import { decodeNotificationCreated, decodeScoreChangeMessage, type Topology } from '@cei/contracts';
import type { Database } from '@cei/mongo';
import { createPartitionedConsumer, versionedConfig, type Nats, type VersionedConfig } from '@cei/nats';
import { isDatabaseUnavailable } from '@cei/mongo';
import { decodeLifecycleEvent, messageFilters } from '../messages/events';
import type { NotificationConfig } from '../config';
import { createWebhookDeliverer, decodeDelivery } from './deliver';
import { createWebhookFanout, lifecycleWebhookEvent, notificationWebhookEvent, scoreWebhookEvent } from './fanout';
import type { WebhookEndpointDoc, WebhookModels } from './models';
import { parseAllowance, type PrivateAllowance } from './ssrf';

export interface WebhookRuntime {
  models: WebhookModels;
  endpoints: VersionedConfig<WebhookEndpointDoc[]>;
  allow: PrivateAllowance;
  js: Nats['js'];
  topology: Topology;
}

export function startWebhooks({
  db,
  models,
  nats,
  topology,
  log,
  config,
}: {
  db: Database;
  models: WebhookModels;
  nats: Nats;
  topology: Topology;
  log: Logger;
  config: NotificationConfig;
}) {
  const endpoints = versionedConfig<WebhookEndpointDoc[]>({
    nats,
    topology,
    kind: 'webhooks',
    log,
    load: async (workspaceId) => (await models.WebhookEndpoints.find({ workspaceId }).lean()) as WebhookEndpointDoc[],
  });
  const allow = parseAllowance(config.WEBHOOK_ALLOW_PRIVATE);
  const common = { nats, maxBatch: config.CEI_CONSUMER_BATCH, log, transient: isDatabaseUnavailable };
  const filters = messageFilters(topology);
  // Phase changes, qualification steps and owner assignments: one contact's, in one order.
  const fanout = createPartitionedConsumer({
    ...common,
    stream: topology.streams.phases,
    durable: 'webhooks-fanout',
    partitionFilters: filters.phases,
    decode: decodeLifecycleEvent,
    handle: createWebhookFanout(topology, nats.js, endpoints, lifecycleWebhookEvent),
  });
  const scoresFanout = createPartitionedConsumer({
    ...common,
    stream: topology.streams.scores,
    durable: 'webhooks-fanout-scores',
    partitionFilters: filters.scores,
    decode: decodeScoreChangeMessage,
    handle: createWebhookFanout(topology, nats.js, endpoints, scoreWebhookEvent),
  });
  const notificationsFanout = createPartitionedConsumer({
    ...common,
    stream: topology.streams.notifications,
    durable: 'webhooks-fanout-notifications',
    decode: decodeNotificationCreated,
    handle: createWebhookFanout(topology, nats.js, endpoints, notificationWebhookEvent),
  });
  const deliveries = createPartitionedConsumer({
    nats,
    stream: topology.streams.webhooks,
    durable: 'webhooks',
    decode: decodeDelivery,
    handle: createWebhookDeliverer(
      db,
      nats,
      topology,
      models,
      endpoints,
      {
        maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
        timeoutMs: config.WEBHOOK_TIMEOUT_MS,
        concurrency: config.WEBHOOK_CONCURRENCY,
        disableAfterMs: config.WEBHOOK_DISABLE_AFTER_MS,
        allow,
      },
      log,
    ),
    // A batch waits for its slowest attempt: keep batches small enough to move.
    maxBatch: Math.min(config.CEI_CONSUMER_BATCH, 64),
    log,
    transient: isDatabaseUnavailable,
    // The server's own limit stays above ours, so our handler dead-letters on its last attempt.
    retry: {
      maxDeliver: config.WEBHOOK_MAX_ATTEMPTS + 3,
      baseMs: config.WEBHOOK_RETRY_BASE_MS,
      maxMs: Math.max(config.WEBHOOK_RETRY_BASE_MS, config.WEBHOOK_RETRY_MAX_MS),
    },
  });
  return {
    runtime: { models, endpoints, allow, js: nats.js, topology } satisfies WebhookRuntime,
    parts: [fanout, scoresFanout, notificationsFanout, deliveries],
  };
}
