// Query.trends and the figures of a TrendBucket (lifecycle adds its phases by the bucket's id).
// A bucket reads at most two stored closes by _id, and the period still running reads the
// workspace's contacts now (trends/trend-store.ts); every figure is computed in code.
import {
  closingInstant,
  invalidFields,
  MAX_TREND_RANGE_DAYS,
  parseTrendBucketId,
  trendBucketId,
  trendPeriods,
  utcDay,
  type FieldProblem,
  type TrendPeriod,
} from '@cei/contracts';
import type { ScoringContext } from '../server';
import type { QueryResolvers, TrendBucketResolvers } from '../__generated__/resolvers-types';
import type { BucketCloses } from '../trends/bucket';
import { surveysOf } from '../trends/bucket';
import { churnRiskCount } from '../trends/churn';
import { engagementDistribution } from '../trends/engagement';
import { periodAdoption, periodSentiment } from '../trends/recorded';
import { periodFigures } from '../usage/workspace-usage';
import { storedCloses, tallyWorkspace, type Close, type TrendStoreDeps } from '../trends/trend-store';

const DAY_MS = 86_400_000;

const storeOf = (ctx: ScoringContext): TrendStoreDeps => ({
  db: ctx.db,
  models: ctx.models,
  settings: (workspaceId) => ctx.loaders.settings.load(workspaceId),
  catalog: (workspaceId) => ctx.loaders.catalog.load(workspaceId),
});

/** The buckets of `periods` for the caller's workspace. */
async function bucketsOf(ctx: ScoringContext, periods: readonly TrendPeriod[]): Promise<BucketCloses[]> {
  const now = ctx.now();
  const workspaceId = ctx.caller.workspaceId;
  const store = storeOf(ctx);
  const isClosed = (period: TrendPeriod) => period.end.getTime() <= now.getTime();
  const closingDay = (period: TrendPeriod) => utcDay(period.end.getTime() - 1);
  const openingDay = (period: TrendPeriod) => utcDay(period.start.getTime() - 1);
  const days = new Set(periods.flatMap((p) => (isClosed(p) ? [closingDay(p), openingDay(p)] : [openingDay(p)])));
  const running = periods.find((p) => !isClosed(p));
  const [closes, live] = await Promise.all([
    storedCloses(store, workspaceId, [...days]),
    running ? tallyWorkspace(store, workspaceId, closingInstant(running, now)) : null,
  ]);
  const liveClose: Close | null = live && { takenAt: now, tallies: live };
  return periods.map((period) => {
    const closed = isClosed(period);
    const close = closed ? (closes.get(closingDay(period)) ?? null) : liveClose;
    return {
      period,
      closed,
      snapshotAt: close?.takenAt ?? null,
      close: close?.tallies ?? null,
      opening: closes.get(openingDay(period))?.tallies ?? null,
    };
  });
}

function checkRange(from: Date, to: Date, now: Date): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (to < from) problems.push({ path: 'to', message: 'not before from' });
  else if (to.getTime() - from.getTime() > MAX_TREND_RANGE_DAYS * DAY_MS) {
    problems.push({ path: 'to', message: `at most ${MAX_TREND_RANGE_DAYS} days after from` });
  }
  if (from > now) problems.push({ path: 'from', message: 'not in the future' });
  return problems;
}

export const trendQueries: QueryResolvers = {
  trends: async (_, { from, to, granularity }, ctx) => {
    const now = ctx.now();
    const problems = checkRange(from, to, now);
    if (problems.length > 0) throw invalidFields(problems);
    const unit = granularity ?? 'DAY';
    return { granularity: unit, from, to, buckets: await bucketsOf(ctx, trendPeriods(unit, from, to, now)) };
  },
};

export const trendBucketFields: TrendBucketResolvers = {
  __resolveReference: async (ref, ctx) => {
    const period = parseTrendBucketId(ref.id);
    if (!period || period.start > ctx.now()) return null;
    return (await bucketsOf(ctx, [period]))[0]!;
  },
  id: ({ period }) => trendBucketId(period),
  granularity: ({ period }) => period.granularity,
  start: ({ period }) => period.start,
  end: ({ period }) => period.end,
  closed: ({ closed }) => closed,
  snapshotAt: ({ snapshotAt }) => snapshotAt,
  contacts: ({ close }) => close?.contacts ?? null,
  engagementIndex: ({ close }) => (close?.series.engagement ? engagementDistribution(close.series.engagement) : null),
  nps: (bucket) => surveysOf(bucket).nps,
  npsRespondents: (bucket) => surveysOf(bucket).npsRespondents,
  csatMean: (bucket) => surveysOf(bucket).csatMean,
  csatSatisfiedShare: (bucket) => surveysOf(bucket).csatSatisfiedShare,
  csatAnswers: (bucket) => surveysOf(bucket).csatAnswers,
  ces: (bucket) => surveysOf(bucket).ces,
  cesAnswers: (bucket) => surveysOf(bucket).cesAnswers,
  churnRisk: ({ close }, { threshold }) => {
    if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1) {
      throw invalidFields([{ path: 'threshold', message: 'a likelihood from 0 to 1' }]);
    }
    return close?.series.churn ? churnRiskCount(close.series.churn, threshold) : null;
  },
  // Recorded in the period (trends/recorded.ts): the reputation's days, the usage statistics' period.
  sentiment: async ({ period }, _, ctx) => {
    const docs = await ctx.loaders.reputationDays.load(ctx.caller.workspaceId);
    return periodSentiment(docs, new Set(daysOfPeriod(period)));
  },
  featureAdoption: async ({ period }, _, ctx) => {
    const { workspaceId } = ctx.caller;
    const [catalog, stats] = await Promise.all([
      ctx.loaders.catalog.load(workspaceId),
      periodFigures(ctx, workspaceId, utcDay(period.start), period.granularity),
    ]);
    return periodAdoption(stats, catalog);
  },
};

/** The UTC days (YYYY-MM-DD) of a period. */
function daysOfPeriod(period: TrendPeriod): string[] {
  const days: string[] = [];
  for (let at = period.start.getTime(); at < period.end.getTime(); at += DAY_MS) days.push(utcDay(at));
  return days;
}
