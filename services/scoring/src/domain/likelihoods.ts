// Per-contact likelihoods (purchase, free→paid, upgrade, churn, recommendation, trial success,
// product success): one small logistic model each over normalised signals of the contact's
// activity and product usage, explained by signal.

import { weekOf, weekStart, type ContactActivity } from './activity';
import type { UsageProfile } from './product-usage';

export const LIKELIHOOD_KINDS = [
  'PURCHASE',
  'FREE_TO_PAID',
  'UPGRADE',
  'CHURN',
  'RECOMMENDATION',
  'TRIAL_SUCCESS',
  'PRODUCT_SUCCESS',
] as const;
export type LikelihoodKind = (typeof LIKELIHOOD_KINDS)[number];

export const SIGNAL_NAMES = [
  'RECENCY',
  'FREQUENCY',
  'MONETARY',
  'SCORE_TREND',
  'NPS',
  'PRODUCT_USAGE',
  'HIGH_VALUE_UNUSED',
  'HIGH_VALUE_IDLE',
  'USAGE_BREADTH',
  'USAGE_DEPTH',
  'STICKINESS',
  'FEATURE_ERRORS',
] as const;
export type SignalName = (typeof SIGNAL_NAMES)[number];

export interface Signal {
  signal: SignalName;
  /** The raw measure, e.g. days since the last interaction (see SIGNAL_MEASURES); 2 decimals. */
  value: number | null;
  /** Its share of the log-odds: weight × normalised feature; 3 decimals. */
  contribution: number;
}

export interface Likelihood {
  kind: LikelihoodKind;
  /** 0–1, 3 decimals. */
  probability: number;
  /**
   * Sorted by |contribution|, largest first. Empty when the kind does not apply to the contact.
   * A product-usage signal without a measure (no declared features, no usage) is left out.
   */
  signals: Signal[];
}

export interface LikelihoodModel {
  /** Log-odds of a contact whose features are all 0 (no activity, no NPS answer). */
  bias: number;
  /** Signals absent here have weight 0 and are left out of the explanation. */
  weights: Readonly<Partial<Record<SignalName, number>>>;
}

/** What each signal measures (`value`) and how it is normalised (`feature`). */
export const SIGNAL_MEASURES: Readonly<Record<SignalName, { value: string; feature: string }>> = {
  RECENCY: { value: 'days since the last interaction', feature: 'e^(−days / 14); 0 without interactions' },
  FREQUENCY: { value: 'interactions in the last 30 days', feature: 'min(interactions / 10, 1)' },
  MONETARY: { value: 'lifetime revenue', feature: '1 − e^(−revenue / 500)' },
  SCORE_TREND: {
    value: 'points of the last 4 weeks − points of the 4 weeks before',
    feature: 'tanh(difference / 50)',
  },
  NPS: { value: 'latest NPS answer (0–10)', feature: '(nps − 7) / 3; 0 without an answer' },
  PRODUCT_USAGE: { value: 'product usage interactions in the last 30 days', feature: 'min(usage / 20, 1)' },
  HIGH_VALUE_UNUSED: {
    value: 'declared high-value features not used in the last 30 days',
    feature: 'unused ÷ declared high-value features; absent without high-value features',
  },
  HIGH_VALUE_IDLE: {
    value: 'days since the last use of a high-value feature',
    feature: '1 − e^(−days / 14); absent when no high-value feature was ever used',
  },
  USAGE_BREADTH: {
    value: 'declared features used in the last 30 days ÷ declared features',
    feature: 'the share itself; absent without declared features',
  },
  USAGE_DEPTH: {
    value: 'uses in the last 30 days ÷ features used in them',
    feature: 'min(depth / 10, 1); absent without usage',
  },
  STICKINESS: { value: 'active days in the last 30 days', feature: 'min(days / 20, 1); absent without usage' },
  FEATURE_ERRORS: { value: 'feature errors in the last 30 days', feature: 'min(errors / 10, 1); absent without usage' },
};

/**
 * The models. Features are ≥ 0 except SCORE_TREND and NPS (−1..1, and NPS down to −2.33),
 * so a positive weight means "more of this makes the outcome more likely".
 */
