import { emptyActivity, recordActivity, type ContactActivity } from './activity';
import { usageProfile, type ContactUsage } from './product-usage';
import type { ScoredText } from './sentiment';
import {
  accountHealth,
  applyHealthPolicy,
  contactHealth,
  DEFAULT_HEALTH_POLICY,
  type Health,
  type HealthInput,
} from './health';

// Wednesday: this week is Monday 2026-03-16, last week 03-09; the two before 02-23 and 03-02.
const NOW = new Date('2026-03-18T12:00:00.000Z');

const text = (score: number, at: string): ScoredText =>
  ({ interactionId: at, kind: 'COMMENT_ADDED', channel: 'comment_added', at, score }) as ScoredText;

/** 6 active days in the last 30 (stickiness 0.2), on one declared feature of one. */
const usage: ContactUsage = {
  features: {
    reports: {
      uses: 6,
      errors: 0,
      firstUsedAt: '2026-03-01T10:00:00.000Z',
      lastUsedAt: '2026-03-17T10:00:00.000Z',
      lastErrorAt: null,
    },
  },
  days: ['03-01', '03-04', '03-08', '03-12', '03-15', '03-17'].map((d) => ({ day: `2026-${d}`, uses: 1, errors: 0 })),
};
const catalog = new Map([['reports', { key: 'reports', name: 'Reports', highValue: true }]]);

const customer: ContactActivity = {
  ...emptyActivity(),
  interactions: 25,
  purchases: 1,
  // Last two weeks 3 + 2 = 5 against 6 + 4 = 10 before: (5 − 10) ÷ 10 = −0.5.
  weeks: [
    { week: '2026-02-16', interactions: 9, points: 0, usage: 0 },
    { week: '2026-02-23', interactions: 6, points: 0, usage: 0 },
    { week: '2026-03-02', interactions: 4, points: 0, usage: 0 },
    { week: '2026-03-09', interactions: 3, points: 0, usage: 0 },
    { week: '2026-03-16', interactions: 2, points: 0, usage: 0 },
  ],
  nps: { latest: 7, latestAt: '2026-03-10T00:00:00.000Z', answers: 1 },
  sentiment: {
    ...emptyActivity().sentiment!,
    texts: 3,
    recent: [
      text(0.5, '2026-03-01T00:00:00.000Z'),
      text(-0.3, '2026-03-05T00:00:00.000Z'),
      text(0.1, '2026-03-12T00:00:00.000Z'),
    ],
  },
  // The 30 days are 2026-02-17 .. 2026-03-18: the day of 02-10 is out.
  supportDays: [
    { day: '2026-02-10', tickets: 5, calls: 0, featureErrors: 0 },
    { day: '2026-03-01', tickets: 1, calls: 1, featureErrors: 1 },
  ],
};
const input: HealthInput = { activity: customer, usage: usageProfile(usage, catalog, NOW) };

