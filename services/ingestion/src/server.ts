// Wires ingestion: the contact projector, the outbox (cleanup and sweep) and the
// subgraph. `startIngestion` is what main.ts and the tests call.
import { join } from 'node:path';
import type DataLoader from 'dataloader';
import { createLogger, type Logger } from '@cei/config';
import { byIdLoader, isDatabaseUnavailable } from '@cei/mongo';
import {
  createDeadLetterStore,
  createPartitionedConsumer,
  type DeadLetterStore,
  type PartitionedConsumerOptions,
} from '@cei/nats';
import type { InteractionRecorded } from '@cei/contracts';
import { startService, type RequestContext } from '@cei/subgraph';
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
  const service = await startService(
    {
      name: 'ingestion',
      schemaPath: join(__dirname, 'schema.graphql'),
      resolvers,
      listen: { port: config.INGESTION_PORT, host: config.INGESTION_HOST },
      models: ingestionModels,
      setup: ({ db, models, nats, topology }) => {
        const cleaner = createOutboxCleaner(models, log);
        const recording: RecordingDeps = { models, nats, topology, log, forgetOutboxEntries: cleaner.forget };
        const sweeper = createOutboxSweeper({ ...recording, intervalMs: config.OUTBOX_SWEEP_MS });
        const contactActivity = createPartitionedConsumer({
          nats,
          stream: topology.streams.interactions,
          durable: 'ingestion-contacts',
          decode: decodeInteraction,
          handle: wrap(createContactActivityHandler(db, models, config.CEI_STATE_CACHE_CONTACTS)),
          maxBatch: config.CEI_CONSUMER_BATCH,
          log,
          transient: isDatabaseUnavailable,
        });
        // Stopped in reverse: the sweeper, then the pending cleanup, then the projector.
        const deadLetters = createDeadLetterStore(nats, topology);
        return { recording, sweeper, deadLetters, parts: [contactActivity, { stop: cleaner.drain }, sweeper] };
      },
      context: (base, { db, models }, { recording, deadLetters }): IngestionContext => ({
        ...base,
        deadLetters,
        recording: { ...recording, log: base.log },
        limits: { maxBatchSize: config.MAX_BATCH_SIZE },
        loaders: { contact: byIdLoader(db, models.Contact) },
      }),
    },
    config,
    log,
  );
  return {
    url: service.url,
    recording: service.state.recording,
    sweepOutbox: service.state.sweeper.sweepOnce,
    stop: service.stop,
  };
}
