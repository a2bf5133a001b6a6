// Wires scoring: its database, NATS, the interaction scorer and the subgraph server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import DataLoader from 'dataloader';
import { topology } from '@cei/contracts';
import { createLogger, databaseName, type Logger } from '@cei/config';
import { connectDatabase, loadByIds } from '@cei/mongo';
import { connectNats, createPartitionedConsumer, ensureStreams } from '@cei/nats';
import { startSubgraphServer, type RequestContext } from '@cei/subgraph';
import type { ScoringConfig } from './config';
import { scoringModels, type ContactScoreDoc } from './models';
import { resolvers } from './resolvers';
import { createInteractionScorer, decodeInteraction } from './handlers/interaction-recorded';
import { createRuleBook, type RuleBook } from './rules/rule-book';

export interface ScoringContext extends RequestContext {
  rules: RuleBook;
  loaders: { score: DataLoader<string, ContactScoreDoc | null> };
}

export interface Scoring {
  url: string;
  stop(): Promise<void>;
}

const typeDefs = readFileSync(join(__dirname, 'schema.graphql'), 'utf8');

export async function startScoring(
  config: ScoringConfig,
  log: Logger = createLogger('scoring', config.LOG_LEVEL),
): Promise<Scoring> {
  const ns = topology(config.CEI_NAMESPACE);
  const db = await connectDatabase(config.MONGO_URL, databaseName(config.CEI_NAMESPACE, 'scoring'));
  const models = scoringModels(db.connection);
  await Promise.all(Object.values(models).map((model) => model.init()));
  const nats = await connectNats(config.NATS_URL, 'scoring');
  await ensureStreams(nats.jsm, ns, config.CEI_STREAM_REPLICAS);
  const rules = createRuleBook(models);

  const scorer = createPartitionedConsumer({
    nats,
    stream: ns.streams.interactions,
    durable: 'scoring',
    decode: decodeInteraction,
    handle: createInteractionScorer({ db, models, nats, topology: ns, rules, log }),
    log,
  });
  await scorer.start();

  const server = await startSubgraphServer<ScoringContext>({
    name: 'scoring',
    typeDefs,
    resolvers: resolvers as never,
    port: config.SCORING_PORT,
    host: config.SCORING_HOST,
    secret: config.CEI_INTERNAL_SECRET,
    log,
    readiness: scorer.readiness,
    context: (base) => ({
      ...base,
      rules,
      loaders: {
        score: new DataLoader(async (keys: readonly string[]) => {
          const found = await loadByIds(db, models.ContactScore, keys);
          return keys.map((key) => found.get(key) ?? null);
        }),
      },
    }),
  });
  log.info({ url: server.url }, 'scoring ready');

  let stopping: Promise<void> | undefined;
  return {
    url: server.url,
    stop: () =>
      (stopping ??= (async () => {
        await server.stop();
        await scorer.stop();
        await nats.close();
        await db.close();
      })()),
  };
}
