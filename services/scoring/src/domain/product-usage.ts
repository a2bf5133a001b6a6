// A contact's use of the product (SaaS): which features it used, how often and when, where it
// hit errors, on which days it was active. Folded from FEATURE_USAGE / FEATURE_ERROR
// interactions into a small, bounded state kept in its own document (not the score document),
// and read against the workspace's declared features (the catalog) into the figures a contact
// card, the likelihoods and the workspace lists show. Pure: no I/O.

/** A feature the workspace declared; high-value features are the ones whose use predicts retention. */
export interface ProductFeature {
  key: string;
  name: string;
  highValue: boolean;
}

/** The workspace's declared features, by key. */
export type FeatureCatalog = ReadonlyMap<string, ProductFeature>;

export const EMPTY_CATALOG: FeatureCatalog = new Map();

export interface FeatureUse {
  uses: number;
  errors: number;
  /** ISO 8601 of the first and latest use (null: errors only so far). */
  firstUsedAt: string | null;
  lastUsedAt: string | null;
  lastErrorAt: string | null;
}

/** One UTC day with product usage (`YYYY-MM-DD`). */
export interface UsageDay {
  day: string;
  uses: number;
  errors: number;
}

export interface ContactUsage {
  features: Record<string, FeatureUse>;
  /** Ascending; only the DAYS_KEPT days up to the latest day with usage. */
  days: UsageDay[];
}

/** A usage interaction as the fold reads it (the interaction's kind, time and properties). */
export interface UsageInput {
  kind: string;
  occurredAt: string;
  properties: Record<string, unknown>;
}

/** One usage interaction as the workspace statistics count it (insert-only, one per interaction). */
export interface UsageFact {
  interactionId: string;
  contactId: string;
  day: string;
  feature: string;
  use: 0 | 1;
  error: 0 | 1;
}

/** "Recent" everywhere below: the RECENT_DAYS UTC calendar days ending today, today included. */
export const RECENT_DAYS = 30;
/** Days kept in `days`: the 30 of "recent" plus slack for a clock that moved since the last use. */
export const DAYS_KEPT = 35;
/** Features remembered per contact; uses of further features are left out (the catalog caps at the same). */
export const MAX_FEATURES = 200;
/** A feature key: what the `feature` property of an interaction carries. */
export const FEATURE_KEY_MAX = 100;

const DAY_MS = 86_400_000;

export function emptyUsage(): ContactUsage {
  return { features: {}, days: [] };
}

/** `feature` of a usage interaction, or null when it is not one (or names no feature). */
export function usageOf(input: UsageInput): { feature: string; use: 0 | 1; error: 0 | 1 } | null {
  if (input.kind !== 'FEATURE_USAGE' && input.kind !== 'FEATURE_ERROR') return null;
  const raw = input.properties.feature;
  if (typeof raw !== 'string') return null;
  const feature = raw.trim();
  if (feature === '' || feature.length > FEATURE_KEY_MAX) return null;
  // FEATURE_USAGE with an `error` (true, or a message) was a use that failed: a use and an error.
  if (input.kind === 'FEATURE_ERROR') return { feature, use: 0, error: 1 };
  const error = input.properties.error;
  const failed = error === true || (typeof error === 'string' && error.trim() !== '');
  return { feature, use: 1, error: failed ? 1 : 0 };
}

