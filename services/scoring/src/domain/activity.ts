// A contact's interactions folded into a small, bounded summary that lives in its score
// document, so KPIs and likelihoods are computed without re-reading the interactions.

import type { InteractionKind } from '@cei/contracts';
import { emptySentiment, type ContactSentiment } from './sentiment';

export interface ActivityInput {
  kind: string;
  variant: string | null;
  /** ISO 8601. */
  occurredAt: string;
  properties: Record<string, unknown>;
  /** General points this interaction earned; may be negative. */
  points: number;
}

/** One UTC week, Monday to Sunday, named by its Monday (`YYYY-MM-DD`). */
export interface WeeklyActivity {
  week: string;
  interactions: number;
  points: number;
  /** Product usage interactions (FEATURE_USAGE, MOBILE_APP_USAGE). */
  usage: number;
}

export interface SubscriptionActivity {
  started: number;
  renewed: number;
  cancelled: number;
  active: boolean;
  /** The current subscription has a price (its last start or renewal had amount > 0). */
  paid: boolean;
  /** When `active`/`paid` last changed, so a late, older event cannot overwrite them. */
  changedAt: string | null;
}

export interface ContactActivity {
  firstInteractionAt: string | null;
  lastInteractionAt: string | null;
  interactions: number;
  purchases: number;
  /** Purchase amounts plus paid subscription amounts: the contact's lifetime value. */
  revenue: number;
  subscription: SubscriptionActivity;
  /** `latest` is the answer with the latest `occurredAt`, not the last one received. */
  nps: { latest: number | null; latestAt: string | null; answers: number };
  /**
   * Answers on the 1–5 scale; `satisfied` counts the 4s and 5s. Documents folded before it existed
   * lack `satisfied` (their satisfied share is unknown until a recompute rebuilds them).
   */
  csat: { sum: number; count: number; satisfied?: number };
  ces: { sum: number; count: number };
  support: {
    tickets: number;
    /** Tickets that say whether they were resolved on first contact (the FCR denominator). */
    firstContactAnswers: number;
    resolvedOnFirstContact: number;
    /** Handle time of tickets, call-center contacts and live chats that report one. */
    handleTimeSeconds: number;
    handled: number;
  };
  social: {
    likes: number;
    dislikes: number;
    shares: number;
    commentsAdded: number;
    commentsRemoved: number;
    /** CUSTOM interactions named `mention` (properties.name): others talking about the contact. Absent: none. */
    mentions?: number;
    /** Sum of `properties.reach` (people who saw it) of the contact's COMMENT_ADDED. Absent: none. */
    commentReach?: number;
  };
  /** Ascending by week; only the WEEKS_KEPT weeks up to the week of `lastInteractionAt`. */
  weeks: WeeklyActivity[];
  /** Scored texts (see domain/sentiment); absent in documents folded before sentiment existed. */
  sentiment?: ContactSentiment;
  /**
   * Support interactions per UTC day, ascending, only the SUPPORT_DAYS_KEPT days up to the latest
   * (the health score's support load). Absent: none yet, or folded before it existed.
   */
  supportDays?: SupportDay[];
}

/** One UTC day (`YYYY-MM-DD`) with support interactions. */
export interface SupportDay {
  day: string;
  /** SUPPORT_TICKET */
  tickets: number;
  /** CALL_CENTER_CONTACT */
  calls: number;
  /** FEATURE_ERROR */
  featureErrors: number;
}

/** Days of support interactions kept: the 30 of the support load and slack for a clock that moved on. */
export const SUPPORT_DAYS_KEPT = 35;

/** The answer scales accepted (anything outside, or not a number, is ignored). */
export const NPS_SCALE = { min: 0, max: 10 } as const;
/** CSAT 1–5; an answer of 4 or 5 is "satisfied" (the share the industry reports). */
export const CSAT_SCALE = { min: 1, max: 5, satisfiedFrom: 4 } as const;
/** CES 1–7 agreement ("the company made it easy to handle my issue"); reported as the mean. */
export const CES_SCALE = { min: 1, max: 7 } as const;

/** Twelve weeks cover the 8 weeks of the score trend and the 30 days of frequency and usage. */
export const WEEKS_KEPT = 12;

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

const USAGE_KINDS: ReadonlySet<string> = new Set<InteractionKind>(['FEATURE_USAGE', 'MOBILE_APP_USAGE']);
const HANDLED_KINDS: ReadonlySet<string> = new Set<InteractionKind>([
  'SUPPORT_TICKET',
  'CALL_CENTER_CONTACT',
  'LIVE_CHAT',
]);

export function emptyActivity(): ContactActivity {
  return {
    firstInteractionAt: null,
    lastInteractionAt: null,
    interactions: 0,
    purchases: 0,
    revenue: 0,
    subscription: { started: 0, renewed: 0, cancelled: 0, active: false, paid: false, changedAt: null },
    nps: { latest: null, latestAt: null, answers: 0 },
    csat: { sum: 0, count: 0, satisfied: 0 },
    ces: { sum: 0, count: 0 },
    support: { tickets: 0, firstContactAnswers: 0, resolvedOnFirstContact: 0, handleTimeSeconds: 0, handled: 0 },
    social: { likes: 0, dislikes: 0, shares: 0, commentsAdded: 0, commentsRemoved: 0 },
    weeks: [],
    sentiment: emptySentiment(),
  };
}

