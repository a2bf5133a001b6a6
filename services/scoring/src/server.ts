// Wires scoring: the interaction scorer and the subgraph. `startScoring` is what
// main.ts and the tests call.
import { join } from 'node:path';
import type DataLoader from 'dataloader';
import { createLogger, type Logger } from '@cei/config';
import { byIdLoader } from '@cei/mongo';
import { createPartitionedConsumer } from '@cei/nats';
import { startService, type RequestContext } from '@cei/subgraph';
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

export async function startScoring(
  config: ScoringConfig,
  log: Logger = createLogger('scoring', config.LOG_LEVEL),
): Promise<Scoring> {
  return startService(
    {
      name: 'scoring',
      schemaPath: join(__dirname, 'schema.graphql'),
      resolvers: resolvers as never,
      listen: { port: config.SCORING_PORT, host: config.SCORING_HOST },
      models: scoringModels,
      setup: ({ db, models, nats, topology }) => {
        const rules = createRuleBook(models);
        const scorer = createPartitionedConsumer({
          nats,
          stream: topology.streams.interactions,
          durable: 'scoring',
          decode: decodeInteraction,
          handle: createInteractionScorer({ db, models, nats, topology, rules, log }),
          log,
        });
        return { rules, parts: [scorer] };
      },
      context: (base, { db, models }, { rules }): ScoringContext => ({
        ...base,
        rules,
        loaders: { score: byIdLoader(db, models.ContactScore) },
      }),
    },
    config,
    log,
  );
}
