// Wires notification: its database, NATS, the phase-change recorder and the subgraph server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import DataLoader from 'dataloader';
import { topology } from '@cei/contracts';
import { createLogger, databaseName, type Logger } from '@cei/config';
import { connectDatabase, loadByIds } from '@cei/mongo';
import { connectNats, createPartitionedConsumer, ensureStreams } from '@cei/nats';
import { startSubgraphServer, type RequestContext } from '@cei/subgraph';
import type { NotificationConfig } from './config';
import { notificationModels, type ContactNotificationsDoc } from './models';
import { resolvers } from './resolvers';
import { createPhaseChangeRecorder, decodePhaseChanged } from './handlers/phase-changed';

export interface NotificationContext extends RequestContext {
  loaders: { notifications: DataLoader<string, ContactNotificationsDoc | null> };
}

export interface Notification {
  url: string;
  stop(): Promise<void>;
}

const typeDefs = readFileSync(join(__dirname, 'schema.graphql'), 'utf8');

export async function startNotification(
  config: NotificationConfig,
  log: Logger = createLogger('notification', config.LOG_LEVEL),
): Promise<Notification> {
  const ns = topology(config.CEI_NAMESPACE);
  const db = await connectDatabase(config.MONGO_URL, databaseName(config.CEI_NAMESPACE, 'notification'));
  const models = notificationModels(db.connection);
  await Promise.all(Object.values(models).map((model) => model.init()));
  const nats = await connectNats(config.NATS_URL, 'notification');
  await ensureStreams(nats.jsm, ns, config.CEI_STREAM_REPLICAS);

  const recorder = createPartitionedConsumer({
    nats,
    stream: ns.streams.phases,
    durable: 'notification',
    decode: decodePhaseChanged,
    handle: createPhaseChangeRecorder(db, models),
    log,
  });
  await recorder.start();

  const server = await startSubgraphServer<NotificationContext>({
    name: 'notification',
    typeDefs,
    resolvers: resolvers as never,
    port: config.NOTIFICATION_PORT,
    host: config.NOTIFICATION_HOST,
    secret: config.CEI_INTERNAL_SECRET,
    log,
    readiness: recorder.readiness,
    context: (base) => ({
      ...base,
      loaders: {
        notifications: new DataLoader(async (keys: readonly string[]) => {
          const found = await loadByIds(db, models.ContactNotifications, keys);
          return keys.map((key) => found.get(key) ?? null);
        }),
      },
    }),
  });
  log.info({ url: server.url }, 'notification ready');

  let stopping: Promise<void> | undefined;
  return {
    url: server.url,
    stop: () =>
      (stopping ??= (async () => {
        await server.stop();
        await recorder.stop();
        await nats.close();
        await db.close();
      })()),
  };
}
