// Wires scoring: the contact scorer (interactions and requests, one owner per
// partition), the phase forwarder, recompute jobs and the subgraph. `startScoring`
// is what main.ts and the tests call; tests pass a clock to drive decay and the nightly trend
// snapshot (jobs/trend-snapshots.ts).
import { join } from 'node:path';
import DataLoader from 'dataloader';
import { createLogger, type Logger } from '@cei/config';
import { byIdLoader, isDatabaseUnavailable, type Database } from '@cei/mongo';
import { decodePhaseChanged } from '@cei/contracts';
import { createPartitionedConsumer } from '@cei/nats';
import { startService, type RequestContext } from '@cei/subgraph';
import type { ScoringConfig } from './config';
import {
  scoreDoc,
  scoringModels,
  storedChanges,
  usageDoc,
  type ContactScoreDoc,
  type ContactUsageDoc,
  type ReputationDayDoc,
  type StoredScoreChange,
  type ScoringModels,
  type ScoringSettingsDoc,
} from './models';
import { resolvers } from './resolvers';
import { createContactScorer, decodeScoringInput } from './handlers/contact-scoring';
import type { CommitProbe } from './scores/commit-contact';
import { createPhaseForwarder } from './handlers/phase-changed';
import { createRuleBook, type RuleBook } from './rules/rule-book';
import { createRecomputeJobs, type RecomputeJobs } from './jobs/recompute-jobs';
import { createFeatureBook, type FeatureBook } from './usage/feature-catalog';
import { createHealthPolicies, type HealthPolicies } from './health/health-policies';
import type { FeatureCatalog } from './domain/product-usage';
import { accountContactsLoader } from './usage/account-usage';
import { createTrendSnapshots } from './jobs/trend-snapshots';

export interface ScoringContext extends RequestContext {
  db: Database;
  models: ScoringModels;
  rules: RuleBook;
  features: FeatureBook;
  health: HealthPolicies;
  jobs: RecomputeJobs;
  now: () => Date;
  loaders: {
    score: DataLoader<string, ContactScoreDoc | null>;
    usage: DataLoader<string, ContactUsageDoc | null>;
    catalog: DataLoader<string, FeatureCatalog>;
    settings: DataLoader<string, ScoringSettingsDoc>;
    /**
     * Each workspace's decay half-life as the event path applies it (the policy cached by
     * version: a NATS round trip, not a database read, for every score a payload resolves).
     */
    halfLifeDays: DataLoader<string, number | null>;
    /** A message's stored changes, by its first change's id (models/score-changes). */
    scoreChange: DataLoader<string, { contactId: string; changes: StoredScoreChange[] } | null>;
    /** Contact ids of each account, by `<workspace>:<account>`. */
    accountContacts: DataLoader<string, string[]>;
    /** The reputation's day documents of a workspace (every day and partition), for trend buckets. */
    reputationDays: DataLoader<string, Pick<ReputationDayDoc, 'day' | 'channels'>[]>;
  };
}

export interface Scoring {
  url: string;
  rules: RuleBook;
  jobs: RecomputeJobs;
  stop(): Promise<void>;
}

export interface ScoringOptions {
  /** The clock decay is evaluated with (tests move it; production reads the system clock). */
  now?: () => Date;
  /** Seams in the scorer's commits (tests fail a commit between two steps to force a redelivery). */
  probe?: CommitProbe;
  /** The longest real wait before a decay check, for tests that move `now` (see CommitDeps). */
  decayCheckHorizonMs?: number;
}

