// Wires notification: the phase-change recorder, webhooks, messages tailored to the phase, and the subgraph.
// `startNotification` is what main.ts and the tests call.
import { join } from 'node:path';
import type DataLoader from 'dataloader';
import { createLogger, type Logger } from '@cei/config';
import { byIdLoader, isDatabaseUnavailable } from '@cei/mongo';
import { createPartitionedConsumer, type PartitionedConsumerOptions } from '@cei/nats';
import { startWebhooks, type WebhookRuntime } from './webhooks';
import { webhookModels } from './webhooks/models';
import { decodePhaseChanged, type PhaseChanged } from '@cei/contracts';
import { startService, type RequestContext } from '@cei/subgraph';
import type { NotificationConfig } from './config';
import { notificationModels, type ContactNotificationsDoc } from './models';
import { resolvers } from './resolvers';
import { createPhaseChangeRecorder } from './handlers/phase-changed';
import { startMessages, type MessagesRuntime } from './messages/wiring';
import type { MessageService } from './messages/service';

export interface NotificationContext extends RequestContext {
  loaders: { notifications: DataLoader<string, ContactNotificationsDoc | null> };
  webhooks: WebhookRuntime;
  messages: MessageService;
}

export interface Notification {
  url: string;
  stop(): Promise<void>;
}

type PhaseChangeRecorder = PartitionedConsumerOptions<PhaseChanged>['handle'];

export interface NotificationOptions {
  /**
   * Test seam: wraps the handler the phase-change consumer calls, so a test can make a
   * batch fail after its writes and force JetStream to redeliver it. Unset in production.
   */
  wrapHandler?: (handle: PhaseChangeRecorder) => PhaseChangeRecorder;
  /** Test seam: the clock message caps and quiet hours are decided by. */
  now?: () => Date;
  /** Test seam: wraps the message consumer of the phases stream (as wrapHandler does the recorder). */
  wrapMessageHandler?: MessagesRuntime['wrapPhases'];
}

export async function startNotification(
  config: NotificationConfig,
  log: Logger = createLogger('notification', config.LOG_LEVEL),
  options: NotificationOptions = {},
): Promise<Notification> {
  const wrap = options.wrapHandler ?? ((handle: PhaseChangeRecorder) => handle);
  return startService(
    {
      name: 'notification',
      schemaPath: join(__dirname, 'schema.graphql'),
      resolvers,
      listen: { port: config.NOTIFICATION_PORT, host: config.NOTIFICATION_HOST },
      models: (connection) => ({ ...notificationModels(connection), ...webhookModels(connection) }),
      setup: ({ db, models, nats, topology }) => {
        const webhooks = startWebhooks({ db, models, nats, topology, log, config });
        const messages = startMessages({
          db,
          models,
          nats,
          topology,
          log,
          config,
          endpoints: webhooks.runtime.endpoints,
          now: options.now,
          wrapPhases: options.wrapMessageHandler,
        });
        return {
          webhooks: webhooks.runtime,
          messages: messages.service,
          parts: [
            createPartitionedConsumer({
              nats,
              stream: topology.streams.phases,
              durable: 'notification',
              decode: decodePhaseChanged,
              handle: wrap(createPhaseChangeRecorder(db, models, log, config.CEI_STATE_CACHE_CONTACTS)),
              maxBatch: config.CEI_CONSUMER_BATCH,
              log,
              transient: isDatabaseUnavailable,
            }),
            ...webhooks.parts,
            ...messages.parts,
          ],
        };
      },
      context: (base, { db, models }, state): NotificationContext => ({
        ...base,
        loaders: { notifications: byIdLoader(db, models.ContactNotifications) },
        webhooks: state.webhooks,
        messages: state.messages,
      }),
    },
    config,
    log,
  );
}
