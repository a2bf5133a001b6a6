// The churn-risk series: every contact's churn likelihood at the close (domain/likelihoods.ts, with
// the close as "now", product usage included as Contact.likelihoods reads it), counted per 0.001, so a bucket counts the contacts at or above any threshold.
import { phaseLikelihoods } from '../domain/likelihoods';
import { countAtLeast, type ValueCounts } from './counts';
import type { TrendSeries } from './series';

const STEP = 0.001;

/**
 * The default threshold: the CHURN model gives a contact with a single interaction 0.13 the same
 * day, 0.42 two weeks later and 0.71 after a month (0.72–0.77 beyond, its bias alone: 0.73), so
 * 0.7 counts the contacts gone quiet for about a month with nothing else holding them.
 */
export const DEFAULT_CHURN_THRESHOLD = 0.7;

export interface ChurnTally {
  counts: ValueCounts;
}

export const churnSeries: TrendSeries<ChurnTally> = {
  empty: () => ({ counts: {} }),
  add(tally, contact) {
    const { churn } = phaseLikelihoods(contact.state.activity, contact.at, contact.usage);
    const key = String(Math.round(churn / STEP));
    tally.counts[key] = (tally.counts[key] ?? 0) + 1;
    return tally;
  },
};

/** Contacts whose churn likelihood is at least `threshold` (0–1, compared at 3 decimals). */
export const churnRiskCount = (tally: ChurnTally, threshold: number): number =>
  countAtLeast(tally.counts, STEP, threshold);
