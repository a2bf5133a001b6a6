import {
  DAYS_KEPT,
  emptyUsage,
  likelihoodUsage,
  recordUsage,
  usageFact,
  usageOf,
  usageProfile,
  type ContactUsage,
  type FeatureCatalog,
  type UsageInput,
} from './product-usage';
import { emptyActivity } from './activity';
import { LIKELIHOOD_MODELS, likelihoods, type LikelihoodKind } from './likelihoods';

const use = (feature: string, occurredAt: string, properties: Record<string, unknown> = {}): UsageInput => ({
  kind: 'FEATURE_USAGE',
  occurredAt,
  properties: { feature, ...properties },
});
const failure = (feature: string, occurredAt: string): UsageInput => ({
  kind: 'FEATURE_ERROR',
  occurredAt,
  properties: { feature },
});
const fold = (inputs: UsageInput[]): ContactUsage => inputs.reduce(recordUsage, emptyUsage());

const catalog: FeatureCatalog = new Map([
  ['reports', { key: 'reports', name: 'Reports', highValue: true }],
  ['api', { key: 'api', name: 'API', highValue: true }],
  ['export', { key: 'export', name: 'Export', highValue: false }],
  ['themes', { key: 'themes', name: 'Themes', highValue: false }],
]);

// now: Wednesday 2024-03-13 12:00 UTC. The last 7 days: 03-07..03-13; the last 30: 02-13..03-13.
const now = new Date('2024-03-13T12:00:00Z');

// Hand-worked contact:
//   reports: 03-13 ×2, 03-12 ×1 (with an error), 03-01 ×1   → 4 uses, 1 error, recent
//   export:  03-06 ×2, 02-20 ×1                             → 3 uses, recent
//   api:     01-10 ×1 (more than 30 days ago)              → 1 use, NO_LONGER recent
//   beta (undeclared): 03-13 ×1 use, 03-12 FEATURE_ERROR ×2 → 1 use, 2 errors
//   themes: never used
const contact = fold([
  use('api', '2024-01-10T10:00:00Z'),
  use('export', '2024-02-20T10:00:00Z'),
  use('reports', '2024-03-01T10:00:00Z'),
  use('export', '2024-03-06T09:00:00Z'),
  use('export', '2024-03-06T11:00:00Z'),
  use('reports', '2024-03-12T08:00:00Z', { error: 'timeout' }),
  failure('beta', '2024-03-12T09:00:00Z'),
  failure('beta', '2024-03-12T10:00:00Z'),
  use('reports', '2024-03-13T08:00:00Z'),
  use('reports', '2024-03-13T09:00:00Z'),
  use('beta', '2024-03-13T10:00:00Z'),
]);

describe('usageOf', () => {
  it('reads the feature, and an error from FEATURE_ERROR or the error property', () => {
    expect(usageOf(use(' reports ', '2024-03-01T00:00:00Z'))).toEqual({ feature: 'reports', use: 1, error: 0 });
    expect(usageOf(use('reports', '2024-03-01T00:00:00Z', { error: true }))).toEqual({
      feature: 'reports',
      use: 1,
      error: 1,
    });
    expect(usageOf(use('reports', '2024-03-01T00:00:00Z', { error: false }))).toMatchObject({ error: 0 });
    expect(usageOf(use('reports', '2024-03-01T00:00:00Z', { error: '' }))).toMatchObject({ error: 0 });
    expect(usageOf(failure('reports', '2024-03-01T00:00:00Z'))).toEqual({ feature: 'reports', use: 0, error: 1 });
  });

  it('ignores other kinds and usage without a feature', () => {
    expect(usageOf({ kind: 'PAGE_VISIT', occurredAt: '2024-03-01T00:00:00Z', properties: { feature: 'x' } })).toBe(
      null,
    );
    expect(usageOf({ kind: 'FEATURE_USAGE', occurredAt: '2024-03-01T00:00:00Z', properties: {} })).toBe(null);
    expect(recordUsage(emptyUsage(), { kind: 'FEATURE_USAGE', occurredAt: 'x', properties: { feature: 'a' } })).toEqual(
      emptyUsage(),
    );
  });

  it('makes one fact per usage interaction, dated by its UTC day', () => {
    const event = { ...use('api', '2024-03-12T23:59:59Z'), interactionId: 'i1', contactId: 'ann' };
    expect(usageFact(event)).toEqual({
      interactionId: 'i1',
      contactId: 'ann',
      day: '2024-03-12',
      feature: 'api',
      use: 1,
      error: 0,
    });
  });
});

