// Wires phase-tailored messages into the notification service: the mailer (SMTP_URL), the
// engine and three partitioned consumers (phases: phase/qualification/owner events; scores:
// score changes; interactions: the contact's email and name), and the service the resolvers call.
import type { Logger } from '@cei/config';
import { decodeInteractionMessage, decodeScoreChangeMessage, type Topology } from '@cei/contracts';
import { isDatabaseUnavailable, type Database } from '@cei/mongo';
import { createPartitionedConsumer, type Nats, type VersionedConfig } from '@cei/nats';
import type { WebhookEndpointDoc } from '../webhooks/models';
import type { ServicePart } from '@cei/subgraph';
import type { NotificationConfig } from '../config';
import { createMessageEngine, type MessageEngine } from './engine';
import { decodeLifecycleEvent, messageFilters } from './events';
import { isSmtpUnavailable, smtpMailer } from './mailer';
import type { MessageModels } from './models';
import { ownerDirectory } from './owners';
import { createMessageService } from './service';

export interface MessagesRuntime {
  db: Database;
  models: MessageModels;
  nats: Nats;
  topology: Topology;
  log: Logger;
  config: NotificationConfig;
  /** The webhook endpoints' cache (WEBHOOK actions post to them). */
  endpoints: VersionedConfig<WebhookEndpointDoc[]>;
  now?: () => Date;
  /** Test seam: wraps the phases handler (to fail a batch after its writes and force a redelivery). */
  wrapPhases?: (handle: MessageEngine['phases']) => MessageEngine['phases'];
}

export function startMessages({
  db,
  models,
  nats,
  topology,
  log,
  config,
  endpoints,
  now,
  wrapPhases,
}: MessagesRuntime) {
  const mailer = config.SMTP_URL ? smtpMailer(config.SMTP_URL, config.MAIL_FROM) : null;
  if (!mailer) log.warn('SMTP_URL is not set: emails of notification rules are audited as SKIPPED_NO_SMTP');
  const engine = createMessageEngine({
    db,
    models,
    log,
    mailer,
    now,
    changes: { nats, topology },
    stateCacheContacts: config.CEI_STATE_CACHE_CONTACTS,
    outbox: { js: nats.js, topology },
    owners: ownerDirectory(nats, topology),
    endpoints,
  });
  const filters = messageFilters(topology);
  const common = {
    nats,
    log,
    maxBatch: config.CEI_CONSUMER_BATCH,
    transient: (err: unknown) => isDatabaseUnavailable(err) || isSmtpUnavailable(err),
  };
  const parts: ServicePart[] = [
    createPartitionedConsumer({
      ...common,
      stream: topology.streams.phases,
      durable: 'notification-messages',
      partitionFilters: filters.phases,
      decode: decodeLifecycleEvent,
      handle: wrapPhases ? wrapPhases(engine.phases) : engine.phases,
    }),
    createPartitionedConsumer({
      ...common,
      stream: topology.streams.scores,
      durable: 'notification-scores',
      partitionFilters: filters.scores,
      decode: decodeScoreChangeMessage,
      handle: engine.scores,
    }),
    createPartitionedConsumer({
      ...common,
      stream: topology.streams.interactions,
      durable: 'notification-addresses',
      partitionFilters: filters.interactions,
      decode: decodeInteractionMessage,
      handle: engine.interactions,
    }),
    { stop: async () => mailer?.close() },
  ];
  return { parts, engine, service: createMessageService(models, engine, now) };
}
