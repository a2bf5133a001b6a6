// Workspace product-usage statistics from usage facts, computed in code (DESIGN.md rule 5):
// per period and feature the uses, errors and distinct contacts; over a range the most and
// least used features and those with the most errors. Pure: no I/O.
import type { FeatureCatalog, UsageFact } from './product-usage';

export type UsagePeriod = 'DAY' | 'WEEK';

export interface PeriodStat {
  feature: string;
  uses: number;
  errors: number;
  events: number;
  contacts: number;
}

export interface FeatureTotal {
  key: string;
  name: string;
  declared: boolean;
  highValue: boolean;
  uses: number;
  errors: number;
  errorRate: number;
}

const DAY_MS = 86_400_000;

/** The figures of one period from its facts, by feature key. */
export function periodStats(
  facts: readonly Pick<UsageFact, 'feature' | 'contactId' | 'use' | 'error'>[],
): PeriodStat[] {
  const byFeature = new Map<string, { uses: number; errors: number; events: number; contacts: Set<string> }>();
  for (const fact of facts) {
    let stat = byFeature.get(fact.feature);
    if (!stat) {
      stat = { uses: 0, errors: 0, events: 0, contacts: new Set() };
      byFeature.set(fact.feature, stat);
    }
    stat.uses += fact.use;
    stat.errors += fact.error;
    stat.events += 1;
    if (fact.use) stat.contacts.add(fact.contactId);
  }
  return [...byFeature]
    .map(([feature, { uses, errors, events, contacts }]) => ({
      feature,
      uses,
      errors,
      events,
      contacts: contacts.size,
    }))
    .sort((a, b) => a.feature.localeCompare(b.feature));
}

/** The first day (YYYY-MM-DD) of each period covering `from`..`to`; a week starts on Monday. */
export function periodsOf(from: string, to: string, granularity: UsagePeriod): string[] {
  const step = granularity === 'DAY' ? DAY_MS : 7 * DAY_MS;
  let start = Date.parse(`${from}T00:00:00Z`);
  if (granularity === 'WEEK') start -= ((new Date(start).getUTCDay() + 6) % 7) * DAY_MS;
  const end = Date.parse(`${to}T00:00:00Z`);
  const periods: string[] = [];
  for (let at = start; at <= end; at += step) periods.push(new Date(at).toISOString().slice(0, 10));
  return periods;
}

/** The days of the period starting on `start`. */
export function daysOf(start: string, granularity: UsagePeriod): string[] {
  const first = Date.parse(`${start}T00:00:00Z`);
  const count = granularity === 'DAY' ? 1 : 7;
  return Array.from({ length: count }, (_, i) => new Date(first + i * DAY_MS).toISOString().slice(0, 10));
}

/** When the period starting on `start` ends (exclusive), in ms. */
export function periodEnd(start: string, granularity: UsagePeriod): number {
  return Date.parse(`${start}T00:00:00Z`) + (granularity === 'DAY' ? 1 : 7) * DAY_MS;
}

/** Totals over periods, for every feature used and every declared one, most used first. */
export function featureTotals(periods: readonly (readonly PeriodStat[])[], catalog: FeatureCatalog): FeatureTotal[] {
  const sums = new Map<string, { uses: number; errors: number; events: number }>();
  for (const key of catalog.keys()) sums.set(key, { uses: 0, errors: 0, events: 0 });
  for (const period of periods) {
    for (const stat of period) {
      const sum = sums.get(stat.feature) ?? { uses: 0, errors: 0, events: 0 };
      sum.uses += stat.uses;
      sum.errors += stat.errors;
      sum.events += stat.events;
      sums.set(stat.feature, sum);
    }
  }
  return [...sums]
    .map(([key, { uses, errors, events }]) => {
      const declared = catalog.get(key);
      return {
        key,
        name: declared?.name ?? key,
        declared: declared !== undefined,
        highValue: declared?.highValue ?? false,
        uses,
        errors,
        errorRate: events === 0 ? 0 : Math.round((errors / events) * 1000) / 1000,
      };
    })
    .sort((a, b) => b.uses - a.uses || a.key.localeCompare(b.key));
}

export function mostUsed(totals: readonly FeatureTotal[], first: number): FeatureTotal[] {
  return totals.filter((t) => t.uses > 0).slice(0, first);
}

/** Least used first; declared features nobody used (0 uses) lead. */
export function leastUsed(totals: readonly FeatureTotal[], first: number): FeatureTotal[] {
  return [...totals].sort((a, b) => a.uses - b.uses || a.key.localeCompare(b.key)).slice(0, first);
}

export function mostErrors(totals: readonly FeatureTotal[], first: number): FeatureTotal[] {
  return totals
    .filter((t) => t.errors > 0)
    .sort((a, b) => b.errors - a.errors || b.errorRate - a.errorRate || a.key.localeCompare(b.key))
    .slice(0, first);
}
