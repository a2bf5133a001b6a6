// TrendBucket.phases: lifecycle's part of a trend bucket (Query.trends is scoring's). The buckets
// of one request are counted together, in one read of the workspace's contacts (phaseCountsAt).
import { closingInstant, parseTrendBucketId, type TrendPeriod } from '@cei/contracts';
import DataLoader from 'dataloader';
import { phaseCountsAt, type FiguresDeps } from '../reports/phase-figures';
import type { PhaseCount } from '../reports/figures';
import type { TrendBucketResolvers } from '../__generated__/resolvers-types';

export interface TrendBucketRef {
  id: string;
  period: TrendPeriod;
}

/** Phase counts per bucket id, at each bucket's close, for one request. */
export function trendPhasesLoader(deps: FiguresDeps, workspaceId: string, now: () => Date) {
  return new DataLoader<TrendBucketRef, PhaseCount[], string>(
    async (buckets) => {
      const at = now();
      const counted = await phaseCountsAt(
        deps,
        workspaceId,
        buckets.map(({ id, period }) => ({ day: id, at: closingInstant(period, at) })),
      );
      return counted.map(({ phases }) => phases);
    },
    { cacheKeyFn: (bucket) => bucket.id },
  );
}

export const trendBucketFields: TrendBucketResolvers = {
  // An id that names no period (or one not begun) is no bucket.
  __resolveReference: ({ id }, ctx) => {
    const period = parseTrendBucketId(id);
    return period && period.start <= ctx.now() ? { id, period } : null;
  },
  phases: (bucket, _, ctx) => ctx.loaders.trendPhases.load(bucket),
};
