// A customer's health as customer-success teams score it: five measures of the contact's state
// (product usage, engagement trend, sentiment, support load, NPS), each GOOD / CONCERNING / POOR
// by the workspace's thresholds, rolled up to 0–100 by the workspace's weights, with the measure
// that pulled it down named. Pure: computed when read, from the score and usage documents and
// the workspace's health policy. An account's health rolls up its customer contacts'.
import { weekOf, weekStart, type ContactActivity } from './activity';
import type { UsageProfile } from './product-usage';

export type HealthStatus = 'GOOD' | 'CONCERNING' | 'POOR';

export const HEALTH_MEASURES = ['productUsage', 'engagementTrend', 'sentiment', 'supportLoad', 'nps'] as const;
export type HealthMeasureName = (typeof HEALTH_MEASURES)[number];

/**
 * One measure's thresholds and weight. HIGHER_IS_BETTER: GOOD at or above `good`, POOR at or
 * below `poor`; LOWER_IS_BETTER (support load): GOOD at or below `good`, POOR at or above `poor`.
 * CONCERNING between. A weight of 0 leaves the measure out.
 */
export interface MeasurePolicy {
  good: number;
  poor: number;
  weight: number;
}

export type HealthPolicy = Record<HealthMeasureName, MeasurePolicy>;

export type Direction = 'HIGHER_IS_BETTER' | 'LOWER_IS_BETTER';

/** What each measure's value is, its range and which way is better. */
export const MEASURE_SPECS: Record<HealthMeasureName, { direction: Direction; min: number; max: number | null }> = {
  productUsage: { direction: 'HIGHER_IS_BETTER', min: 0, max: 1 },
  engagementTrend: { direction: 'HIGHER_IS_BETTER', min: -1, max: 1 },
  sentiment: { direction: 'HIGHER_IS_BETTER', min: -1, max: 1 },
  supportLoad: { direction: 'LOWER_IS_BETTER', min: 0, max: null },
  nps: { direction: 'HIGHER_IS_BETTER', min: 0, max: 10 },
};

export const DEFAULT_HEALTH_POLICY: HealthPolicy = {
  productUsage: { good: 0.3, poor: 0.1, weight: 30 },
  engagementTrend: { good: -0.1, poor: -0.5, weight: 20 },
  sentiment: { good: 0.1, poor: -0.1, weight: 15 },
  supportLoad: { good: 1, poor: 5, weight: 15 },
  nps: { good: 9, poor: 6, weight: 20 },
};

/** Points a status is worth in the roll-up. */
export const STATUS_POINTS: Record<HealthStatus, number> = { GOOD: 100, CONCERNING: 50, POOR: 0 };
/** The overall status: GOOD from this score, POOR below POOR_BELOW, CONCERNING between. */
export const SCORE_GOOD_FROM = 70;
export const SCORE_POOR_BELOW = 40;
/** Days of the support load. */
export const SUPPORT_DAYS = 30;
const MAX_WEIGHT = 100;
const DAY_MS = 86_400_000;

export interface HealthMeasure {
  name: HealthMeasureName;
  value: number;
  /** What the value was read from, for people ("9 active days in 30; 1 of 3 high-value features unused"). */
  detail: string;
  status: HealthStatus;
  /** The measure's share of the weights of the measures with data (0–1). */
  weight: number;
  /** STATUS_POINTS × weight: the points it adds to the score. */
  contribution: number;
}

export interface Health {
  score: number;
  status: HealthStatus;
  /** Measures with data (weight > 0), in HEALTH_MEASURES order. */
  measures: HealthMeasure[];
  /** The measure that lost the most points (weight × (100 − its points)); null when nothing was lost. */
  pulledDownBy: HealthMeasureName | null;
}

/** What a contact's health reads. */
export interface HealthInput {
  activity: ContactActivity;
  /** The contact's product usage as of now (null: no usage and no declared features). */
  usage: UsageProfile | null;
}

/** A customer: a purchase or a subscription (the customer half of the lifecycle). */
export function isCustomer(activity: ContactActivity): boolean {
  return activity.purchases > 0 || activity.subscription.started > 0 || activity.subscription.renewed > 0;
}

export function statusOf(name: HealthMeasureName, value: number, policy: MeasurePolicy): HealthStatus {
  if (MEASURE_SPECS[name].direction === 'HIGHER_IS_BETTER') {
    if (value >= policy.good) return 'GOOD';
    return value <= policy.poor ? 'POOR' : 'CONCERNING';
  }
  if (value <= policy.good) return 'GOOD';
  return value >= policy.poor ? 'POOR' : 'CONCERNING';
}

