// Scoring's resolvers, one file per concern: rules, contacts, recompute jobs, trends, product usage.
import { DateTimeScalar } from '@cei/subgraph';
import { ruleMutations, ruleQueries, ruleTypes } from './rules';
import { contactFields, kpiQueries } from './contact';
import { jobMutations, jobQueries, jobTypes } from './jobs';
import { scoreChangeQueries } from './score-changes';
import { usageContactFields, usageMutations, usageQueries } from './usage';
import { trendBucketFields, trendQueries } from './trends';
import type { Resolvers } from '../__generated__/resolvers-types';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query: { ...ruleQueries, ...kpiQueries, ...jobQueries, ...scoreChangeQueries, ...trendQueries, ...usageQueries },
  Mutation: { ...ruleMutations, ...jobMutations, ...usageMutations },
  Contact: { ...contactFields, ...usageContactFields },
  TrendBucket: trendBucketFields,
  ...ruleTypes,
  ...jobTypes,
};
