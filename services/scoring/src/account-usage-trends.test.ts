// Product usage per account and the trend series recorded in a period, against the real servers
// with two scoring instances and a clock the test moves across days and into the next week: an
// account's figures add up its contacts' usage (found by the accountId their IDENTIFY set), the
// accounts to upsell name the high-value features nobody in them uses, and each day's and week's
// trend bucket counts the texts (sentiment) and the distinct contacts per declared feature of
// that period. Every figure is worked out by hand below; another workspace's count in none of it.
import { testWorkspace, waitFor } from '@cei/testing';
import { startScoringKit, type ScoringKit } from './scoring-test-kit';

/** A deadline for work on a shared, busy machine (not a timing claim). */
const PATIENCE = { timeoutMs: 30_000 };

const TRENDS = /* GraphQL */ `
  query ($from: DateTime!, $to: DateTime!, $granularity: TrendGranularity) {
    trends(from: $from, to: $to, granularity: $granularity) {
      buckets {
        id
        closed
        sentiment {
          texts
          positive
          neutral
          negative
          meanScore
        }
        featureAdoption {
          feature
          name
          highValue
          contacts
          uses
        }
      }
    }
  }
`;
interface Bucket {
  id: string;
  closed: boolean;
  sentiment: { texts: number; positive: number; neutral: number; negative: number; meanScore: number | null };
  featureAdoption: { feature: string; name: string; highValue: boolean; contacts: number; uses: number }[];
}

const ACCOUNT_USAGE = /* GraphQL */ `
  query ($reps: [_Any!]!) {
    _entities(representations: $reps) {
      ... on Account {
        id
        productUsage {
          contacts
          activeContactsLast30
          features {
            key
            name
            declared
            highValue
            uses
            errors
            firstUsedAt
            lastUsedAt
            contacts
            recentContacts
            recent
          }
          highValueUnused {
            key
            name
            reason
            lastUsedAt
          }
          breadth
          usesLast30Days
          errorsLast30Days
          activeDaysLast7
          activeDaysLast30
          stickinessWeekly
          stickinessMonthly
          lastUsedAt
        }
      }
    }
  }
`;
interface AccountUsage {
  id: string;
  productUsage: Record<string, unknown> & { contacts: number; features: { key: string }[] };
}

const UPSELL = /* GraphQL */ `
  query ($first: Int) {
    accountUpsellOpportunities(first: $first) {
      account {
        id
      }
      features {
        key
        reason
      }
      activeContacts
      usesLast30Days
      activeDaysLast30
    }
  }
`;

/** 10:00 UTC of a day, as the interactions' time (exact, so lastUsedAt is exact too). */
const at = (day: string, minute = 0) => `${day}T10:${String(minute).padStart(2, '0')}:00.000Z`;

