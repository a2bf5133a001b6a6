// An account's use of the product: its contacts' usage (each contact's own document, written by
// that contact's owner) read together at one instant against the declared features. Nothing is
// stored per account: the figures are computed when asked, so no document has two writers. Pure.
import {
  dayOf,
  RECENT_DAYS,
  type ContactUsage,
  type FeatureCatalog,
  type FeatureFigures,
  type UnusedFeature,
} from './product-usage';

const DAY_MS = 86_400_000;

/** A feature's figures over all the account's contacts (uses and errors added up, first and last use of any). */
export interface AccountFeatureFigures extends FeatureFigures {
  /** Distinct contacts that ever used it. */
  contacts: number;
  /** Distinct contacts that used it in the recent days. */
  recentContacts: number;
}

export interface AccountUsage {
  /** The account's contacts known to scoring (with or without usage). */
  contacts: number;
  /** Contacts with a use in the recent days. */
  activeContactsLast30: number;
  /** Features any contact used or hit errors in, most used first. */
  features: AccountFeatureFigures[];
  /** Declared high-value features no contact of the account used in the recent days. */
  highValueUnused: UnusedFeature[];
  /** Declared features some contact used in the recent days ÷ declared features; null without a catalog. */
  breadth: number | null;
  usesLast30Days: number;
  errorsLast30Days: number;
  /** Days on which any contact of the account used the product. */
  activeDaysLast7: number;
  activeDaysLast30: number;
  stickinessWeekly: number;
  stickinessMonthly: number;
  lastUsedAt: string | null;
}

const later = (a: string | null, b: string | null) => (a === null || (b !== null && b > a) ? b : a);
const earlier = (a: string | null, b: string | null) => (a === null || (b !== null && b < a) ? b : a);
const round = (value: number) => Math.round(value * 1000) / 1000;

/** The account's figures at `now` from the usage of each of its contacts (one entry per contact). */
export function accountUsage(usages: readonly ContactUsage[], catalog: FeatureCatalog, now: Date): AccountUsage {
  const nowMs = now.getTime();
  const today = dayOf(nowMs);
  const firstDay = (n: number) => dayOf(nowMs - (n - 1) * DAY_MS);
  const recentFrom = firstDay(RECENT_DAYS);
  const weekFrom = firstDay(7);
  const isRecent = (iso: string | null) => iso !== null && iso.slice(0, 10) >= recentFrom;

  const byKey = new Map<string, AccountFeatureFigures>();
  const activeDays = new Set<string>();
  let usesLast30Days = 0;
  let errorsLast30Days = 0;
  let activeContactsLast30 = 0;
  for (const usage of usages) {
    let activeRecently = false;
    for (const [key, use] of Object.entries(usage.features)) {
      const declared = catalog.get(key);
      const figures = byKey.get(key) ?? {
        key,
        name: declared?.name ?? key,
        declared: declared !== undefined,
        highValue: declared?.highValue ?? false,
        uses: 0,
        errors: 0,
        firstUsedAt: null,
        lastUsedAt: null,
        contacts: 0,
        recentContacts: 0,
        recent: false,
      };
      figures.uses += use.uses;
      figures.errors += use.errors;
      figures.firstUsedAt = earlier(figures.firstUsedAt, use.firstUsedAt);
      figures.lastUsedAt = later(figures.lastUsedAt, use.lastUsedAt);
      if (use.uses > 0) figures.contacts += 1;
      if (isRecent(use.lastUsedAt)) {
        figures.recentContacts += 1;
        figures.recent = true;
      }
      byKey.set(key, figures);
    }
    for (const day of usage.days) {
      if (day.day < recentFrom || day.day > today) continue;
      usesLast30Days += day.uses;
      errorsLast30Days += day.errors;
      if (day.uses > 0) activeRecently = true;
      activeDays.add(day.day);
    }
    if (activeRecently) activeContactsLast30 += 1;
  }
  const features = [...byKey.values()].sort(
    (a, b) => b.uses - a.uses || b.errors - a.errors || a.key.localeCompare(b.key),
  );

  const highValueUnused: UnusedFeature[] = [];
  for (const feature of catalog.values()) {
    if (!feature.highValue) continue;
    const lastUsedAt = byKey.get(feature.key)?.lastUsedAt ?? null;
    if (isRecent(lastUsedAt)) continue;
    highValueUnused.push({
      key: feature.key,
      name: feature.name,
      reason: lastUsedAt === null ? 'NEVER' : 'NO_LONGER',
      lastUsedAt,
    });
  }
  highValueUnused.sort((a, b) => a.key.localeCompare(b.key));

  const activeDaysLast30 = activeDays.size;
  const activeDaysLast7 = [...activeDays].filter((day) => day >= weekFrom).length;
  return {
    contacts: usages.length,
    activeContactsLast30,
    features,
    highValueUnused,
    breadth: catalog.size === 0 ? null : round(features.filter((f) => f.declared && f.recent).length / catalog.size),
    usesLast30Days,
    errorsLast30Days,
    activeDaysLast7,
    activeDaysLast30,
    stickinessWeekly: round(activeDaysLast7 / 7),
    stickinessMonthly: round(activeDaysLast30 / 30),
    lastUsedAt: features.reduce<string | null>((latest, f) => later(latest, f.lastUsedAt), null),
  };
}