/** Each measure's value and detail, or null when the contact has no data for it. */
export function measureValues(
  input: HealthInput,
  now: Date,
): Record<HealthMeasureName, { value: number; detail: string } | null> {
  return {
    productUsage: productUsage(input.usage),
    engagementTrend: engagementTrend(input.activity, now),
    sentiment: sentiment(input.activity),
    supportLoad: supportLoad(input.activity, now),
    nps: nps(input.activity),
  };
}

/** The contact's health, or null for a contact that is no customer (yet). */
export function contactHealth(input: HealthInput, policy: HealthPolicy, now: Date): Health | null {
  if (!isCustomer(input.activity)) return null;
  const values = measureValues(input, now);
  return rollUp(
    HEALTH_MEASURES.flatMap((name) => {
      const found = values[name];
      if (!found || policy[name].weight <= 0) return [];
      const status = statusOf(name, found.value, policy[name]);
      return [{ name, ...found, status, points: STATUS_POINTS[status], rawWeight: policy[name].weight }];
    }),
  );
}

interface Rated {
  name: HealthMeasureName;
  value: number;
  detail: string;
  status: HealthStatus;
  points: number;
  rawWeight: number;
}

/** Weighted mean of the measures' points; each measure's weight is its share of the weights present. */
function rollUp(rated: Rated[]): Health | null {
  const total = rated.reduce((sum, m) => sum + m.rawWeight, 0);
  if (rated.length === 0 || total <= 0) return null;
  const measures = rated.map(({ name, value, detail, status, points, rawWeight }): HealthMeasure => {
    const weight = rawWeight / total;
    return { name, value, detail, status, weight: round(weight), contribution: round(points * weight) };
  });
  // The measure that lost the most weighted points; the first in HEALTH_MEASURES order on a tie.
  let pulledDownBy: HealthMeasureName | null = null;
  let mostLost = 0;
  for (const m of rated) {
    const lost = (m.rawWeight / total) * (100 - m.points);
    if (lost > mostLost) {
      mostLost = lost;
      pulledDownBy = m.name;
    }
  }
  const score = round(rated.reduce((sum, m) => sum + (m.points * m.rawWeight) / total, 0));
  return { score, status: overallStatus(score), measures, pulledDownBy };
}

export function overallStatus(score: number): HealthStatus {
  if (score >= SCORE_GOOD_FROM) return 'GOOD';
  return score < SCORE_POOR_BELOW ? 'POOR' : 'CONCERNING';
}

/**
 * An account's health from its customer contacts' healths: the score is their mean; each measure's
 * value is the mean of its points (0–100) over the contacts that have it, its status GOOD from 75,
 * POOR below 25 (the nearest of 100 / 50 / 0), its weight the policy's share among the measures any
 * contact has; the weakest measure is the one that loses the most weighted points. Null without a
 * customer contact.
 */
export function accountHealth(
  healths: readonly Health[],
  policy: HealthPolicy,
): (Health & { contacts: number }) | null {
  if (healths.length === 0) return null;
  const rated: Rated[] = HEALTH_MEASURES.flatMap((name) => {
    const points = healths.flatMap((h) =>
      h.measures.filter((m) => m.name === name).map((m) => STATUS_POINTS[m.status]),
    );
    if (points.length === 0) return [];
    const mean = round(points.reduce((a, b) => a + b, 0) / points.length);
    const status: HealthStatus = mean >= 75 ? 'GOOD' : mean < 25 ? 'POOR' : 'CONCERNING';
    const detail = `mean of ${points.length} contact${points.length === 1 ? '' : 's'}`;
    return [{ name, value: mean, detail, status, points: mean, rawWeight: policy[name].weight }];
  });
  const measures = rollUp(rated);
  const score = round(healths.reduce((sum, h) => sum + h.score, 0) / healths.length);
  return {
    score,
    status: overallStatus(score),
    measures: measures?.measures ?? [],
    pulledDownBy: measures?.pulledDownBy ?? null,
    contacts: healths.length,
  };
}

// --- the measures -------------------------------------------------------------------------

/** Stickiness: active days in the last 30 ÷ 30 (product usage's `stickinessMonthly`). */
function productUsage(usage: UsageProfile | null) {
  if (!usage) return null;
  const unused =
    usage.highValueDeclared > 0
      ? `; ${usage.highValueUnused.length} of ${usage.highValueDeclared} high-value features unused`
      : '';
  return { value: usage.stickinessMonthly, detail: `${usage.activeDaysLast30} active days in 30${unused}` };
}

/**
 * Interactions of this and last week (UTC Monday weeks) against the two weeks before:
 * (recent − previous) ÷ the larger of the two, −1..1; −1 when neither has any (gone quiet).
 */