describe('product usage per account and trend series recorded in the period', () => {
  let kit: ScoringKit;
  const acme = testWorkspace('acme');
  const other = testWorkspace('other');
  const setClock = (iso: string) => kit.advance(Date.parse(iso) - kit.now().getTime());

  async function query<T>(ws: string, text: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await kit.gql<T>(ws, text, variables, 'read');
    if (response.errors) throw new Error(JSON.stringify(response.errors));
    return response.data!;
  }
  const trends = async (ws: string, from: string, to: string, granularity = 'DAY') =>
    (await query<{ trends: { buckets: Bucket[] } }>(ws, TRENDS, { from, to, granularity })).trends.buckets;
  const account = async (ws: string, id: string) =>
    (await query<{ _entities: AccountUsage[] }>(ws, ACCOUNT_USAGE, { reps: [{ __typename: 'Account', id }] }))
      ._entities[0]!;

  let minute = 0;
  const record = (ws: string, contactId: string, kind: string, day: string, properties: Record<string, unknown>) =>
    kit.record(
      kit.interaction(ws, contactId, kind as Parameters<ScoringKit['interaction']>[2], {
        occurredAt: at(day, ++minute),
        properties,
      }),
    );
  const use = (ws: string, contactId: string, day: string, feature: string, extra: Record<string, unknown> = {}) =>
    record(ws, contactId, 'FEATURE_USAGE', day, { feature, ...extra });
  const say = (ws: string, contactId: string, day: string, text: string, channel = 'app-store') =>
    record(ws, contactId, 'COMMENT_ADDED', day, { text, channel, language: 'en' });

  /** Waits until today's bucket of `ws` counts these texts and uses of declared features (the period is open). */
  const counted = (ws: string, day: string, texts: number, uses: number) =>
    waitFor(
      `${day}: ${texts} texts and ${uses} uses counted`,
      async () => {
        const [today] = await trends(ws, at(day), at(day));
        const declaredUses = today!.featureAdoption.reduce((sum, f) => sum + f.uses, 0);
        return today!.sentiment.texts === texts && declaredUses === uses ? true : null;
      },
      PATIENCE,
    );

  async function declare(ws: string, key: string, name: string, highValue: boolean) {
    const response = await kit.gql(
      ws,
      `mutation($i: ProductFeatureInput!) { createProductFeature(input: $i) { key } }`,
      { i: { key, name, highValue } },
    );
    expect(response.errors).toBeUndefined();
  }

  beforeAll(async () => {
    kit = await startScoringKit('accountusage');
    await declare(acme, 'reports', 'Reports', true);
    await declare(acme, 'api', 'API', true);
    await declare(acme, 'audit', 'Audit log', true);
    await declare(acme, 'export', 'Export', false);
    await declare(other, 'reports', 'Reports', true);
    await declare(other, 'sso', 'SSO', true);

    // Wednesday 2027-03-03. Globex: ann and bob; Initech: cy. The other workspace has a globex too.
    setClock('2027-03-03T12:00:00Z');
    const d1 = '2027-03-03';
    await record(acme, 'ann', 'IDENTIFY', d1, { accountId: 'globex' });
    await record(acme, 'bob', 'IDENTIFY', d1, { accountId: 'globex' });
    await record(acme, 'cy', 'IDENTIFY', d1, { accountId: 'initech' });
    await record(other, 'zed', 'IDENTIFY', d1, { accountId: 'globex' });
    await use(acme, 'ann', d1, 'reports');
    await use(acme, 'bob', d1, 'reports', { error: 'timeout' }); // a use that failed: a use and an error
    await use(acme, 'cy', d1, 'export');
    // A late interaction from January: counts in cy's lifetime figures, not in March's.
    await use(acme, 'cy', '2027-01-10', 'reports');
    await say(acme, 'ann', d1, 'Excellent service!'); // +0.514
    await say(acme, 'cy', d1, 'Terrible app.'); // −0.514
    await use(other, 'zed', d1, 'reports');
    await say(other, 'zed', d1, 'Good update.');
    await counted(acme, d1, 2, 3);
    await counted(other, d1, 1, 1);

    // Thursday.
    setClock('2027-03-04T12:00:00Z');
    const d2 = '2027-03-04';
    await use(acme, 'ann', d2, 'reports');
    await use(acme, 'bob', d2, 'api');
    await say(acme, 'bob', d2, 'Where is my invoice?', 'LIVE_CHAT'); // 0
    await say(acme, 'ann', d2, 'Great support, thank you!'); // +0.814
    await say(acme, 'bob', d2, 'Awful update, very disappointed.'); // −0.707
    await counted(acme, d2, 3, 2);

    // Monday of the next week, 2027-03-08.
    setClock('2027-03-08T12:00:00Z');
    const d3 = '2027-03-08';
    await use(acme, 'cy', d3, 'export');
    await say(acme, 'cy', d3, 'Good update.'); // +0.514
    await counted(acme, d3, 1, 1);
    // Now: Monday 2027-03-08, 12:00.
  }, 180_000);

  afterAll(() => kit?.stop());

  it('adds up an account’s contacts: uses, errors, distinct contacts per feature, breadth and active days', async () => {
    const globex = await account(acme, 'globex');
    expect(globex.productUsage).toEqual({
      contacts: 2,
      activeContactsLast30: 2,
      features: [
        {
          key: 'reports',
          name: 'Reports',
          declared: true,
          highValue: true,
          // ann 03-03 and 03-04, bob 03-03 (failed: also an error).
          uses: 3,
          errors: 1,
          firstUsedAt: at('2027-03-03', 5),
          lastUsedAt: at('2027-03-04', 13),
          contacts: 2,
          recentContacts: 2,
          recent: true,
        },
        {
          key: 'api',
          name: 'API',
          declared: true,
          highValue: true,
          uses: 1,
          errors: 0,
          firstUsedAt: at('2027-03-04', 14),
          lastUsedAt: at('2027-03-04', 14),
          contacts: 1,
          recentContacts: 1,
          recent: true,
        },
      ],
      highValueUnused: [{ key: 'audit', name: 'Audit log', reason: 'NEVER', lastUsedAt: null }],
      // reports and api of four declared.
      breadth: 0.5,
      usesLast30Days: 4,
      errorsLast30Days: 1,
      // 03-03 (both contacts: one day) and 03-04; both within the last 7 days (03-02..03-08).
      activeDaysLast7: 2,
      activeDaysLast30: 2,
      stickinessWeekly: 0.286,
      stickinessMonthly: 0.067,
      lastUsedAt: at('2027-03-04', 14),
    });

    const initech = await account(acme, 'initech');
    expect(initech.productUsage).toMatchObject({
      contacts: 1,
      activeContactsLast30: 1,
      features: [
        expect.objectContaining({ key: 'export', uses: 2, contacts: 1, recentContacts: 1, recent: true }),
        expect.objectContaining({ key: 'reports', uses: 1, contacts: 1, recentContacts: 0, recent: false }),
      ],
      highValueUnused: [
        { key: 'api', name: 'API', reason: 'NEVER', lastUsedAt: null },
        { key: 'audit', name: 'Audit log', reason: 'NEVER', lastUsedAt: null },
        { key: 'reports', name: 'Reports', reason: 'NO_LONGER', lastUsedAt: at('2027-01-10', 8) },
      ],
      // export of four declared.
      breadth: 0.25,
      usesLast30Days: 2,
      activeDaysLast30: 2,
      activeDaysLast7: 2,
      lastUsedAt: at('2027-03-08', 18),
    });

    // An account nobody named: zeros, every high-value feature unused.
    expect((await account(acme, 'hooli')).productUsage).toMatchObject({
      contacts: 0,
      features: [],
      breadth: 0,
      usesLast30Days: 0,
      highValueUnused: [{ key: 'api' }, { key: 'audit' }, { key: 'reports' }],
    });
  });

  it('lists the accounts to upsell with the high-value features nobody in them uses, most uses first', async () => {
    const { accountUpsellOpportunities } = await query<{ accountUpsellOpportunities: unknown[] }>(acme, UPSELL);
    expect(accountUpsellOpportunities).toEqual([
      {
        account: { id: 'globex' },
        features: [{ key: 'audit', reason: 'NEVER' }],
        activeContacts: 2,
        usesLast30Days: 4,
        activeDaysLast30: 2,
      },
      {
        account: { id: 'initech' },
        features: [
          { key: 'api', reason: 'NEVER' },
          { key: 'audit', reason: 'NEVER' },
          { key: 'reports', reason: 'NO_LONGER' },
        ],
        activeContacts: 1,
        usesLast30Days: 2,
        activeDaysLast30: 2,
      },
    ]);
    const top = await query<{ accountUpsellOpportunities: { account: { id: string } }[] }>(acme, UPSELL, { first: 1 });
    expect(top.accountUpsellOpportunities.map((o) => o.account.id)).toEqual(['globex']);
    const bad = await kit.gql(acme, UPSELL, { first: 0 }, 'read');
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [expect.objectContaining({ path: 'first' })],
    });
  });

  it('gives each day the sentiment of its texts and the contacts using each declared feature', async () => {
    const days = await trends(acme, '2027-03-03T00:00:00Z', '2027-03-08T23:00:00Z');
    expect(days.map((b) => [b.id, b.closed])).toEqual([
      ['DAY:2027-03-03', true],
      ['DAY:2027-03-04', true],
      ['DAY:2027-03-05', true],
      ['DAY:2027-03-06', true],
      ['DAY:2027-03-07', true],
      ['DAY:2027-03-08', false],
    ]);
    const adoption = (...rows: [feature: string, contacts: number, uses: number][]) =>
      rows.map(([feature, contacts, uses]) => expect.objectContaining({ feature, contacts, uses }));
    const [wed, thu, fri, , , mon] = days as [Bucket, Bucket, Bucket, Bucket, Bucket, Bucket];
    // 0.514 − 0.514 over 2.
    expect(wed.sentiment).toEqual({ texts: 2, positive: 1, neutral: 0, negative: 1, meanScore: 0 });
    // ann and bob used reports (bob's failed use counts as a use), cy export; the January use is January's.
    expect(wed.featureAdoption).toEqual(adoption(['reports', 2, 2], ['export', 1, 1], ['api', 0, 0], ['audit', 0, 0]));
    expect(wed.featureAdoption[0]).toEqual({
      feature: 'reports',
      name: 'Reports',
      highValue: true,
      contacts: 2,
      uses: 2,
    });
    // (0 + 0.814 − 0.707) / 3 = 0.0357.
    expect(thu.sentiment).toEqual({ texts: 3, positive: 1, neutral: 1, negative: 1, meanScore: 0.036 });
    expect(thu.featureAdoption).toEqual(adoption(['api', 1, 1], ['reports', 1, 1], ['audit', 0, 0], ['export', 0, 0]));
    expect(fri.sentiment).toEqual({ texts: 0, positive: 0, neutral: 0, negative: 0, meanScore: null });
    expect(fri.featureAdoption.every((f) => f.contacts === 0)).toBe(true);
    // Today, as of now.
    expect(mon.sentiment).toEqual({ texts: 1, positive: 1, neutral: 0, negative: 0, meanScore: 0.514 });
    expect(mon.featureAdoption).toEqual(adoption(['export', 1, 1], ['api', 0, 0], ['audit', 0, 0], ['reports', 0, 0]));
  });

  it('rolls a week up: its texts, and each feature’s distinct contacts over the week (not a sum of days)', async () => {
    const weeks = await trends(acme, '2027-03-03T00:00:00Z', '2027-03-08T23:00:00Z', 'WEEK');
    expect(weeks.map((b) => [b.id, b.closed])).toEqual([
      ['WEEK:2027-03-01', true],
      ['WEEK:2027-03-08', false],
    ]);
    const [last, current] = weeks as [Bucket, Bucket];
    // 0.514 − 0.514 + 0 + 0.814 − 0.707 = 0.107 over 5.
    expect(last.sentiment).toEqual({ texts: 5, positive: 2, neutral: 1, negative: 2, meanScore: 0.021 });
    // ann used reports on two days: one contact (the days' 2 + 1 count her twice).
    expect(last.featureAdoption).toEqual([
      { feature: 'reports', name: 'Reports', highValue: true, contacts: 2, uses: 3 },
      { feature: 'api', name: 'API', highValue: true, contacts: 1, uses: 1 },
      { feature: 'export', name: 'Export', highValue: false, contacts: 1, uses: 1 },
      { feature: 'audit', name: 'Audit log', highValue: true, contacts: 0, uses: 0 },
    ]);
    expect(current.sentiment).toEqual({ texts: 1, positive: 1, neutral: 0, negative: 0, meanScore: 0.514 });
    expect(current.featureAdoption[0]).toMatchObject({ feature: 'export', contacts: 1 });
  });

  it('keeps workspaces apart: the same account id, texts and uses elsewhere count only there', async () => {
    expect((await account(other, 'globex')).productUsage).toMatchObject({
      contacts: 1,
      features: [expect.objectContaining({ key: 'reports', uses: 1, contacts: 1 })],
      highValueUnused: [{ key: 'sso', name: 'SSO', reason: 'NEVER', lastUsedAt: null }],
      // reports of two declared.
      breadth: 0.5,
    });
    const { accountUpsellOpportunities } = await query<{ accountUpsellOpportunities: unknown[] }>(other, UPSELL);
    expect(accountUpsellOpportunities).toEqual([
      {
        account: { id: 'globex' },
        features: [{ key: 'sso', reason: 'NEVER' }],
        activeContacts: 1,
        usesLast30Days: 1,
        activeDaysLast30: 1,
      },
    ]);
    const [week] = await trends(other, '2027-03-03T00:00:00Z', '2027-03-03T00:00:00Z', 'WEEK');
    expect(week!.sentiment).toEqual({ texts: 1, positive: 1, neutral: 0, negative: 0, meanScore: 0.514 });
    expect(week!.featureAdoption).toEqual([
      { feature: 'reports', name: 'Reports', highValue: true, contacts: 1, uses: 1 },
      { feature: 'sso', name: 'SSO', highValue: true, contacts: 0, uses: 0 },
    ]);
  });
});