export async function startScoring(
  config: ScoringConfig,
  log: Logger = createLogger('scoring', config.LOG_LEVEL),
  options: ScoringOptions = {},
): Promise<Scoring> {
  const now = options.now ?? (() => new Date());
  const service = await startService(
    {
      name: 'scoring',
      schemaPath: join(__dirname, 'schema.graphql'),
      resolvers,
      listen: { port: config.SCORING_PORT, host: config.SCORING_HOST },
      models: scoringModels,
      setup: ({ db, models, nats, topology }) => {
        const rules = createRuleBook(models, now, { nats, topology, log });
        const features = createFeatureBook(models, now, { nats, topology, log });
        const health = createHealthPolicies(models, now, { nats, topology, log });
        const jobs = createRecomputeJobs({
          db,
          models,
          nats,
          topology,
          log,
          now,
          leaseMs: config.CEI_RECOMPUTE_JOB_LEASE_MS,
          rate: config.CEI_RECOMPUTE_JOB_RATE,
        });
        const scorer = createPartitionedConsumer({
          nats,
          stream: topology.streams.interactions,
          durable: 'scoring',
          // Interactions and the requests addressed to the owner of a contact, in one order.
          partitionFilters: topology.consumerFilters.scoring,
          decode: decodeScoringInput,
          handle: createContactScorer({
            db,
            models,
            nats,
            topology,
            rules,
            features,
            jobs,
            log,
            now,
            probe: options.probe,
            decayCheckHorizonMs: options.decayCheckHorizonMs,
            stateCacheContacts: config.CEI_STATE_CACHE_CONTACTS,
          }),
          maxBatch: config.CEI_CONSUMER_BATCH,
          log,
          transient: isDatabaseUnavailable,
        });
        const phases = createPartitionedConsumer({
          nats,
          stream: topology.streams.phases,
          durable: 'scoring-phases',
          decode: decodePhaseChanged,
          handle: createPhaseForwarder({ nats, topology }),
          log,
          transient: isDatabaseUnavailable,
        });
        const trendSnapshots = createTrendSnapshots({
          db,
          models,
          settings: (workspaceId) => rules.settings(workspaceId),
          catalog: (workspaceId) => features.catalog(workspaceId),
          log,
          now,
          checkEveryMs: config.CEI_TREND_CHECK_SECONDS * 1000,
        });
        return {
          rules,
          features,
          health,
          jobs,
          parts: [
            scorer,
            phases,
            { start: () => trendSnapshots.start(), stop: () => trendSnapshots.stop() },
            { stop: () => jobs.stop() },
          ],
        };
      },
      context: (base, { db, models }, { rules, features, health, jobs }): ScoringContext => ({
        ...base,
        db,
        models,
        rules,
        features,
        health,
        jobs,
        now,
        loaders: {
          score: scoreLoader(db, models),
          usage: usageLoader(db, models),
          catalog: new DataLoader((ids: readonly string[]) => Promise.all(ids.map((id) => features.catalog(id)))),
          settings: new DataLoader((ids: readonly string[]) => Promise.all(ids.map((id) => rules.settings(id)))),
          halfLifeDays: new DataLoader(async (ids: readonly string[]) => {
            const policyOf = await rules.policies(ids);
            return ids.map((id) => policyOf(id).halfLifeDays);
          }),
          scoreChange: byIdLoader(db, models.ScoreChange, (row) => ({
            contactId: row.contactId,
            changes: storedChanges(row),
          })),
          accountContacts: accountContactsLoader(db, models),
          reputationDays: new DataLoader((ids: readonly string[]) =>
            Promise.all(
              ids.map((workspaceId) =>
                db.limit(() =>
                  models.ReputationDay.find({ workspaceId }, { day: 1, channels: 1 })
                    .lean<Pick<ReputationDayDoc, 'day' | 'channels'>[]>()
                    .exec(),
                ),
              ),
            ),
          ),
        },
      }),
    },
    config,
    log,
  );
  return { url: service.url, rules: service.state.rules, jobs: service.state.jobs, stop: service.stop };
}

/** Score documents by _id, batched per request (stored rows decoded). */
function scoreLoader(db: Database, models: ScoringModels): DataLoader<string, ContactScoreDoc | null> {
  const rows = byIdLoader(db, models.ContactScore);
  return new DataLoader(async (ids: readonly string[]) => {
    const found = await rows.loadMany(ids);
    return found.map((row) => (row instanceof Error ? row : row?.body ? scoreDoc(row) : null));
  });
}

/** Usage documents by _id, batched per request. */
function usageLoader(db: Database, models: ScoringModels): DataLoader<string, ContactUsageDoc | null> {
  const rows = byIdLoader(db, models.ContactUsage);
  return new DataLoader(async (ids: readonly string[]) => {
    const found = await rows.loadMany(ids);
    return found.map((row) => (row instanceof Error ? row : row ? usageDoc(row) : null));
  });
}
