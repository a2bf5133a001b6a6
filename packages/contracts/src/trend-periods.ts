// The periods of management trends (a UTC day, or a UTC week from Monday) and the id of a
// trend bucket, which scoring and lifecycle both resolve: scoring owns Query.trends and its
// figures, lifecycle adds each bucket's phase counts by this id (federation entity TrendBucket).

export const TREND_GRANULARITIES = ['DAY', 'WEEK'] as const;
export type TrendGranularity = (typeof TREND_GRANULARITIES)[number];

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/** The longest range `Query.trends` covers. */
export const MAX_TREND_RANGE_DAYS = 366;

export interface TrendPeriod {
  granularity: TrendGranularity;
  /** 00:00 UTC of the day, or of the week's Monday. */
  start: Date;
  /** Exclusive: the next period's start. */
  end: Date;
}

/** `YYYY-MM-DD` of a UTC instant. */
export const utcDay = (at: Date | number): string => new Date(at).toISOString().slice(0, 10);

/** The period of `granularity` that `at` falls in. */
export function trendPeriodOf(granularity: TrendGranularity, at: Date): TrendPeriod {
  const midnight = Math.floor(at.getTime() / DAY_MS) * DAY_MS;
  if (granularity === 'DAY') return { granularity, start: new Date(midnight), end: new Date(midnight + DAY_MS) };
  const monday = midnight - ((new Date(midnight).getUTCDay() + 6) % 7) * DAY_MS;
  return { granularity, start: new Date(monday), end: new Date(monday + WEEK_MS) };
}

/** The periods from the one `from` falls in through the one `to` falls in, none starting after `now`. */
export function trendPeriods(granularity: TrendGranularity, from: Date, to: Date, now: Date): TrendPeriod[] {
  const periods: TrendPeriod[] = [];
  const last = Math.min(to.getTime(), now.getTime());
  for (let p = trendPeriodOf(granularity, from); p.start.getTime() <= last; p = trendPeriodOf(granularity, p.end)) {
    periods.push(p);
  }
  return periods;
}

/** `DAY:2026-03-02` or `WEEK:2026-03-02` (the Monday). */
export const trendBucketId = (period: Pick<TrendPeriod, 'granularity' | 'start'>): string =>
  `${period.granularity}:${utcDay(period.start)}`;

/** The period a bucket id names, or null when it names none (a WEEK must start on a Monday). */
export function parseTrendBucketId(id: string): TrendPeriod | null {
  const match = /^(DAY|WEEK):(\d{4}-\d{2}-\d{2})$/.exec(id);
  if (!match) return null;
  const start = new Date(`${match[2]}T00:00:00.000Z`);
  if (Number.isNaN(start.getTime()) || utcDay(start) !== match[2]) return null;
  const period = trendPeriodOf(match[1] as TrendGranularity, start);
  return period.start.getTime() === start.getTime() ? period : null;
}

/** The instant a period's state is read at: its last millisecond, or `now` while it runs. */
export const closingInstant = (period: TrendPeriod, now: Date): Date =>
  new Date(Math.min(period.end.getTime() - 1, now.getTime()));
