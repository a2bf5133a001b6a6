// Scoring's resolvers, one file per concern: rules, contacts, recompute jobs, trends, sentiment.
import { DateTimeScalar } from '@cei/subgraph';
import { ruleMutations, ruleQueries, ruleTypes } from './rules';
import { contactFields, kpiQueries } from './contact';
import { jobMutations, jobQueries, jobTypes } from './jobs';
import { scoreChangeQueries } from './score-changes';
import { trendBucketFields, trendQueries } from './trends';
import { contactSentimentField, reputationQueries, sentimentTypes } from './sentiment';
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
  },
  Mutation: { ...ruleMutations, ...jobMutations },
  Contact: { ...contactFields, ...contactSentimentField },
  TrendBucket: trendBucketFields,
  ...ruleTypes,
  ...jobTypes,
  ...sentimentTypes,
};
