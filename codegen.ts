// Resolver types generated from each subgraph's schema (federation mode), one file per
// service: services/<name>/src/__generated__/resolvers-types.ts. A resolver map typed
// `Resolvers` is checked against its schema: arguments, parents (the models, through
// `mappers`), results and __resolveReference. After a schema change: `pnpm codegen`;
// `pnpm test` fails while a generated file is stale (`pnpm codegen --check`).
import type { CodegenConfig } from '@graphql-codegen/cli';

interface Subgraph {
  /** The per-request context type, in src/server.ts (or `<module>#<export>`). */
  context: string;
  /** GraphQL type → the model its resolvers receive as parent (`<file under src/>#<export>`). */
  mappers?: Record<string, string>;
}

const SUBGRAPHS: Record<string, Subgraph> = {
  ingestion: {
    context: 'IngestionContext',
    mappers: {
      Contact: '../models#ContactDoc',
      Account: '../models#AccountDoc',
      TraitChange: '../models#TraitChangeDoc',
      ContactMerge: '../models#ContactAliasDoc',
    },
  },
  scoring: {
    context: 'ScoringContext',
    mappers: {
      Contact: '@cei/contracts#ContactRef',
      ScoringRule: '../resolvers/rules#RuleParent',
      ScoringRuleAuditEntry: '../models#RuleAuditDoc',
      RecomputeJob: '../jobs/recompute-jobs#RecomputeJob as RecomputeJobModel',
      ScoreValues: '../resolvers/rules#ScoreValuesParent',
      TrendBucket: '../trends/bucket#BucketCloses',
      ContactSentiment: '../domain/sentiment#ContactSentiment as ContactSentimentModel',
      TextSentiment: '../domain/sentiment#ScoredText',
      Account: '../usage/account-usage#AccountRef',
    },
  },
  lifecycle: {
    context: 'LifecycleContext',
    mappers: {
      Contact: '@cei/contracts#ContactRef',
      LifecyclePolicy: '../policies/policy-store#StoredPolicy',
      Owner: '../sales/models#OwnerDoc',
      Team: '../sales/models#TeamDoc',
      QualificationPolicy: '../sales/sales-config#StoredQualificationPolicy',
      QualificationStep: '../resolvers/sales#QualificationStepParent',
      OwnerAssignment: '../resolvers/sales#OwnerAssignmentParent',
      RoutingRule: '../domain/qualification#RoutingRule as RoutingRuleModel',
      LifecyclePolicyJob: '../jobs/policy-jobs#PolicyJob',
      TrendBucket: '../resolvers/trends#TrendBucketRef',
    },
  },
  notification: {
    context: 'NotificationContext',
    mappers: { Contact: '@cei/contracts#ContactRef', MessageAuditEntry: '../messages/service#AuditEntry' },
  },
  // The gateway's own subgraph (gateway/src/access), run in-process with the gateway's context.
  access: {
    context: '../../auth/operation-access#GatewayContext',
  },
};

/** Where each subgraph's schema and generated types live: services/<name>/src, or the gateway's own. */
const SOURCE_DIRS: Record<string, string> = { access: 'gateway/src/access' };

const config: CodegenConfig = {
  overwrite: true,
  generates: Object.fromEntries(
    Object.entries(SUBGRAPHS).map(([name, subgraph]) => [
      `${SOURCE_DIRS[name] ?? `services/${name}/src`}/__generated__/resolvers-types.ts`,
      {
        schema: `${SOURCE_DIRS[name] ?? `services/${name}/src`}/schema.graphql`,
        plugins: ['typescript', 'typescript-resolvers'],
        config: {
          federation: true,
          useTypeImports: true,
          contextType: subgraph.context.includes('#') ? subgraph.context : `../server#${subgraph.context}`,
          mappers: subgraph.mappers ?? {},
          // The domain code uses string unions ('NURTURE'), not TypeScript enums.
          enumsAsTypes: true,
          // Resolvers may return Dates; the DateTime scalar serialises both.
          scalars: { DateTime: { input: 'Date', output: 'Date | string' }, JSON: 'unknown' },
          // A resolver map lists what it resolves; default resolvers do the rest.
          avoidOptionals: false,
        },
      },
    ]),
  ),
};

export default config;