/** The UTC Monday (`YYYY-MM-DD`) of the week a time falls in. */
export function weekOf(time: Date | number): string {
  const ms = typeof time === 'number' ? time : time.getTime();
  // 1970-01-01 was a Thursday: days since the epoch, shifted by 3, count weeks from a Monday.
  const monday = (Math.floor((Math.floor(ms / DAY_MS) + 3) / 7) * 7 - 3) * DAY_MS;
  let week = WEEK_NAMES.get(monday);
  if (week === undefined) {
    // Formatting a date is the costly part, and an event's week is nearly always a recent one.
    if (WEEK_NAMES.size >= WEEK_NAMES_KEPT) WEEK_NAMES.clear();
    week = new Date(monday).toISOString().slice(0, 10);
    WEEK_NAMES.set(monday, week);
  }
  return week;
}

const WEEK_NAMES = new Map<number, string>();
const WEEK_NAMES_KEPT = 1_024;

/** Milliseconds of a week's Monday 00:00 UTC. */
export function weekStart(week: string): number {
  return Date.parse(`${week}T00:00:00.000Z`);
}

/** Returns a new activity with the interaction folded in; the given one is left untouched. */
export function recordActivity(activity: ContactActivity, input: ActivityInput): ContactActivity {
  const at = parseTime(input.occurredAt);
  const next: ContactActivity = {
    ...activity,
    interactions: activity.interactions + 1,
    subscription: { ...activity.subscription },
    nps: { ...activity.nps },
    csat: { ...activity.csat },
    ces: { ...activity.ces },
    support: { ...activity.support },
    social: { ...activity.social },
  };
  if (at !== null) {
    const iso = new Date(at).toISOString();
    if (activity.firstInteractionAt === null || at < Date.parse(activity.firstInteractionAt)) {
      next.firstInteractionAt = iso;
    }
    if (isLatest(at, activity.lastInteractionAt)) next.lastInteractionAt = iso;
  }
  next.weeks = foldWeek(activity.weeks, at, next.lastInteractionAt, input);
  const supportField = SUPPORT_FIELDS[input.kind];
  if (supportField && at !== null) next.supportDays = foldSupportDay(activity.supportDays ?? [], at, supportField);
  foldKind(next, input, at);
  return next;
}

function foldKind(next: ContactActivity, input: ActivityInput, at: number | null): void {
  const { properties } = input;
  switch (input.kind) {
    case 'PURCHASE': {
      next.purchases += 1;
      const amount = nonNegative(properties.amount);
      if (amount !== null) next.revenue = addMoney(next.revenue, amount);
      break;
    }
    case 'SUBSCRIPTION_STARTED':
    case 'SUBSCRIPTION_RENEWED': {
      if (input.kind === 'SUBSCRIPTION_STARTED') next.subscription.started += 1;
      else next.subscription.renewed += 1;
      const amount = nonNegative(properties.amount);
      if (amount !== null) next.revenue = addMoney(next.revenue, amount);
      if (isLatest(at, next.subscription.changedAt)) {
        next.subscription.active = true;
        next.subscription.paid = amount !== null && amount > 0;
        next.subscription.changedAt = isoOrKeep(at, next.subscription.changedAt);
      }
      break;
    }
    case 'SUBSCRIPTION_CANCELLED':
      next.subscription.cancelled += 1;
      if (isLatest(at, next.subscription.changedAt)) {
        next.subscription.active = false;
        next.subscription.paid = false;
        next.subscription.changedAt = isoOrKeep(at, next.subscription.changedAt);
      }
      break;
    case 'SURVEY_RESPONSE': {
      const nps = inRange(properties.nps, NPS_SCALE.min, NPS_SCALE.max);
      if (nps !== null && Number.isInteger(nps)) {
        next.nps.answers += 1;
        if (isLatest(at, next.nps.latestAt)) {
          next.nps.latest = nps;
          next.nps.latestAt = isoOrKeep(at, next.nps.latestAt);
        }
      }
      const csat = inRange(properties.csat, CSAT_SCALE.min, CSAT_SCALE.max);
      if (csat !== null) {
        const { sum, count, satisfied } = next.csat;
        next.csat = { sum: sum + csat, count: count + 1 };
        // An old document without the count stays without it: its share is unknown, not lower.
        if (satisfied !== undefined || count === 0) {
          next.csat.satisfied = (satisfied ?? 0) + (csat >= CSAT_SCALE.satisfiedFrom ? 1 : 0);
        }
      }
      const ces = inRange(properties.ces, CES_SCALE.min, CES_SCALE.max);
      if (ces !== null) next.ces = { sum: next.ces.sum + ces, count: next.ces.count + 1 };
      break;
    }
    case 'SOCIAL_LIKE':
      next.social.likes += 1;
      break;
    case 'SOCIAL_DISLIKE':
      next.social.dislikes += 1;
      break;
    case 'SOCIAL_SHARE':
      next.social.shares += 1;
      break;
    case 'COMMENT_ADDED': {
      next.social.commentsAdded += 1;
      const reach = properties.reach;
      if (typeof reach === 'number' && Number.isFinite(reach) && reach > 0) {
        next.social.commentReach = (next.social.commentReach ?? 0) + reach;
      }
      break;
    }
    case 'CUSTOM':
      if (typeof properties.name === 'string' && properties.name.toLowerCase() === 'mention') {
        next.social.mentions = (next.social.mentions ?? 0) + 1;
      }
      break;
    case 'COMMENT_REMOVED':
      next.social.commentsRemoved += 1;
      break;
  }
  if (input.kind === 'SUPPORT_TICKET') {
    next.support.tickets += 1;
    const resolved = properties.resolvedOnFirstContact;
    if (typeof resolved === 'boolean') {
      next.support.firstContactAnswers += 1;
      if (resolved) next.support.resolvedOnFirstContact += 1;
    }
  }
  if (HANDLED_KINDS.has(input.kind)) {
    const seconds = handleTime(properties);
    if (seconds !== null) {
      next.support.handleTimeSeconds += seconds;
      next.support.handled += 1;
    }
  }
}

