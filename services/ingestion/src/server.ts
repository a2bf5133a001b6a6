// Wires ingestion: its database, NATS, the contact projector, the outbox sweeper
// and the subgraph server. `startIngestion` is what main.ts and the tests call.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import DataLoader from 'dataloader';
import { topology } from '@cei/contracts';
import { createLogger, databaseName, type Logger } from '@cei/config';
import { connectDatabase, loadByIds } from '@cei/mongo';
import { connectNats, createPartitionedConsumer, ensureStreams } from '@cei/nats';
import { startSubgraphServer, type RequestContext } from '@cei/subgraph';
import type { IngestionConfig } from './config';
import { ingestionModels, type ContactDoc } from './models';
import { resolvers } from './resolvers';
import { createContactActivityHandler, decodeInteraction } from './handlers/contact-activity';
import { createOutboxCleaner, createOutboxSweeper } from './recording/outbox-sweeper';
import type { RecordingDeps } from './recording/record-interactions';

export interface IngestionContext extends RequestContext {
  loaders: { contact: DataLoader<string, ContactDoc | null> };
  recording: RecordingDeps;
  limits: { maxBatchSize: number };
}

export interface Ingestion {
  url: string;
  recording: RecordingDeps;
  sweepOutbox(): Promise<number>;
  stop(): Promise<void>;
}

const typeDefs = readFileSync(join(__dirname, 'schema.graphql'), 'utf8');

export async function startIngestion(
  config: IngestionConfig,
  log: Logger = createLogger('ingestion', config.LOG_LEVEL),
): Promise<Ingestion> {
  const ns = topology(config.CEI_NAMESPACE);
  const db = await connectDatabase(config.MONGO_URL, databaseName(config.CEI_NAMESPACE, 'ingestion'));
  const models = ingestionModels(db.connection);
  await Promise.all(Object.values(models).map((model) => model.init()));
  const nats = await connectNats(config.NATS_URL, 'ingestion');
  await ensureStreams(nats.jsm, ns, config.CEI_STREAM_REPLICAS);

  const outboxCleaner = createOutboxCleaner(models, log);
  const recording: RecordingDeps = { models, nats, topology: ns, log, forgetOutboxEntries: outboxCleaner.forget };
  const sweeper = createOutboxSweeper({ ...recording, intervalMs: config.OUTBOX_SWEEP_MS });
  const contactActivity = createPartitionedConsumer({
    nats,
    stream: ns.streams.interactions,
    durable: 'ingestion-contacts',
    decode: decodeInteraction,
    handle: createContactActivityHandler(db, models),
    log,
  });
  await contactActivity.start();
  sweeper.start();

  const server = await startSubgraphServer<IngestionContext>({
    name: 'ingestion',
    typeDefs,
    resolvers: resolvers as never,
    port: config.INGESTION_PORT,
    host: config.INGESTION_HOST,
    secret: config.CEI_INTERNAL_SECRET,
    log,
    readiness: contactActivity.readiness,
    context: (base) => ({
      ...base,
      recording: { ...recording, log: base.log },
      limits: { maxBatchSize: config.MAX_BATCH_SIZE },
      loaders: {
        contact: new DataLoader(async (keys: readonly string[]) => {
          const found = await loadByIds(db, models.Contact, keys);
          return keys.map((key) => found.get(key) ?? null);
        }),
      },
    }),
  });
  log.info({ url: server.url }, 'ingestion ready');

  let stopping: Promise<void> | undefined;
  return {
    url: server.url,
    recording,
    sweepOutbox: sweeper.sweepOnce,
    stop: () =>
      (stopping ??= (async () => {
        await server.stop();
        await sweeper.stop();
        await outboxCleaner.drain();
        await contactActivity.stop();
        await nats.close();
        await db.close();
      })()),
  };
}
