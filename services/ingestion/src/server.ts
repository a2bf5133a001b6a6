// Wires ingestion: the contact projector, the publisher and the outbox sweeper, the subgraph
// and its /collect endpoint for the gateway. `startIngestion` is what main.ts and the tests call.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type DataLoader from 'dataloader';
import { createLogger, databaseName, type Logger } from '@cei/config';
import { byIdLoader, connectDatabase, isDatabaseUnavailable, type Database } from '@cei/mongo';
import {
  createDeadLetterStore,
  createPartitionedConsumer,
  type DeadLetterStore,
  type PartitionedConsumerOptions,
} from '@cei/nats';
import { decodeInteractionMessage, type InteractionRecorded } from '@cei/contracts';
import { startService, type RequestContext } from '@cei/subgraph';
import type { IngestionConfig } from './config';
import {
  ingestionModels,
  type AccountDoc,
  type ContactAliasDoc,
  type ContactDoc,
  type IngestionModels,
} from './models';
import { createContactAliases } from './recording/contact-aliases';
import { resolvers } from './resolvers';
import { createContactActivityHandler } from './handlers/contact-activity';
import { interactionListType } from './recording/collect-body';
import { createCollectRoute } from './recording/collect-route';
import { createOutboxSweeper } from './recording/outbox-sweeper';
import { createInteractionPublisher } from './recording/publisher';
import { toInteractionDoc, type RecordingDeps } from './recording/record-interactions';
import { createBatchWriter } from './recording/batch-writer';

export interface IngestionContext extends RequestContext {
  loaders: {
    contact: DataLoader<string, ContactDoc | null>;
    account: DataLoader<string, AccountDoc | null>;
    alias: DataLoader<string, ContactAliasDoc | null>;
  };
  /** Reads of pages off the event path (accounts, an account's contacts, trait history). */
  store: { db: Database; models: IngestionModels };
  recording: RecordingDeps;
  limits: { maxBatchSize: number };
  /** Every consumer's dead letters of the caller's workspace (ingestion serves them all). */
  deadLetters: DeadLetterStore;
}

export interface Ingestion {
  url: string;
  recording: RecordingDeps;
  sweepOutbox(): Promise<number>;
  stop(): Promise<void>;
}

type ContactProjector = PartitionedConsumerOptions<InteractionRecorded>['handle'];

/** Connections of the request path (each request holds one at a time). */
const REQUEST_POOL_SIZE = 4;

export interface IngestionOptions {
  /**
   * Test seam: wraps the handler the contact projector's consumer calls, so a test can make
   * a batch fail after its writes and force JetStream to redeliver it. Unset in production.
   */
  wrapHandler?: (handle: ContactProjector) => ContactProjector;
}

export async function startIngestion(
  config: IngestionConfig,
  log: Logger = createLogger('ingestion', config.LOG_LEVEL),
  options: IngestionOptions = {},
): Promise<Ingestion> {
  const wrap = options.wrapHandler ?? ((handle: ContactProjector) => handle);
  const schemaPath = join(__dirname, 'schema.graphql');
  const limits = { maxBatchSize: config.MAX_BATCH_SIZE };
  // Accepting gets connections of its own: the projector writes a batch's contacts in parallel,
  // and in one shared pool every accept would queue behind those writes (seconds under a backlog).
  const requestDb = await connectDatabase(
    config.MONGO_URL,
    databaseName(config.CEI_NAMESPACE, 'ingestion'),
    REQUEST_POOL_SIZE,
  );
  const requestModels = ingestionModels(requestDb.connection);
  const service = await startService(
    {
      name: 'ingestion',
      schemaPath,
      resolvers,
      listen: { port: config.INGESTION_PORT, host: config.INGESTION_HOST },
      models: ingestionModels,
      setup: ({ db, models, nats, topology }) => {
        const graceMs = config.OUTBOX_GRACE_MS;
        const publisher = createInteractionPublisher({
          models: requestModels,
          nats,
          topology,
          log,
          outboxGraceMs: graceMs,
        });
        const recording: RecordingDeps = {
          models: requestModels,
          publisher,
          writer: createBatchWriter(requestModels, toInteractionDoc),
          aliases: createContactAliases(requestDb, requestModels),
        };
        const sweeper = createOutboxSweeper({
          db,
          models,
          publisher,
          log,
          intervalMs: config.OUTBOX_SWEEP_MS,
          graceMs,
        });
        const contactActivity = createPartitionedConsumer({
          nats,
          stream: topology.streams.interactions,
          durable: 'ingestion-contacts',
          // Not the visits and clicks of contacts it already knows (`interactions.recorded`).
          partitionFilters: topology.consumerFilters.contactProfiles,
          decode: decodeInteractionMessage,
          handle: wrap(createContactActivityHandler(db, models, config.CEI_STATE_CACHE_CONTACTS)),
          maxBatch: config.CEI_CONSUMER_BATCH,
          log,
          transient: isDatabaseUnavailable,
        });
        // Stopped in reverse: the publisher first (what it cannot finish stays in the outbox, and
        // the sweeper's last pass stops publishing with it), then the sweeper, then the projector.
        const deadLetters = createDeadLetterStore(nats, topology);
        const requestConnections = { stop: () => requestDb.close() };
        return {
          recording,
          sweeper,
          deadLetters,
          parts: [requestConnections, contactActivity, sweeper, publisher],
        };
      },
      context: (base, { db, models }, { recording, deadLetters }): IngestionContext => ({
        ...base,
        deadLetters,
        recording,
        limits,
        store: { db, models },
        loaders: {
          contact: byIdLoader(db, models.Contact),
          account: byIdLoader(db, models.Account),
          alias: byIdLoader(db, models.ContactAlias),
        },
      }),
      routes: (_, { recording }) => ({
        '/collect': createCollectRoute({
          recording,
          limits,
          listType: interactionListType(readFileSync(schemaPath, 'utf8')),
        }),
      }),
    },
    config,
    log,
  ).catch(async (err: unknown) => {
    await requestDb.close();
    throw err;
  });
  return {
    url: service.url,
    recording: service.state.recording,
    sweepOutbox: service.state.sweeper.sweepOnce,
    stop: service.stop,
  };
}