/**
 * Adds the interaction to its week's bucket and drops weeks that fell out of the window
 * ending at the week of `lastInteractionAt`. A late interaction older than the window is
 * left out of the buckets (it still counts in the totals).
 */
function foldWeek(
  weeks: readonly WeeklyActivity[],
  at: number | null,
  lastInteractionAt: string | null,
  input: ActivityInput,
): WeeklyActivity[] {
  if (lastInteractionAt === null) return weeks.map((bucket) => ({ ...bucket }));
  const oldestKept = weekOf(weekStart(weekOf(Date.parse(lastInteractionAt))) - (WEEKS_KEPT - 1) * WEEK_MS);
  const kept = weeks.filter((bucket) => bucket.week >= oldestKept).map((bucket) => ({ ...bucket }));
  if (at === null) return kept;
  const week = weekOf(at);
  if (week < oldestKept) return kept;
  let bucket = kept.find((candidate) => candidate.week === week);
  if (!bucket) {
    bucket = { week, interactions: 0, points: 0, usage: 0 };
    kept.push(bucket);
    kept.sort((a, b) => (a.week < b.week ? -1 : a.week > b.week ? 1 : 0));
  }
  bucket.interactions += 1;
  if (Number.isFinite(input.points)) bucket.points += input.points;
  if (USAGE_KINDS.has(input.kind)) bucket.usage += 1;
  return kept;
}

const SUPPORT_FIELDS: Partial<Record<string, 'tickets' | 'calls' | 'featureErrors'>> = {
  SUPPORT_TICKET: 'tickets',
  CALL_CENTER_CONTACT: 'calls',
  FEATURE_ERROR: 'featureErrors',
};

function foldSupportDay(days: readonly SupportDay[], at: number, field: 'tickets' | 'calls' | 'featureErrors') {
  const day = new Date(Math.floor(at / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
  const latest = days.length > 0 && days[days.length - 1]!.day > day ? days[days.length - 1]!.day : day;
  const oldestKept = new Date(Date.parse(latest) - (SUPPORT_DAYS_KEPT - 1) * DAY_MS).toISOString().slice(0, 10);
  const kept = days.filter((d) => d.day >= oldestKept).map((d) => ({ ...d }));
  if (day < oldestKept) return kept;
  let bucket = kept.find((d) => d.day === day);
  if (!bucket) {
    bucket = { day, tickets: 0, calls: 0, featureErrors: 0 };
    kept.push(bucket);
    kept.sort((a, b) => (a.day < b.day ? -1 : 1));
  }
  bucket[field] += 1;
  return kept;
}

function parseTime(iso: string): number | null {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/** Ties go to the later arrival, so equal timestamps keep stream order. */
function isLatest(at: number | null, previous: string | null): boolean {
  if (previous === null) return true;
  return at !== null && at >= Date.parse(previous);
}

function isoOrKeep(at: number | null, previous: string | null): string | null {
  return at === null ? previous : new Date(at).toISOString();
}

function nonNegative(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

/**
 * Handle time: `handleTimeSeconds` when given, else talk + hold + after-call work
 * (`talkSeconds`, `holdSeconds`, `afterCallWorkSeconds`, the parts given); null when none is.
 */
function handleTime(properties: Record<string, unknown>): number | null {
  const total = nonNegative(properties.handleTimeSeconds);
  if (total !== null) return total;
  const parts = [properties.talkSeconds, properties.holdSeconds, properties.afterCallWorkSeconds].map(nonNegative);
  if (parts.every((part) => part === null)) return null;
  return parts.reduce<number>((sum, part) => sum + (part ?? 0), 0);
}

function inRange(value: unknown, min: number, max: number): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max ? value : null;
}

/** Money is kept in cents so that summing many amounts does not drift (0.1 + 0.2). */
function addMoney(total: number, amount: number): number {
  return Math.round((total + amount) * 100) / 100;
}