describe('contactHealth', () => {
  it('rates each measure by the default thresholds and rolls them up by weight, naming the one that lost most', () => {
    const health = contactHealth(input, DEFAULT_HEALTH_POLICY, NOW)!;
    // productUsage 0.2 (0.1 < 0.2 < 0.3) CONCERNING 50 × 0.30 = 15
    // engagementTrend −0.5 (≤ −0.5) POOR 0 × 0.20 = 0      (lost 20)
    // sentiment mean 0.1 (≥ 0.1) GOOD 100 × 0.15 = 15
    // supportLoad 3 (1 < 3 < 5) CONCERNING 50 × 0.15 = 7.5 (lost 7.5)
    // nps 7 (6 < 7 < 9) CONCERNING 50 × 0.20 = 10         (lost 10; productUsage lost 15)
    expect(
      health.measures.map(({ name, value, status, weight, contribution }) => ({
        name,
        value,
        status,
        weight,
        contribution,
      })),
    ).toEqual([
      { name: 'productUsage', value: 0.2, status: 'CONCERNING', weight: 0.3, contribution: 15 },
      { name: 'engagementTrend', value: -0.5, status: 'POOR', weight: 0.2, contribution: 0 },
      { name: 'sentiment', value: 0.1, status: 'GOOD', weight: 0.15, contribution: 15 },
      { name: 'supportLoad', value: 3, status: 'CONCERNING', weight: 0.15, contribution: 7.5 },
      { name: 'nps', value: 7, status: 'CONCERNING', weight: 0.2, contribution: 10 },
    ]);
    expect(health.score).toBe(47.5);
    expect(health.status).toBe('CONCERNING');
    expect(health.pulledDownBy).toBe('engagementTrend');
    expect(health.measures[0]!.detail).toBe('6 active days in 30; 0 of 1 high-value features unused');
    expect(health.measures[3]!.detail).toBe('1 tickets, 1 calls, 1 feature errors in 30 days');
  });

  it('leaves out measures without data and shares the weight among the others', () => {
    const activity = { ...customer, nps: emptyActivity().nps, sentiment: emptyActivity().sentiment };
    const health = contactHealth({ activity, usage: input.usage }, DEFAULT_HEALTH_POLICY, NOW)!;
    // Weights 30 + 20 + 15 = 65: (50 × 30 + 0 × 20 + 50 × 15) ÷ 65 = 2250 ÷ 65 = 34.615…
    expect(health.measures.map((m) => [m.name, m.weight])).toEqual([
      ['productUsage', 0.462],
      ['engagementTrend', 0.308],
      ['supportLoad', 0.231],
    ]);
    expect(health.score).toBe(34.615);
    expect(health.status).toBe('POOR');
    expect(health.pulledDownBy).toBe('engagementTrend');
  });

  it('follows the workspace’s thresholds and weights', () => {
    const { policy, problems } = applyHealthPolicy(DEFAULT_HEALTH_POLICY, {
      nps: { good: 7 },
      engagementTrend: { weight: 0 },
    });
    expect(problems).toEqual([]);
    const health = contactHealth(input, policy, NOW)!;
    // Without the trend (weight 0): 30 + 15 + 15 + 20 = 80; (1500 + 1500 + 750 + 2000) ÷ 80 = 71.875.
    expect(health.score).toBe(71.875);
    expect(health.status).toBe('GOOD');
    expect(health.pulledDownBy).toBe('productUsage');
    expect(health.measures.find((m) => m.name === 'nps')!.status).toBe('GOOD');
  });

  it('is null for a contact that is no customer, and a quiet customer’s trend is −1', () => {
    expect(contactHealth({ ...input, activity: { ...customer, purchases: 0 } }, DEFAULT_HEALTH_POLICY, NOW)).toBeNull();
    const quiet = { ...customer, weeks: [{ week: '2026-01-05', interactions: 4, points: 0, usage: 0 }] };
    const health = contactHealth({ ...input, activity: quiet }, DEFAULT_HEALTH_POLICY, NOW)!;
    expect(health.measures.find((m) => m.name === 'engagementTrend')).toMatchObject({ value: -1, status: 'POOR' });
  });

  it('counts tickets, calls and feature errors per day as the activity folds them', () => {
    const at = (kind: string, occurredAt: string) => ({ kind, variant: null, occurredAt, properties: {}, points: 0 });
    const activity = [
      at('SUPPORT_TICKET', '2026-03-01T09:00:00.000Z'),
      at('CALL_CENTER_CONTACT', '2026-03-01T10:00:00.000Z'),
      at('FEATURE_ERROR', '2026-03-02T10:00:00.000Z'),
      at('PAGE_VISIT', '2026-03-02T11:00:00.000Z'),
    ].reduce(recordActivity, emptyActivity());
    expect(activity.supportDays).toEqual([
      { day: '2026-03-01', tickets: 1, calls: 1, featureErrors: 0 },
      { day: '2026-03-02', tickets: 0, calls: 0, featureErrors: 1 },
    ]);
  });
});

describe('accountHealth', () => {
  it('averages its customer contacts’ scores and each measure’s points, naming the weakest measure', () => {
    const sick = contactHealth(input, DEFAULT_HEALTH_POLICY, NOW)!;
    const well: Health = {
      ...sick,
      score: 100,
      measures: sick.measures.map((m) => ({ ...m, status: 'GOOD' as const })),
      pulledDownBy: null,
    };
    const account = accountHealth([sick, well], DEFAULT_HEALTH_POLICY)!;
    // Scores (47.5 + 100) ÷ 2; per measure: usage 75, trend 50, sentiment 100, support 75, nps 75.
    expect(account.score).toBe(73.75);
    expect(account.status).toBe('GOOD');
    expect(account.contacts).toBe(2);
    expect(account.measures.map((m) => [m.name, m.value, m.status])).toEqual([
      ['productUsage', 75, 'GOOD'],
      ['engagementTrend', 50, 'CONCERNING'],
      ['sentiment', 100, 'GOOD'],
      ['supportLoad', 75, 'GOOD'],
      ['nps', 75, 'GOOD'],
    ]);
    // Lost: usage 0.3 × 25 = 7.5, trend 0.2 × 50 = 10, support 3.75, nps 5.
    expect(account.pulledDownBy).toBe('engagementTrend');
    expect(accountHealth([], DEFAULT_HEALTH_POLICY)).toBeNull();
  });
});

describe('applyHealthPolicy', () => {
  it('names every bad field and changes nothing then', () => {
    const { problems } = applyHealthPolicy(DEFAULT_HEALTH_POLICY, {
      nps: { good: 11 },
      supportLoad: { good: 6 },
      sentiment: { weight: -1 },
      productUsage: { good: 0.05 },
    });
    expect(problems.map((p) => p.path)).toEqual([
      'input.productUsage.good',
      'input.sentiment.weight',
      'input.supportLoad.good',
      'input.nps.good',
    ]);
    expect(problems[0]!.message).toBe('must be above poor (0.1): higher is better');
    expect(problems[3]!.message).toBe('must be between 0 and 10; got 11');
  });

  it('refuses a policy where every weight is 0', () => {
    const zero = { weight: 0 };
    const { problems } = applyHealthPolicy(DEFAULT_HEALTH_POLICY, {
      productUsage: zero,
      engagementTrend: zero,
      sentiment: zero,
      supportLoad: zero,
      nps: zero,
    });
    expect(problems).toEqual([
      { path: 'input.productUsage.weight', message: 'at least one measure needs a weight above 0' },
    ]);
  });
});