describe('recordUsage', () => {
  it('counts uses, errors, first and last use per feature', () => {
    expect(contact.features.reports).toEqual({
      uses: 4,
      errors: 1,
      firstUsedAt: '2024-03-01T10:00:00.000Z',
      lastUsedAt: '2024-03-13T09:00:00.000Z',
      lastErrorAt: '2024-03-12T08:00:00.000Z',
    });
    expect(contact.features.beta).toEqual({
      uses: 1,
      errors: 2,
      firstUsedAt: '2024-03-13T10:00:00.000Z',
      lastUsedAt: '2024-03-13T10:00:00.000Z',
      lastErrorAt: '2024-03-12T10:00:00.000Z',
    });
  });

  it('keeps daily buckets for the last DAYS_KEPT days up to the latest, in order, whatever the arrival order', () => {
    expect(contact.days).toEqual([
      // 01-10 is more than 35 days before 03-13: dropped from the buckets, kept in the totals.
      { day: '2024-02-20', uses: 1, errors: 0 },
      { day: '2024-03-01', uses: 1, errors: 0 },
      { day: '2024-03-06', uses: 2, errors: 0 },
      { day: '2024-03-12', uses: 1, errors: 3 },
      { day: '2024-03-13', uses: 3, errors: 0 },
    ]);
    const late = recordUsage(contact, use('export', '2024-03-02T10:00:00Z'));
    expect(late.days.map((d) => d.day)).toContain('2024-03-02');
    const tooLate = recordUsage(contact, use('export', '2024-01-01T10:00:00Z'));
    expect(tooLate.days).toEqual(contact.days);
    expect(tooLate.features.export?.uses).toBe(4);
    expect(DAYS_KEPT).toBe(35);
  });

  it('leaves the given usage untouched', () => {
    const before = JSON.stringify(contact);
    recordUsage(contact, use('reports', '2024-03-13T11:00:00Z'));
    expect(JSON.stringify(contact)).toBe(before);
  });
});

describe('usageProfile', () => {
  const profile = usageProfile(contact, catalog, now);

  it('lists features most used first, with declared names and recency', () => {
    expect(profile.features.map((f) => [f.key, f.name, f.uses, f.errors, f.recent, f.highValue])).toEqual([
      ['reports', 'Reports', 4, 1, true, true],
      ['export', 'Export', 3, 0, true, false],
      // Equal uses: more errors first.
      ['beta', 'beta', 1, 2, true, false],
      ['api', 'API', 1, 0, false, true],
    ]);
    expect(profile.features.find((f) => f.key === 'beta')?.declared).toBe(false);
  });

  it('names the high-value features never or no longer used', () => {
    // api: last used 01-10, before 02-13 → NO_LONGER; reports is recent; themes is not high-value.
    expect(profile.highValueUnused).toEqual([
      { key: 'api', name: 'API', reason: 'NO_LONGER', lastUsedAt: '2024-01-10T10:00:00.000Z' },
    ]);
    const newcomer = usageProfile(emptyUsage(), catalog, now);
    expect(newcomer.highValueUnused.map((f) => [f.key, f.reason])).toEqual([
      ['api', 'NEVER'],
      ['reports', 'NEVER'],
    ]);
  });

  it('computes breadth, depth, stickiness and errors by their definitions', () => {
    // breadth: declared features used in the last 30 days (reports, export) ÷ 4 declared = 0.5
    // recent uses: 02-20 1 + 03-01 1 + 03-06 2 + 03-12 1 + 03-13 3 = 8; recent features: reports, export, beta
    // depth: 8 ÷ 3 = 2.667; errors in 30 days: 3
    // active days in the last 7 (03-07..03-13): 03-12, 03-13 = 2 → 2/7 = 0.286
    // active days in the last 30: 02-20, 03-01, 03-06, 03-12, 03-13 = 5 → 5/30 = 0.167
    // high-value uses still in use: reports 4
    expect(profile).toMatchObject({
      breadth: 0.5,
      depth: 2.667,
      usesRecent: 8,
      errorsRecent: 3,
      activeDaysLast7: 2,
      activeDaysLast30: 5,
      stickinessWeekly: 0.286,
      stickinessMonthly: 0.167,
      highValueUses: 4,
      highValueDeclared: 2,
      lastUsedAt: '2024-03-13T10:00:00.000Z',
    });
  });

  it('has no breadth without a catalog, and nothing for likelihoods without usage or catalog', () => {
    expect(usageProfile(contact, new Map(), now).breadth).toBe(null);
    expect(likelihoodUsage(emptyUsage(), new Map(), now)).toBe(null);
    expect(likelihoodUsage(emptyUsage(), catalog, now)).not.toBe(null);
  });
});