export const LIKELIHOOD_MODELS: Readonly<Record<LikelihoodKind, LikelihoodModel>> = {
  // Buying (first or again) follows fresh, frequent, rising engagement; past spend helps
  // a little (buyers buy again), a good opinion a little more. Applies to every contact.
  PURCHASE: {
    bias: -2.5,
    weights: { RECENCY: 1.5, FREQUENCY: 1.5, SCORE_TREND: 1.0, MONETARY: 0.5, NPS: 0.3 },
  },
  // Free users convert when the product has become part of their work: usage dominates.
  // Applies while the contact has no paid subscription (free plan, trial, or none yet —
  // then it reads as "would start paying"); 0 with no signals once it pays.
  FREE_TO_PAID: {
    bias: -2.5,
    weights: { PRODUCT_USAGE: 2.5, FREQUENCY: 1.0, RECENCY: 0.5, SCORE_TREND: 0.5, NPS: 0.5 },
  },
  // Paying customers upgrade when they use the product more and already spend: usage and
  // revenue lead, a rising score and satisfaction support. Only for an active paid subscription.
  // Broad use (many of the declared features) and deep use (many uses of each) say the
  // customer has outgrown the plan.
  UPGRADE: {
    bias: -2.5,
    weights: {
      PRODUCT_USAGE: 1.5,
      USAGE_BREADTH: 1.5,
      USAGE_DEPTH: 1.0,
      MONETARY: 1.0,
      SCORE_TREND: 1.0,
      NPS: 0.5,
      FREQUENCY: 0.5,
      RECENCY: 0.5,
    },
  },
  // Churn is the absence of engagement: churn rises as recency, usage and frequency fall, as
  // the score declines and as the NPS answer drops; spent money binds a little. Customers who
  // leave stop using what made the product worth paying for first: days since the last use of a
  // high-value feature and the share of them left unused raise churn most, errors a little, and
  // coming back day after day lowers it.
  // With no activity at all the bias alone says "likely gone".
  CHURN: {
    bias: 1.0,
    weights: {
      RECENCY: -2.5,
      HIGH_VALUE_IDLE: 2.0,
      HIGH_VALUE_UNUSED: 1.5,
      PRODUCT_USAGE: -1.5,
      SCORE_TREND: -1.5,
      FREQUENCY: -1.0,
      NPS: -1.0,
      STICKINESS: -1.0,
      FEATURE_ERRORS: 0.5,
      MONETARY: -0.5,
    },
  },
  // Recommending is what NPS asks directly, so NPS drives it; being engaged right now
  // helps a little. Spend says nothing about advocacy (weight 0).
  RECOMMENDATION: {
    bias: -1.0,
    weights: { NPS: 3.0, RECENCY: 0.5, FREQUENCY: 0.3, SCORE_TREND: 0.3, PRODUCT_USAGE: 0.3 },
  },
  // A trial succeeds when the user reaches the value the product promises: comes back on many
  // days, tries much of it, and has not left the high-value features untouched; errors hurt.
  // Applies while the contact does not pay (as FREE_TO_PAID).
  TRIAL_SUCCESS: {
    bias: -1.5,
    weights: { STICKINESS: 2.0, USAGE_BREADTH: 1.5, HIGH_VALUE_UNUSED: -1.5, FEATURE_ERRORS: -1.0, RECENCY: 0.5 },
  },
  // Success in using the product, for every contact: broad, deep, regular use of the
  // high-value features without errors, and a good opinion of it.
  PRODUCT_SUCCESS: {
    bias: -1.5,
    weights: {
      STICKINESS: 1.5,
      USAGE_BREADTH: 1.5,
      HIGH_VALUE_UNUSED: -1.5,
      USAGE_DEPTH: 1.0,
      FEATURE_ERRORS: -1.0,
      NPS: 0.5,
    },
  },
};

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

interface Measure {
  value: number | null;
  feature: number;
}

/**
 * The raw measure and normalised feature of every signal for a contact at `now`; `usage` is the
 * contact's product usage against the workspace's declared features (null: none recorded).
 */
export function signalMeasures(
  activity: ContactActivity,
  now: Date,
  usage: UsageProfile | null = null,
): Record<SignalName, Measure> {
  const nowMs = now.getTime();
  const days =
    activity.lastInteractionAt === null ? null : Math.max(0, (nowMs - Date.parse(activity.lastInteractionAt)) / DAY_MS);
  // Buckets are weekly, so "the last 30 days" is the weeks that overlap them.
  const since = nowMs - 30 * DAY_MS;
  let recentInteractions = 0;
  let recentUsage = 0;
  // The current week counts in "the last 4 weeks", so the trend moves in real time.
  const currentWeek = weekStart(weekOf(nowMs));
  let lastFourWeeks = 0;
  let fourWeeksBefore = 0;
  for (const bucket of activity.weeks) {
    const start = weekStart(bucket.week);
    if (start + WEEK_MS > since) {
      recentInteractions += bucket.interactions;
      recentUsage += bucket.usage;
    }
    const weeksAgo = Math.round((currentWeek - start) / WEEK_MS);
    if (weeksAgo >= 0 && weeksAgo < 4) lastFourWeeks += bucket.points;
    else if (weeksAgo >= 4 && weeksAgo < 8) fourWeeksBefore += bucket.points;
  }
  const trend = lastFourWeeks - fourWeeksBefore;
  const nps = activity.nps.latest;
  return {
    RECENCY: { value: days, feature: days === null ? 0 : Math.exp(-days / 14) },
    FREQUENCY: { value: recentInteractions, feature: Math.min(recentInteractions / 10, 1) },
    MONETARY: { value: activity.revenue, feature: 1 - Math.exp(-Math.max(activity.revenue, 0) / 500) },
    SCORE_TREND: { value: trend, feature: Math.tanh(trend / 50) },
    NPS: { value: nps, feature: nps === null ? 0 : (nps - 7) / 3 },
    PRODUCT_USAGE: { value: recentUsage, feature: Math.min(recentUsage / 20, 1) },
    ...usageMeasures(usage, now),
  };
}

