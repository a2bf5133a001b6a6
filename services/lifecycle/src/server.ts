// Wires lifecycle: the phase evaluator and the subgraph. `startLifecycle` is what
// main.ts and the tests call.
import { join } from 'node:path';
import type DataLoader from 'dataloader';
import { createLogger, type Logger } from '@cei/config';
import { byIdLoader, isDatabaseUnavailable, type Database } from '@cei/mongo';
import { createPartitionedConsumer, type PartitionedConsumerOptions } from '@cei/nats';
import type { ScoreChanged } from '@cei/contracts';
import { startService, type RequestContext } from '@cei/subgraph';
import type { LifecycleConfig } from './config';
import {
  lifecycleDoc,
  lifecycleModels,
  type ContactLifecycleDoc,
  type LifecycleModels,
  type TransitionBucketDoc,
} from './models';
import { resolvers } from './resolvers';
import { createPhaseEvaluator, decodeLifecycleInput } from './handlers/score-changed';
import { createPolicyStore, type PolicyStore } from './policies/policy-store';
import { createSalesConfig, type SalesConfig } from './sales/sales-config';
import { createLeadDesk, type LeadDesk } from './sales/lead-desk';
import type { OwnerDoc, TeamDoc } from './sales/models';
import { createPolicyJobs, type PolicyJobs } from './jobs/policy-jobs';
import { trendPhasesLoader, type TrendBucketRef } from './resolvers/trends';
import type { PhaseCount } from './reports/figures';

export interface LifecycleContext extends RequestContext {
  policies: PolicyStore;
  /** For lists and figures (Query.contacts, phaseDistribution, funnel), which read many documents. */
  db: Database;
  models: LifecycleModels;
  policyJobs: PolicyJobs;
  /** Owners, teams and the qualification policy; the lead mutations that go through a contact's owner. */
  sales: SalesConfig;
  leads: LeadDesk;
  loaders: {
    lifecycle: DataLoader<string, ContactLifecycleDoc | null>;
    buckets: DataLoader<string, TransitionBucketDoc | null>;
    owners: DataLoader<string, OwnerDoc | null>;
    teams: DataLoader<string, TeamDoc | null>;
    /** TrendBucket.phases: the buckets of a request counted in one read. */
    trendPhases: DataLoader<TrendBucketRef, PhaseCount[], string>;
  };
  /** The clock of `timeInPhases` (the evaluator's: the current phase counts up to it). */
  now: () => Date;
}

export interface Lifecycle {
  url: string;
  stop(): Promise<void>;
}

type PhaseEvaluator = PartitionedConsumerOptions<ScoreChanged>['handle'];

export interface LifecycleOptions {
  /**
   * Test seam: wraps the handler the score-change consumer calls, so a test can make a
   * batch fail after its writes and force JetStream to redeliver it. Unset in production.
   */
  wrapHandler?: (handle: PhaseEvaluator) => PhaseEvaluator;
  /**
   * Test seam: the clock of dwell, grace and time in phases (when lifecycle applies a score
   * change is the time of its transition). Unset in production: the system clock.
   */
  now?: () => Date;
  /**
   * Test seam: the furthest ahead a phase check is scheduled (see PhaseCheckDeps.horizonMs), so
   * that a check comes while the test moves `now` past its due time. Unset: scheduled when due.
   */
  phaseCheckHorizonMs?: number;
  /**
   * Test seam: how long a partition stays pinned to this instance without a pull from it (see
   * PartitionedConsumerOptions.pinTimeoutMs; unset: its default). A test whose two instances live
   * in one process and that claims neither loses a partition sets it above any pause of that process.
   */
  pinTimeoutMs?: number;
}

export async function startLifecycle(
  config: LifecycleConfig,
  log: Logger = createLogger('lifecycle', config.LOG_LEVEL),
  options: LifecycleOptions = {},
): Promise<Lifecycle> {
  const wrap = options.wrapHandler ?? ((handle: PhaseEvaluator) => handle);
  const now = options.now ?? (() => new Date());
  return startService(
    {
      name: 'lifecycle',
      schemaPath: join(__dirname, 'schema.graphql'),
      resolvers,
      listen: { port: config.LIFECYCLE_PORT, host: config.LIFECYCLE_HOST },
      models: (_connection, db) => lifecycleModels(db),
      setup: ({ db, models, nats, topology }) => {
        const policies = createPolicyStore(models, undefined, { nats, topology, log });
        const policyJobs = createPolicyJobs({
          db,
          models,
          nats,
          topology,
          log,
          now,
          leaseMs: config.CEI_POLICY_JOB_LEASE_MS,
          rate: config.CEI_POLICY_JOB_RATE,
        });
        const sales = createSalesConfig(db, models, now, { nats, topology, log });
        const leads = createLeadDesk({ db, models, nats, topology, sales });
        const evaluator = createPartitionedConsumer({
          nats,
          stream: topology.streams.scores,
          durable: 'lifecycle',
          // Score changes and the requests addressed to the owner of a contact, in one order.
          partitionFilters: topology.consumerFilters.lifecycle,
          decode: decodeLifecycleInput,
          handle: wrap(
            createPhaseEvaluator({
              db,
              models,
              nats,
              topology,
              policies,
              salesConfig: sales,
              now,
              stateCacheContacts: config.CEI_STATE_CACHE_CONTACTS,
              policyJobs,
              phaseCheckHorizonMs: options.phaseCheckHorizonMs,
              maxBatch: config.CEI_CONSUMER_BATCH,
            }),
          ),
          maxBatch: config.CEI_CONSUMER_BATCH,
          log,
          transient: isDatabaseUnavailable,
          ...(options.pinTimeoutMs === undefined ? {} : { pinTimeoutMs: options.pinTimeoutMs }),
        });
        // Built by an earlier version on FerretDB: dropped before the consumer writes.
        const unusedIndexes = { start: () => dropUnusedIndexes(db, models), stop: async () => undefined };
        return {
          policies,
          policyJobs,
          sales,
          leads,
          parts: [unusedIndexes, evaluator, { stop: () => policyJobs.stop() }],
        };
      },
      context: (base, { db, models }, { policies, policyJobs, sales, leads }): LifecycleContext => ({
        ...base,
        policies,
        db,
        models,
        policyJobs,
        sales,
        leads,
        loaders: {
          lifecycle: byIdLoader(db, models.ContactLifecycle, lifecycleDoc),
          buckets: byIdLoader(db, models.TransitionBucket),
          owners: byIdLoader(db, models.Owner),
          teams: byIdLoader(db, models.Team),
          trendPhases: trendPhasesLoader({ db, models }, base.caller.workspaceId, now),
        },
        now,
      }),
    },
    config,
    log,
  );
}

/** On FerretDB, drops the contact-list indexes an earlier version built (the schema no longer declares them). */
async function dropUnusedIndexes(db: Database, models: LifecycleModels): Promise<void> {
  if (db.isFerretDB) await models.ContactLifecycle.cleanIndexes();
}