export function dayOf(ms: number): string {
  return new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

/** The fact a usage interaction adds to the workspace statistics, or null for other interactions. */
export function usageFact(input: UsageInput & { interactionId: string; contactId: string }): UsageFact | null {
  const usage = usageOf(input);
  const at = Date.parse(input.occurredAt);
  if (!usage || Number.isNaN(at)) return null;
  return { interactionId: input.interactionId, contactId: input.contactId, day: dayOf(at), ...usage };
}

/** Returns the usage with the interaction folded in (unchanged for other interactions); the given one is untouched. */
export function recordUsage(usage: ContactUsage, input: UsageInput): ContactUsage {
  const found = usageOf(input);
  const at = Date.parse(input.occurredAt);
  if (!found || Number.isNaN(at)) return usage;
  const { feature, use, error } = found;
  const previous = usage.features[feature];
  if (!previous && Object.keys(usage.features).length >= MAX_FEATURES) return usage;
  const iso = new Date(at).toISOString();
  const current = previous ?? { uses: 0, errors: 0, firstUsedAt: null, lastUsedAt: null, lastErrorAt: null };
  const next: FeatureUse = {
    uses: current.uses + use,
    errors: current.errors + error,
    firstUsedAt: use && (current.firstUsedAt === null || iso < current.firstUsedAt) ? iso : current.firstUsedAt,
    lastUsedAt: use && (current.lastUsedAt === null || iso > current.lastUsedAt) ? iso : current.lastUsedAt,
    lastErrorAt: error && (current.lastErrorAt === null || iso > current.lastErrorAt) ? iso : current.lastErrorAt,
  };
  return { features: { ...usage.features, [feature]: next }, days: foldDay(usage.days, dayOf(at), use, error) };
}

function foldDay(days: readonly UsageDay[], day: string, use: number, error: number): UsageDay[] {
  const latest = days.length > 0 && days[days.length - 1]!.day > day ? days[days.length - 1]!.day : day;
  const oldestKept = dayOf(Date.parse(latest) - (DAYS_KEPT - 1) * DAY_MS);
  const kept = days.filter((d) => d.day >= oldestKept).map((d) => ({ ...d }));
  // A late use older than the window counts in the feature totals only.
  if (day < oldestKept) return kept;
  const bucket = kept.find((d) => d.day === day);
  if (bucket) {
    bucket.uses += use;
    bucket.errors += error;
    return kept;
  }
  kept.push({ day, uses: use, errors: error });
  return kept.sort((a, b) => (a.day < b.day ? -1 : 1));
}

export type UnusedReason = 'NEVER' | 'NO_LONGER';

export interface FeatureFigures {
  key: string;
  /** The declared name; the key for features used but not declared. */
  name: string;
  declared: boolean;
  highValue: boolean;
  uses: number;
  errors: number;
  firstUsedAt: string | null;
  lastUsedAt: string | null;
  /** Used in the recent days. */
  recent: boolean;
}

export interface UnusedFeature {
  key: string;
  name: string;
  reason: UnusedReason;
  lastUsedAt: string | null;
}

/** What a contact card shows of a contact's product usage at an instant. */
export interface UsageProfile {
  /** Features the contact used or hit errors in, most used first. */
  features: FeatureFigures[];
  /** Declared high-value features never used, or not used in the recent days. */
  highValueUnused: UnusedFeature[];
  /** Declared features used in the recent days ÷ declared features; null without a catalog. */
  breadth: number | null;
  /** Uses in the recent days ÷ features used in the recent days (0 when none). */
  depth: number;
  usesRecent: number;
  errorsRecent: number;
  activeDaysLast7: number;
  activeDaysLast30: number;
  /** Active days in the last 7 days ÷ 7, and in the last 30 ÷ 30. */
  stickinessWeekly: number;
  stickinessMonthly: number;
  /** Lifetime uses of high-value features still in recent use (what ranks power users). */
  highValueUses: number;
  /** Declared high-value features (the denominator of the unused share). */
  highValueDeclared: number;
  /** The latest use of any declared high-value feature (null: none declared, or never used). */
  highValueLastUsedAt: string | null;
  lastUsedAt: string | null;
}

/** The first day (`YYYY-MM-DD`) of the `n` UTC days ending with the day of `nowMs`. */
function firstDayOf(n: number, nowMs: number): string {
  return dayOf(nowMs - (n - 1) * DAY_MS);
}

export function usageProfile(usage: ContactUsage, catalog: FeatureCatalog, now: Date): UsageProfile {
  const nowMs = now.getTime();
  const today = dayOf(nowMs);
  const recentFrom = firstDayOf(RECENT_DAYS, nowMs);
  const isRecent = (iso: string | null) => iso !== null && iso.slice(0, 10) >= recentFrom;
  const inDays = (n: number) => usage.days.filter((d) => d.day >= firstDayOf(n, nowMs) && d.day <= today);

  const features: FeatureFigures[] = Object.entries(usage.features).map(([key, use]) => {
    const declared = catalog.get(key);
    return {
      key,
      name: declared?.name ?? key,
      declared: declared !== undefined,
      highValue: declared?.highValue ?? false,
      uses: use.uses,
      errors: use.errors,
      firstUsedAt: use.firstUsedAt,
      lastUsedAt: use.lastUsedAt,
      recent: isRecent(use.lastUsedAt),
    };
  });
  features.sort((a, b) => b.uses - a.uses || b.errors - a.errors || a.key.localeCompare(b.key));

  const highValueUnused: UnusedFeature[] = [];
  for (const feature of catalog.values()) {
    if (!feature.highValue) continue;
    const lastUsedAt = usage.features[feature.key]?.lastUsedAt ?? null;
    if (isRecent(lastUsedAt)) continue;
    highValueUnused.push({
      key: feature.key,
      name: feature.name,
      reason: lastUsedAt === null ? 'NEVER' : 'NO_LONGER',
      lastUsedAt,
    });
  }
  highValueUnused.sort((a, b) => a.key.localeCompare(b.key));

  const recentFeatures = features.filter((f) => f.recent);
  const recentDays = inDays(RECENT_DAYS);
  const usesRecent = recentDays.reduce((sum, d) => sum + d.uses, 0);
  const errorsRecent = recentDays.reduce((sum, d) => sum + d.errors, 0);
  const activeDaysLast7 = inDays(7).length;
  const activeDaysLast30 = recentDays.length;
  const lastUsedAt = features.reduce<string | null>(
    (latest, f) => (f.lastUsedAt !== null && (latest === null || f.lastUsedAt > latest) ? f.lastUsedAt : latest),
    null,
  );
  return {
    features,
    highValueUnused,
    breadth: catalog.size === 0 ? null : round(recentFeatures.filter((f) => f.declared).length / catalog.size),
    depth: recentFeatures.length === 0 ? 0 : round(usesRecent / recentFeatures.length),
    usesRecent,
    errorsRecent,
    activeDaysLast7,
    activeDaysLast30,
    stickinessWeekly: round(activeDaysLast7 / 7),
    stickinessMonthly: round(activeDaysLast30 / 30),
    highValueUses: recentFeatures.filter((f) => f.highValue).reduce((sum, f) => sum + f.uses, 0),
    highValueDeclared: [...catalog.values()].filter((f) => f.highValue).length,
    highValueLastUsedAt: features
      .filter((f) => f.highValue)
      .reduce<string | null>(
        (latest, f) => (f.lastUsedAt !== null && (latest === null || f.lastUsedAt > latest) ? f.lastUsedAt : latest),
        null,
      ),
    lastUsedAt,
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** What the likelihoods read: null when the contact used nothing and the workspace declared nothing. */
export function likelihoodUsage(usage: ContactUsage, catalog: FeatureCatalog, now: Date): UsageProfile | null {
  if (catalog.size === 0 && Object.keys(usage.features).length === 0) return null;
  return usageProfile(usage, catalog, now);
}
