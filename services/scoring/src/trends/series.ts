// The series a trend snapshot keeps. Each folds a workspace's contacts, as they stand at a
// day's close, into a small tally stored with the snapshot (a count per value, a few sums), from
// which a bucket's figures are computed in code. Adding a series is one module exporting a
// TrendSeries, one entry in TREND_SERIES, and its field on TrendBucket (README: Trends). Figures of
// what happened in a period that a collection already keeps per UTC day (texts' sentiment, feature
// adoption) are read from there instead: trends/recorded.ts.
import type { ScoreState } from '../domain/score-state';
import type { UsageProfile } from '../domain/product-usage';
import { churnSeries } from './churn';
import { engagementSeries } from './engagement';
import { surveySeries } from './surveys';

/** A contact as it stood at a close. */
export interface ContactAtClose {
  state: ScoreState;
  /** The general score decayed to the close. */
  general: number;
  at: Date;
  /** Its product usage against the declared features at the close (null: none, nothing declared). */
  usage: UsageProfile | null;
}

export interface TrendSeries<Tally> {
  empty(): Tally;
  /** Folds one contact into the tally (which it may change in place) and returns it. */
  add(tally: Tally, contact: ContactAtClose): Tally;
}

export const TREND_SERIES = {
  engagement: engagementSeries,
  churn: churnSeries,
  surveys: surveySeries,
} as const;

export type SeriesName = keyof typeof TREND_SERIES;
export type TrendTallies = { [K in SeriesName]: ReturnType<(typeof TREND_SERIES)[K]['empty']> };

/** A close as stored: snapshots taken before a series existed lack its tally (its figures are null). */
export interface ClosingTallies {
  contacts: number;
  series: Partial<TrendTallies>;
}

const names = Object.keys(TREND_SERIES) as SeriesName[];

export function emptyTallies(): TrendTallies {
  return Object.fromEntries(names.map((name) => [name, TREND_SERIES[name].empty()])) as TrendTallies;
}

/** Folds one contact into every series of `tallies`. */
export function addContact(tallies: { contacts: number; series: TrendTallies }, contact: ContactAtClose): void {
  tallies.contacts += 1;
  for (const name of names) (TREND_SERIES[name] as TrendSeries<unknown>).add(tallies.series[name], contact);
}

/** Every contact folded into every series. */
export function tallyContacts(contacts: Iterable<ContactAtClose>): { contacts: number; series: TrendTallies } {
  const tallies = { contacts: 0, series: emptyTallies() };
  for (const contact of contacts) addContact(tallies, contact);
  return tallies;
}
