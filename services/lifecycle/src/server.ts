// Wires lifecycle: its database, NATS, the phase evaluator and the subgraph server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import DataLoader from 'dataloader';
import { topology } from '@cei/contracts';
import { createLogger, databaseName, type Logger } from '@cei/config';
import { connectDatabase, loadByIds } from '@cei/mongo';
import { connectNats, createPartitionedConsumer, ensureStreams } from '@cei/nats';
import { startSubgraphServer, type RequestContext } from '@cei/subgraph';
import type { LifecycleConfig } from './config';
import { lifecycleModels, type ContactLifecycleDoc } from './models';
import { resolvers } from './resolvers';
import { createPhaseEvaluator, decodeScoreChanged } from './handlers/score-changed';
import { createPolicyStore, type PolicyStore } from './policies/policy-store';

export interface LifecycleContext extends RequestContext {
  policies: PolicyStore;
  loaders: { lifecycle: DataLoader<string, ContactLifecycleDoc | null> };
}

export interface Lifecycle {
  url: string;
  stop(): Promise<void>;
}

const typeDefs = readFileSync(join(__dirname, 'schema.graphql'), 'utf8');

export async function startLifecycle(
  config: LifecycleConfig,
  log: Logger = createLogger('lifecycle', config.LOG_LEVEL),
): Promise<Lifecycle> {
  const ns = topology(config.CEI_NAMESPACE);
  const db = await connectDatabase(config.MONGO_URL, databaseName(config.CEI_NAMESPACE, 'lifecycle'));
  const models = lifecycleModels(db.connection);
  await Promise.all(Object.values(models).map((model) => model.init()));
  const nats = await connectNats(config.NATS_URL, 'lifecycle');
  await ensureStreams(nats.jsm, ns, config.CEI_STREAM_REPLICAS);
  const policies = createPolicyStore(models);

  const evaluator = createPartitionedConsumer({
    nats,
    stream: ns.streams.scores,
    durable: 'lifecycle',
    decode: decodeScoreChanged,
    handle: createPhaseEvaluator({ db, models, nats, topology: ns, policies }),
    log,
  });
  await evaluator.start();

  const server = await startSubgraphServer<LifecycleContext>({
    name: 'lifecycle',
    typeDefs,
    resolvers: resolvers as never,
    port: config.LIFECYCLE_PORT,
    host: config.LIFECYCLE_HOST,
    secret: config.CEI_INTERNAL_SECRET,
    log,
    readiness: evaluator.readiness,
    context: (base) => ({
      ...base,
      policies,
      loaders: {
        lifecycle: new DataLoader(async (keys: readonly string[]) => {
          const found = await loadByIds(db, models.ContactLifecycle, keys);
          return keys.map((key) => found.get(key) ?? null);
        }),
      },
    }),
  });
  log.info({ url: server.url }, 'lifecycle ready');

  let stopping: Promise<void> | undefined;
  return {
    url: server.url,
    stop: () =>
      (stopping ??= (async () => {
        await server.stop();
        await evaluator.stop();
        await nats.close();
        await db.close();
      })()),
  };
}