const ABSENT: Measure = { value: null, feature: 0 };

function usageMeasures(usage: UsageProfile | null, now: Date): Record<UsageSignal, Measure> {
  if (usage === null) {
    return {
      HIGH_VALUE_UNUSED: ABSENT,
      HIGH_VALUE_IDLE: ABSENT,
      USAGE_BREADTH: ABSENT,
      USAGE_DEPTH: ABSENT,
      STICKINESS: ABSENT,
      FEATURE_ERRORS: ABSENT,
    };
  }
  const unused = usage.highValueUnused.length;
  const idleDays =
    usage.highValueLastUsedAt === null
      ? null
      : Math.max(0, (now.getTime() - Date.parse(usage.highValueLastUsedAt)) / DAY_MS);
  const used = usage.features.length > 0;
  return {
    HIGH_VALUE_UNUSED:
      usage.highValueDeclared === 0 ? ABSENT : { value: unused, feature: unused / usage.highValueDeclared },
    HIGH_VALUE_IDLE: idleDays === null ? ABSENT : { value: idleDays, feature: 1 - Math.exp(-idleDays / 14) },
    USAGE_BREADTH: usage.breadth === null ? ABSENT : { value: usage.breadth, feature: usage.breadth },
    USAGE_DEPTH: used ? { value: usage.depth, feature: Math.min(usage.depth / 10, 1) } : ABSENT,
    STICKINESS: used ? { value: usage.activeDaysLast30, feature: Math.min(usage.activeDaysLast30 / 20, 1) } : ABSENT,
    FEATURE_ERRORS: used ? { value: usage.errorsRecent, feature: Math.min(usage.errorsRecent / 10, 1) } : ABSENT,
  };
}

type UsageSignal =
  'HIGH_VALUE_UNUSED' | 'HIGH_VALUE_IDLE' | 'USAGE_BREADTH' | 'USAGE_DEPTH' | 'STICKINESS' | 'FEATURE_ERRORS';
const USAGE_SIGNALS: ReadonlySet<SignalName> = new Set<UsageSignal>([
  'HIGH_VALUE_UNUSED',
  'HIGH_VALUE_IDLE',
  'USAGE_BREADTH',
  'USAGE_DEPTH',
  'STICKINESS',
  'FEATURE_ERRORS',
]);

/** Every likelihood, in LIKELIHOOD_KINDS order. */
export function likelihoods(activity: ContactActivity, now: Date, usage: UsageProfile | null = null): Likelihood[] {
  const measures = signalMeasures(activity, now, usage);
  return LIKELIHOOD_KINDS.map((kind) => {
    if (!applies(kind, activity)) return { kind, probability: 0, signals: [] };
    const model = LIKELIHOOD_MODELS[kind];
    let logOdds = model.bias;
    const signals: Signal[] = [];
    for (const signal of SIGNAL_NAMES) {
      const weight = model.weights[signal] ?? 0;
      if (weight === 0) continue;
      const { value, feature } = measures[signal];
      if (value === null && USAGE_SIGNALS.has(signal)) continue;
      const contribution = weight * feature;
      logOdds += contribution;
      signals.push({ signal, value: value === null ? null : round(value, 2), contribution: round(contribution, 3) });
    }
    // Stable sort: equal contributions keep SIGNAL_NAMES order.
    signals.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
    return { kind, probability: round(1 / (1 + Math.exp(-logOdds)), 3), signals };
  });
}

/**
 * Only the churn and purchase probabilities (what a score change carries for lifecycle's rules):
 * the same numbers as `likelihoods`, without building the explanations, so cheap on the hot path.
 */
export function phaseLikelihoods(
  activity: ContactActivity,
  now: Date,
  usage: UsageProfile | null = null,
): { churn: number; purchase: number } {
  const measures = signalMeasures(activity, now, usage);
  const probability = (kind: LikelihoodKind) => {
    const model = LIKELIHOOD_MODELS[kind];
    let logOdds = model.bias;
    for (const signal of SIGNAL_NAMES) logOdds += (model.weights[signal] ?? 0) * measures[signal].feature;
    return round(1 / (1 + Math.exp(-logOdds)), 3);
  };
  return { churn: probability('CHURN'), purchase: probability('PURCHASE') };
}

/** Free→paid is moot once the contact pays; an upgrade needs something paid to upgrade from. */
function applies(kind: LikelihoodKind, activity: ContactActivity): boolean {
  const paying = activity.subscription.active && activity.subscription.paid;
  if (kind === 'FREE_TO_PAID' || kind === 'TRIAL_SUCCESS') return !paying;
  if (kind === 'UPGRADE') return paying;
  return true;
}

/** Rounds half away from zero and never returns −0. */
function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return (Math.sign(value) * Math.round(Math.abs(value) * factor)) / factor + 0;
}