describe('likelihoods with product usage', () => {
  const byKind = (kind: LikelihoodKind) => {
    const found = likelihoods(emptyActivity(), now, usageProfile(contact, catalog, now)).find((l) => l.kind === kind);
    if (!found) throw new Error(kind);
    return found;
  };
  const sigmoid = (x: number) => Math.round(1000 / (1 + Math.exp(-x))) / 1000;

  // The contact's usage signals (worked out above):
  //   HIGH_VALUE_UNUSED 1 of 2 → 0.5; HIGH_VALUE_IDLE 0.125 days; USAGE_BREADTH 0.5; USAGE_DEPTH 2.667 → 0.2667;
  //   STICKINESS 5 days → 5/20 = 0.25; FEATURE_ERRORS 3 → 0.3. No other activity: the rest are 0.
  it('raises churn by the unused high-value features and explains it', () => {
    const churn = byKind('CHURN');
    // HIGH_VALUE_IDLE: reports last used 03-13 09:00, 3 h = 0.125 days before now → 1 − e^(−0.125/14)
    const idle = 1 - Math.exp(-0.125 / 14);
    // 1.0 + 1.5 × 0.5 + 2.0 × idle − 1.0 × 0.25 + 0.5 × 0.3
    expect(churn.probability).toBe(sigmoid(1.0 + 0.75 + 2 * idle - 0.25 + 0.15));
    expect(churn.signals[0]).toEqual({ signal: 'HIGH_VALUE_UNUSED', value: 1, contribution: 0.75 });
    expect(churn.signals.find((s) => s.signal === 'HIGH_VALUE_IDLE')).toEqual({
      signal: 'HIGH_VALUE_IDLE',
      value: 0.13,
      contribution: 0.018,
    });
    expect(churn.signals.find((s) => s.signal === 'STICKINESS')).toEqual({
      signal: 'STICKINESS',
      value: 5,
      contribution: -0.25,
    });
    expect(churn.signals.find((s) => s.signal === 'FEATURE_ERRORS')).toEqual({
      signal: 'FEATURE_ERRORS',
      value: 3,
      contribution: 0.15,
    });
  });

  it('gives trial and product success by the documented weights', () => {
    // TRIAL_SUCCESS: −1.5 + 2.0 × 0.25 + 1.5 × 0.5 − 1.5 × 0.5 − 1.0 × 0.3 + 0.5 × 0 = −1.3
    expect(byKind('TRIAL_SUCCESS').probability).toBe(sigmoid(-1.3));
    // PRODUCT_SUCCESS: −1.5 + 1.5 × 0.25 + 1.5 × 0.5 − 1.5 × 0.5 + 1.0 × 0.26667 − 1.0 × 0.3 = −1.15833
    expect(byKind('PRODUCT_SUCCESS').probability).toBe(sigmoid(-1.5 + 0.375 + 0.75 - 0.75 + 0.8 / 3 - 0.3));
    expect(
      byKind('PRODUCT_SUCCESS')
        .signals.map((s) => s.signal)
        .sort(),
    ).toEqual(Object.keys(LIKELIHOOD_MODELS.PRODUCT_SUCCESS.weights).sort());
  });

  it('raises upgrade with broad, deep use', () => {
    const paying = {
      ...emptyActivity(),
      subscription: { started: 1, renewed: 0, cancelled: 0, active: true, paid: true, changedAt: null },
    };
    const narrow = fold([use('export', '2024-03-13T08:00:00Z')]);
    const broad = fold(
      ['reports', 'api', 'export', 'themes'].flatMap((feature) =>
        Array.from({ length: 10 }, (_, i) => use(feature, `2024-03-${String(i + 1).padStart(2, '0')}T08:00:00Z`)),
      ),
    );
    const upgrade = (usage: ContactUsage) =>
      likelihoods(paying, now, usageProfile(usage, catalog, now)).find((l) => l.kind === 'UPGRADE')!;
    // broad: breadth 1 → +1.5; depth 40/4 = 10 → 1 → +1.0 (and PRODUCT_USAGE 0: activity not folded here)
    expect(upgrade(broad).probability).toBe(sigmoid(-2.5 + 1.5 + 1.0));
    // narrow: breadth 1/4 → +0.375; depth 1 → 0.1 → +0.1
    expect(upgrade(narrow).probability).toBe(sigmoid(-2.5 + 0.375 + 0.1));
  });
});
