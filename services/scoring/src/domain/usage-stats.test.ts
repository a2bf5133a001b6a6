import {
  daysOf,
  featureTotals,
  leastUsed,
  mostErrors,
  mostUsed,
  periodEnd,
  periodsOf,
  periodStats,
} from './usage-stats';
import type { FeatureCatalog } from './product-usage';

const fact = (feature: string, contactId: string, use: 0 | 1, error: 0 | 1) => ({ feature, contactId, use, error });
const catalog: FeatureCatalog = new Map([
  ['reports', { key: 'reports', name: 'Reports', highValue: true }],
  ['themes', { key: 'themes', name: 'Themes', highValue: false }],
]);

describe('periodStats', () => {
  it('counts uses, errors, events and distinct contacts that used each feature', () => {
    // reports: ann ×2 (one failed), bob ×1 → 3 uses, 1 error, 3 events, 2 contacts
    // export: carl FEATURE_ERROR only → 0 uses, 1 error, 1 event, 0 contacts (an error is no use)
    expect(
      periodStats([
        fact('reports', 'ann', 1, 0),
        fact('reports', 'ann', 1, 1),
        fact('reports', 'bob', 1, 0),
        fact('export', 'carl', 0, 1),
      ]),
    ).toEqual([
      { feature: 'export', uses: 0, errors: 1, events: 1, contacts: 0 },
      { feature: 'reports', uses: 3, errors: 1, events: 3, contacts: 2 },
    ]);
  });
});

describe('periods', () => {
  it('splits a range into days, or Monday weeks covering it', () => {
    expect(periodsOf('2024-02-28', '2024-03-01', 'DAY')).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
    // 2024-03-06 is a Wednesday: its week starts on Monday 03-04; 03-12 is in the week of 03-11.
    expect(periodsOf('2024-03-06', '2024-03-12', 'WEEK')).toEqual(['2024-03-04', '2024-03-11']);
    expect(daysOf('2024-03-04', 'WEEK')).toEqual([
      '2024-03-04',
      '2024-03-05',
      '2024-03-06',
      '2024-03-07',
      '2024-03-08',
      '2024-03-09',
      '2024-03-10',
    ]);
    expect(periodEnd('2024-03-04', 'WEEK')).toBe(Date.parse('2024-03-11T00:00:00Z'));
    expect(periodEnd('2024-03-04', 'DAY')).toBe(Date.parse('2024-03-05T00:00:00Z'));
  });
});

describe('feature totals', () => {
  // Day 1: reports 3 uses / 1 error / 3 events; export 0 / 1 / 1. Day 2: reports 1 / 0 / 1; beta 2 / 2 / 2.
  const totals = featureTotals(
    [
      [
        { feature: 'export', uses: 0, errors: 1, events: 1, contacts: 0 },
        { feature: 'reports', uses: 3, errors: 1, events: 3, contacts: 2 },
      ],
      [
        { feature: 'beta', uses: 2, errors: 2, events: 2, contacts: 1 },
        { feature: 'reports', uses: 1, errors: 0, events: 1, contacts: 1 },
      ],
    ],
    catalog,
  );

  it('sums the periods, names declared features, and lists declared features nobody used', () => {
    // reports: 4 uses, 1 error of 4 events → 0.25; beta 2 of 2 → 1; export 1 of 1 → 1; themes: nothing.
    expect(totals).toEqual([
      { key: 'reports', name: 'Reports', declared: true, highValue: true, uses: 4, errors: 1, errorRate: 0.25 },
      { key: 'beta', name: 'beta', declared: false, highValue: false, uses: 2, errors: 2, errorRate: 1 },
      { key: 'export', name: 'export', declared: false, highValue: false, uses: 0, errors: 1, errorRate: 1 },
      { key: 'themes', name: 'Themes', declared: true, highValue: false, uses: 0, errors: 0, errorRate: 0 },
    ]);
  });

  it('ranks most used, least used and most errors', () => {
    expect(mostUsed(totals, 5).map((t) => t.key)).toEqual(['reports', 'beta']);
    expect(leastUsed(totals, 2).map((t) => t.key)).toEqual(['export', 'themes']);
    // beta and export: equal errors? beta 2, export 1, reports 1 (export's rate 1 beats reports' 0.25).
    expect(mostErrors(totals, 5).map((t) => t.key)).toEqual(['beta', 'export', 'reports']);
  });
});
