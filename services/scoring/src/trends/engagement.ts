// The engagement index series: every contact's index at the close (its general score decayed to
// then), counted per 0.1; a bucket reads quartiles, mean and a histogram of ten bins from it.
import { engagementIndex } from '../domain/engagement-index';
import { addValue, mean, quantile, round, sortedValues, total, type ValueCounts } from './counts';
import type { TrendSeries } from './series';

const STEP = 0.1;
const BIN_WIDTH = 10;

export interface EngagementTally {
  counts: ValueCounts;
}

export const engagementSeries: TrendSeries<EngagementTally> = {
  empty: () => ({ counts: {} }),
  add(tally, contact) {
    addValue(tally.counts, engagementIndex(contact.general), STEP);
    return tally;
  },
};

export interface EngagementDistribution {
  contacts: number;
  mean: number | null;
  p25: number | null;
  median: number | null;
  p75: number | null;
  /** Ten bins [0, 10), [10, 20), … [90, 100] (the last includes 100). */
  histogram: { from: number; to: number; contacts: number }[];
}

export function engagementDistribution(tally: EngagementTally): EngagementDistribution {
  const sorted = sortedValues(tally.counts, STEP);
  const histogram = Array.from({ length: 100 / BIN_WIDTH }, (_, i) => ({
    from: i * BIN_WIDTH,
    to: (i + 1) * BIN_WIDTH,
    contacts: 0,
  }));
  for (const { value, count } of sorted) {
    histogram[Math.min(Math.floor(value / BIN_WIDTH), histogram.length - 1)]!.contacts += count;
  }
  const figure = (value: number | null) => (value === null ? null : round(value, 2));
  return {
    contacts: total(tally.counts),
    mean: figure(mean(sorted)),
    p25: figure(quantile(sorted, 0.25)),
    median: figure(quantile(sorted, 0.5)),
    p75: figure(quantile(sorted, 0.75)),
    histogram,
  };
}