function engagementTrend(activity: ContactActivity, now: Date) {
  if (activity.interactions === 0) return null;
  const thisWeek = weekStart(weekOf(now));
  const recentFrom = thisWeek - 7 * DAY_MS;
  const previousFrom = thisWeek - 21 * DAY_MS;
  let recent = 0;
  let previous = 0;
  for (const w of activity.weeks) {
    const start = weekStart(w.week);
    if (start >= recentFrom && start <= thisWeek) recent += w.interactions;
    else if (start >= previousFrom && start < recentFrom) previous += w.interactions;
  }
  const larger = Math.max(recent, previous);
  const value = larger === 0 ? -1 : round((recent - previous) / larger);
  return { value, detail: `${recent} interactions in the last 2 weeks, ${previous} in the 2 before` };
}

/** Mean score (−1..1) of the contact's newest texts (the 10 the score document keeps). */
function sentiment(activity: ContactActivity) {
  const recent = activity.sentiment?.recent ?? [];
  if (recent.length === 0) return null;
  const value = round(recent.reduce((sum, t) => sum + t.score, 0) / recent.length);
  return { value, detail: `mean of the ${recent.length} newest texts` };
}

/** SUPPORT_TICKET, CALL_CENTER_CONTACT and FEATURE_ERROR interactions in the last 30 days. */
function supportLoad(activity: ContactActivity, now: Date) {
  const from = new Date(now.getTime() - (SUPPORT_DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
  const to = now.toISOString().slice(0, 10);
  let tickets = 0;
  let calls = 0;
  let errors = 0;
  for (const d of activity.supportDays ?? []) {
    if (d.day < from || d.day > to) continue;
    tickets += d.tickets;
    calls += d.calls;
    errors += d.featureErrors;
  }
  return {
    value: tickets + calls + errors,
    detail: `${tickets} tickets, ${calls} calls, ${errors} feature errors in ${SUPPORT_DAYS} days`,
  };
}

/** The latest NPS answer (0–10). */
function nps(activity: ContactActivity) {
  if (activity.nps.latest === null) return null;
  return { value: activity.nps.latest, detail: `answered ${activity.nps.latestAt ?? ''}`.trim() };
}

// --- the policy ---------------------------------------------------------------------------

/** A measure or field left out (or null) stays as it is. */
export type HealthPolicyInput = Partial<
  Record<HealthMeasureName, { good?: number | null; poor?: number | null; weight?: number | null } | null>
>;

export interface PolicyProblem {
  path: string;
  message: string;
}

/** The policy with the input applied (left out: unchanged), and every problem by field. */
export function applyHealthPolicy(
  current: HealthPolicy,
  input: HealthPolicyInput,
): { policy: HealthPolicy; problems: PolicyProblem[] } {
  const problems: PolicyProblem[] = [];
  const policy = { ...current };
  for (const name of HEALTH_MEASURES) {
    const patch = input[name];
    if (!patch) continue;
    const next: MeasurePolicy = {
      good: patch.good ?? current[name].good,
      poor: patch.poor ?? current[name].poor,
      weight: patch.weight ?? current[name].weight,
    };
    const { direction, min, max } = MEASURE_SPECS[name];
    const range = max === null ? `at least ${min}` : `between ${min} and ${max}`;
    for (const field of ['good', 'poor'] as const) {
      const v = next[field];
      if (!Number.isFinite(v) || v < min || (max !== null && v > max)) {
        problems.push({ path: `input.${name}.${field}`, message: `must be ${range}; got ${v}` });
      }
    }
    if (direction === 'HIGHER_IS_BETTER' && !(next.good > next.poor)) {
      problems.push({ path: `input.${name}.good`, message: `must be above poor (${next.poor}): higher is better` });
    }
    if (direction === 'LOWER_IS_BETTER' && !(next.good < next.poor)) {
      problems.push({ path: `input.${name}.good`, message: `must be below poor (${next.poor}): lower is better` });
    }
    if (!Number.isFinite(next.weight) || next.weight < 0 || next.weight > MAX_WEIGHT) {
      problems.push({
        path: `input.${name}.weight`,
        message: `must be between 0 and ${MAX_WEIGHT}; got ${next.weight}`,
      });
    }
    policy[name] = next;
  }
  if (problems.length === 0 && HEALTH_MEASURES.every((name) => policy[name].weight <= 0)) {
    const name = HEALTH_MEASURES.find((n) => input[n]?.weight != null) ?? HEALTH_MEASURES[0];
    problems.push({ path: `input.${name}.weight`, message: 'at least one measure needs a weight above 0' });
  }
  return { policy, problems };
}

/** Figures are given to 3 decimals. */
function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
