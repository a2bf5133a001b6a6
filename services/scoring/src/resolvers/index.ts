// Scoring's resolvers, one file per concern: rules, contacts, recompute jobs, trends, sentiment, product usage, health.
import { DateTimeScalar } from '@cei/subgraph';
import { ruleMutations, ruleQueries, ruleTypes } from './rules';
import { contactFields, kpiQueries } from './contact';
import { jobMutations, jobQueries, jobTypes } from './jobs';
import { scoreChangeQueries } from './score-changes';
import { usageContactFields, usageMutations, usageQueries } from './usage';
import { trendBucketFields, trendQueries } from './trends';
import { contactSentimentField, reputationQueries, sentimentTypes } from './sentiment';
import { accountFields as accountHealthFields, healthContactFields, healthMutations, healthQueries } from './health';
import { accountFields as accountUsageFields, accountUsageQueries } from './account-usage';
import type { Resolvers } from '../__generated__/resolvers-types';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query: {
    ...ruleQueries,
    ...kpiQueries,
    ...jobQueries,
    ...scoreChangeQueries,
    ...trendQueries,
    ...reputationQueries,
    ...usageQueries,
    ...healthQueries,
    ...accountUsageQueries,
  },
  Mutation: { ...ruleMutations, ...jobMutations, ...usageMutations, ...healthMutations },
  Contact: { ...contactFields, ...contactSentimentField, ...usageContactFields, ...healthContactFields },
  Account: { ...accountHealthFields, ...accountUsageFields },
  TrendBucket: trendBucketFields,
  ...ruleTypes,
  ...jobTypes,
  ...sentimentTypes,
};
