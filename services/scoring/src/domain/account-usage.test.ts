// An account's product usage from its contacts' usage, on figures worked out by hand: uses and
// errors added up, distinct contacts per feature, high-value features nobody in the account uses,
// breadth, and active days of any contact (a day two contacts used counts once).
import { accountUsage } from './account-usage';
import { emptyUsage, recordUsage, type ContactUsage, type FeatureCatalog } from './product-usage';

const NOW = new Date('2027-03-20T12:00:00Z');
const catalog: FeatureCatalog = new Map([
  ['reports', { key: 'reports', name: 'Reports', highValue: true }],
  ['api', { key: 'api', name: 'API', highValue: true }],
  ['audit', { key: 'audit', name: 'Audit log', highValue: true }],
  ['export', { key: 'export', name: 'Export', highValue: false }],
]);

function used(...uses: [feature: string, at: string, error?: boolean][]): ContactUsage {
  return uses.reduce(
    (usage, [feature, at, error]) =>
      recordUsage(usage, {
        kind: 'FEATURE_USAGE',
        occurredAt: at,
        properties: { feature, ...(error ? { error } : {}) },
      }),
    emptyUsage(),
  );
}

describe('account product usage', () => {
  const ann = used(
    ['export', '2027-03-10T09:00:00.000Z'],
    ['reports', '2027-03-18T09:00:00.000Z', true],
    ['reports', '2027-03-20T08:00:00.000Z'],
    ['reports', '2027-03-20T09:00:00.000Z'],
  );
  // api in January: lifetime figures keep it, the days kept (35 back from 03-18) do not.
  const bob = used(['api', '2027-01-10T09:00:00.000Z'], ['reports', '2027-03-18T10:00:00.000Z']);
  const quiet = emptyUsage();

  it('adds the contacts up per feature and counts the distinct contacts using each', () => {
    const account = accountUsage([ann, bob, quiet], catalog, NOW);
    expect(account.features).toEqual([
      {
        key: 'reports',
        name: 'Reports',
        declared: true,
        highValue: true,
        uses: 4,
        errors: 1,
        firstUsedAt: '2027-03-18T09:00:00.000Z',
        lastUsedAt: '2027-03-20T09:00:00.000Z',
        contacts: 2,
        recentContacts: 2,
        recent: true,
      },
      // One use each: api before export by key.
      expect.objectContaining({ key: 'api', uses: 1, contacts: 1, recentContacts: 0, recent: false }),
      expect.objectContaining({ key: 'export', uses: 1, contacts: 1, recentContacts: 1, recent: true }),
    ]);
    expect(account).toMatchObject({
      contacts: 3,
      activeContactsLast30: 2,
      // Declared and used in the last 30 days (from 02-19): reports, export → 2 of 4.
      breadth: 0.5,
      // ann 1 + 1 + 2, bob 1 (January is outside).
      usesLast30Days: 5,
      errorsLast30Days: 1,
      // 03-10, 03-18 (both contacts: once), 03-20; since 03-14: 03-18 and 03-20.
      activeDaysLast30: 3,
      activeDaysLast7: 2,
      stickinessWeekly: 0.286,
      stickinessMonthly: 0.1,
      lastUsedAt: '2027-03-20T09:00:00.000Z',
    });
  });

  it('names the high-value features no contact uses: never, or no longer', () => {
    expect(accountUsage([ann, bob], catalog, NOW).highValueUnused).toEqual([
      { key: 'api', name: 'API', reason: 'NO_LONGER', lastUsedAt: '2027-01-10T09:00:00.000Z' },
      { key: 'audit', name: 'Audit log', reason: 'NEVER', lastUsedAt: null },
    ]);
    // Without bob the account never used api at all.
    expect(accountUsage([ann], catalog, NOW).highValueUnused.map((f) => [f.key, f.reason])).toEqual([
      ['api', 'NEVER'],
      ['audit', 'NEVER'],
    ]);
  });

  it('answers zeros for an account without usage, and no breadth without declared features', () => {
    expect(accountUsage([], catalog, NOW)).toMatchObject({
      contacts: 0,
      features: [],
      breadth: 0,
      usesLast30Days: 0,
      activeDaysLast30: 0,
      lastUsedAt: null,
    });
    expect(accountUsage([ann], new Map(), NOW)).toMatchObject({ breadth: null, highValueUnused: [] });
  });
});
