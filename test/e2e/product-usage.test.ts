// Product usage through the real platform and gateway: an admin declares the product's
// features, FEATURE_USAGE / FEATURE_ERROR interactions are tracked, and the contact card,
// the likelihoods, the workspace statistics, power users and upsell opportunities answer
// figures worked out by hand below, each workspace seeing only its own.
import { databaseName } from '@cei/config';
import { connectDatabase, type Database } from '@cei/mongo';
import { testNamespace, waitFor } from '@cei/testing';
import { createWorkspace, type WorkspaceKeys } from '@cei/gateway/src/auth/api-keys';
import { startPlatform, type Platform } from '../src/platform';
import { gql } from '../src/gateway-client';

const DAY = 86_400_000;
const dayOf = (ms: number) => new Date(Math.floor(ms / DAY) * DAY).toISOString().slice(0, 10);

const TRACK = /* GraphQL */ `
  mutation ($i: [InteractionInput!]!) {
    trackInteractions(interactions: $i) {
      accepted
      rejected
      items {
        index
        status
        reason
      }
    }
  }
`;
const CONTACT_USAGE = /* GraphQL */ `
  query ($id: ID!) {
    contact(id: $id) {
      productUsage {
        features {
          key
          name
          declared
          highValue
          uses
          errors
          recent
        }
        highValueUnused {
          key
          reason
        }
        breadth
        depth
        usesLast30Days
        errorsLast30Days
        activeDaysLast7
        activeDaysLast30
        stickinessWeekly
        stickinessMonthly
        highValueUses
      }
    }
  }
`;
type ContactUsage = {
  contact: {
    productUsage: {
      features: { key: string; uses: number; errors: number }[];
      usesLast30Days: number;
      errorsLast30Days: number;
    } & Record<string, unknown>;
  };
};

describe('product usage, end to end', () => {
  const namespace = testNamespace('e2e-product-usage');
  let platform: Platform;
  let gatewayDb: Database;
  let scoringDb: Database;
  let a: WorkspaceKeys;
  let b: WorkspaceKeys;
  let http: string;
  const now = Date.now();
  // Today, yesterday, two and five days ago (UTC); times early in the day, so never in the future.
  const [d0, d1, d2, d5] = [0, 1, 2, 5].map((n) => dayOf(now - n * DAY)) as [string, string, string, string];
  const at = (day: string, hour: number) => `${day}T0${hour}:00:0${hour}Z`;

  beforeAll(async () => {
    platform = await startPlatform({ natsUrl: process.env.NATS_URL!, mongoUrl: process.env.MONGO_URL!, namespace });
    gatewayDb = await connectDatabase(process.env.MONGO_URL!, databaseName(namespace, 'gateway'));
    scoringDb = await connectDatabase(process.env.MONGO_URL!, databaseName(namespace, 'scoring'));
    a = await createWorkspace(gatewayDb.connection);
    b = await createWorkspace(gatewayDb.connection);
    http = platform.gateways[0]!.httpUrl;
  }, 90_000);
  afterAll(async () => {
    await scoringDb?.close();
    await gatewayDb?.close();
    await platform?.stop();
  });

  it('lets admins declare, change and remove features, with errors that name the field', async () => {
    for (const [key, name, highValue] of [
      ['reports', 'Reports', true],
      ['api', 'API', true],
      ['export', 'Export', false],
      ['themes', 'Themes', false],
      ['legacy', 'Legacy', true],
    ] as const) {
      const created = await gql(
        http,
        a.keys.admin,
        `mutation($i: ProductFeatureInput!) { createProductFeature(input: $i) { key name highValue } }`,
        { i: { key, name, highValue } },
      );
      expect(created.data).toEqual({ createProductFeature: { key, name, highValue } });
    }
    const renamed = await gql(
      http,
      a.keys.admin,
      `mutation { updateProductFeature(key: "themes", input: { name: "Themes & colours" }) { key name highValue } }`,
    );
    expect(renamed.data).toEqual({
      updateProductFeature: { key: 'themes', name: 'Themes & colours', highValue: false },
    });
    expect((await gql(http, a.keys.admin, `mutation { deleteProductFeature(key: "legacy") }`)).data).toEqual({
      deleteProductFeature: true,
    });
    expect((await gql(http, a.keys.admin, `mutation { deleteProductFeature(key: "legacy") }`)).data).toEqual({
      deleteProductFeature: false,
    });

    const badKey = await gql(
      http,
      a.keys.admin,
      `mutation { createProductFeature(input: { key: " no spaces", name: "" }) { key } }`,
    );
    expect(badKey.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [expect.objectContaining({ path: 'input.key' }), expect.objectContaining({ path: 'input.name' })],
    });
    const twice = await gql(
      http,
      a.keys.admin,
      `mutation { createProductFeature(input: { key: "api", name: "x" }) { key } }`,
    );
    expect(twice.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT' });
    const unknown = await gql(
      http,
      a.keys.admin,
      `mutation { updateProductFeature(key: "nope", input: { highValue: true }) { key } }`,
    );
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    const notAdmin = await gql(http, a.keys.write, `mutation { deleteProductFeature(key: "api") }`);
    expect(notAdmin.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });

    const listed = await gql(http, a.keys.read, `{ productFeatures { key highValue } }`);
    expect(listed.data).toEqual({
      productFeatures: [
        { key: 'api', highValue: true },
        { key: 'export', highValue: false },
        { key: 'reports', highValue: true },
        { key: 'themes', highValue: false },
      ],
    });
    expect((await gql(http, b.keys.read, `{ productFeatures { key } }`)).data).toEqual({ productFeatures: [] });
  });

  it('rejects product usage that names no feature, with the field in the reason', async () => {
    const result = await gql(http, a.keys.write, TRACK, {
      i: [
        { id: 'bad-1', kind: 'FEATURE_USAGE', contactId: 'ann', properties: { page: '/x' } },
        { id: 'bad-2', kind: 'FEATURE_ERROR', contactId: 'ann' },
      ],
    });
    expect(result.data).toEqual({
      trackInteractions: {
        accepted: 0,
        rejected: 2,
        items: [
          {
            index: 0,
            status: 'REJECTED',
            reason: expect.stringMatching(/^properties\.feature: required for FEATURE_USAGE/),
          },
          {
            index: 1,
            status: 'REJECTED',
            reason: expect.stringMatching(/^properties\.feature: required for FEATURE_ERROR/),
          },
        ],
      },
    });
  });

  it('answers per contact, per workspace and the lists by their definitions, each workspace its own', async () => {
    const use = (id: string, contactId: string, feature: string, occurredAt: string, error?: string) => ({
      id,
      kind: 'FEATURE_USAGE',
      contactId,
      occurredAt,
      properties: error ? { feature, error } : { feature },
    });
    const failure = (id: string, contactId: string, feature: string, occurredAt: string) => ({
      id,
      kind: 'FEATURE_ERROR',
      contactId,
      occurredAt,
      properties: { feature },
    });
    const tracked = await gql(http, a.keys.write, TRACK, {
      i: [
        // ann: reports d2 ×1, d1 ×2 (one failed), d0 ×1; export d1 ×1; api: one FEATURE_ERROR d0
        use('a1', 'ann', 'reports', at(d2, 1)),
        use('a2', 'ann', 'reports', at(d1, 1)),
        use('a3', 'ann', 'reports', at(d1, 2), 'timeout'),
        use('a4', 'ann', 'export', at(d1, 3)),
        use('a5', 'ann', 'reports', at(d0, 0)),
        failure('a6', 'ann', 'api', at(d0, 0)),
        // bob: export d1 ×3, themes d0 ×1
        use('b1', 'bob', 'export', at(d1, 1)),
        use('b2', 'bob', 'export', at(d1, 2)),
        use('b3', 'bob', 'export', at(d1, 3)),
        use('b4', 'bob', 'themes', at(d0, 0)),
        // carl: api d1 ×2, reports d1 ×1, export d5 ×1
        use('c1', 'carl', 'api', at(d1, 1)),
        use('c2', 'carl', 'api', at(d1, 2)),
        use('c3', 'carl', 'reports', at(d1, 3)),
        use('c4', 'carl', 'export', at(d5, 1)),
      ],
    });
    expect(tracked.data).toMatchObject({ trackInteractions: { accepted: 14, rejected: 0 } });
    // Workspace B: the same contact id, its own usage, no declared features.
    await gql(http, b.keys.write, TRACK, { i: [use('x1', 'ann', 'export', at(d0, 0))] });

    const usageOf = (workspace: WorkspaceKeys, id: string) =>
      gql<ContactUsage>(http, workspace.keys.read, CONTACT_USAGE, { id }).then((r) => r.data?.contact.productUsage);
    for (const [id, uses, errors] of [
      ['ann', 5, 2],
      ['bob', 4, 0],
      ['carl', 4, 0],
    ] as const) {
      await waitFor(`${id}'s usage scored`, async () => {
        const usage = await usageOf(a, id);
        return usage?.usesLast30Days === uses && usage.errorsLast30Days === errors;
      });
    }
    await waitFor("B's ann scored", async () => (await usageOf(b, 'ann'))?.usesLast30Days === 1);

    // ann: recent declared features reports, export → breadth 2/4; depth 5 uses / 2 features;
    // active days d2, d1, d0 (an error-only day counts as active) → 3/7 and 3/30; api never used.
    expect(await usageOf(a, 'ann')).toEqual({
      features: [
        { key: 'reports', name: 'Reports', declared: true, highValue: true, uses: 4, errors: 1, recent: true },
        { key: 'export', name: 'Export', declared: true, highValue: false, uses: 1, errors: 0, recent: true },
        { key: 'api', name: 'API', declared: true, highValue: true, uses: 0, errors: 1, recent: false },
      ],
      highValueUnused: [{ key: 'api', reason: 'NEVER' }],
      breadth: 0.5,
      depth: 2.5,
      usesLast30Days: 5,
      errorsLast30Days: 2,
      activeDaysLast7: 3,
      activeDaysLast30: 3,
      stickinessWeekly: 0.429,
      stickinessMonthly: 0.1,
      highValueUses: 4,
    });
    // B's ann: one undeclared feature, no catalog → no breadth, nothing high-value.
    expect(await usageOf(b, 'ann')).toMatchObject({
      features: [{ key: 'export', name: 'export', declared: false, uses: 1 }],
      highValueUnused: [],
      breadth: null,
      depth: 1,
    });

    // Likelihoods read the same usage: churn explains ann's unused api (1 of 2 high-value: 1.5 × 0.5).
    const likely = await gql<{
      contact: { likelihoods: { kind: string; signals: { signal: string; value: number; contribution: number }[] }[] };
    }>(http, a.keys.read, `{ contact(id: "ann") { likelihoods { kind signals { signal value contribution } } } }`);
    const byKind = (kind: string) => likely.data!.contact.likelihoods.find((l) => l.kind === kind)!;
    expect(byKind('CHURN').signals).toContainEqual({ signal: 'HIGH_VALUE_UNUSED', value: 1, contribution: 0.75 });
    // STICKINESS: 3 active days → −1.0 × 3/20
    expect(byKind('CHURN').signals).toContainEqual({ signal: 'STICKINESS', value: 3, contribution: -0.15 });
    expect(byKind('TRIAL_SUCCESS').signals.length).toBeGreaterThan(0);
    expect(byKind('PRODUCT_SUCCESS').signals).toContainEqual({
      signal: 'USAGE_BREADTH',
      value: 0.5,
      contribution: 0.75,
    });

    // Workspace A, days d2..d0: reports 1 + 3 + 1 = 5 uses, 1 error of 5 events; export 4 (d1: ann 1, bob 3);
    // api 2 uses (carl d1) + 1 FEATURE_ERROR (ann d0) → 1 error of 3 events; themes 1 (bob d0).
    const report = await gql<{ productUsage: Record<string, unknown> }>(
      http,
      a.keys.read,
      `query($from: String!, $to: String!) { productUsage(from: $from, to: $to, first: 2) {
        features { key uses errors errorRate }
        mostUsed { key } leastUsed { key } mostErrors { key errorRate }
        adoption { key periods { start contacts uses errors } } } }`,
      { from: d2, to: d0 },
    );
    expect(report.errors).toBeUndefined();
    expect(report.data!.productUsage).toEqual({
      features: [
        { key: 'reports', uses: 5, errors: 1, errorRate: 0.2 },
        { key: 'export', uses: 4, errors: 0, errorRate: 0 },
        { key: 'api', uses: 2, errors: 1, errorRate: 0.333 },
        { key: 'themes', uses: 1, errors: 0, errorRate: 0 },
      ],
      mostUsed: [{ key: 'reports' }, { key: 'export' }],
      leastUsed: [{ key: 'themes' }, { key: 'api' }],
      mostErrors: [
        { key: 'api', errorRate: 0.333 },
        { key: 'reports', errorRate: 0.2 },
      ],
      adoption: [
        {
          key: 'reports',
          periods: [
            { start: d2, contacts: 1, uses: 1, errors: 0 },
            { start: d1, contacts: 2, uses: 3, errors: 1 },
            { start: d0, contacts: 1, uses: 1, errors: 0 },
          ],
        },
        {
          key: 'export',
          periods: [
            { start: d2, contacts: 0, uses: 0, errors: 0 },
            { start: d1, contacts: 2, uses: 4, errors: 0 },
            { start: d0, contacts: 0, uses: 0, errors: 0 },
          ],
        },
        {
          key: 'api',
          periods: [
            { start: d2, contacts: 0, uses: 0, errors: 0 },
            { start: d1, contacts: 1, uses: 2, errors: 0 },
            // ann's FEATURE_ERROR: an error, not a use, so no adopter.
            { start: d0, contacts: 0, uses: 0, errors: 1 },
          ],
        },
        {
          key: 'themes',
          periods: [
            { start: d2, contacts: 0, uses: 0, errors: 0 },
            { start: d1, contacts: 0, uses: 0, errors: 0 },
            { start: d0, contacts: 1, uses: 1, errors: 0 },
          ],
        },
      ],
    });

    // By week (Monday to Sunday): reports was used by ann on d2, d1, d0 and by carl on d1; a week counts
    // each contact once, whichever of the three days fall in it.
    const mondayOf = (day: string) => {
      const ms = Date.parse(`${day}T00:00:00Z`);
      return dayOf(ms - ((new Date(ms).getUTCDay() + 6) % 7) * DAY);
    };
    const reportUsers: [string, string[]][] = [
      [d2, ['ann']],
      [d1, ['ann', 'carl']],
      [d0, ['ann']],
    ];
    const expectedWeeks = new Map<string, Set<string>>();
    for (const [day, users] of reportUsers) {
      const week = expectedWeeks.get(mondayOf(day)) ?? new Set<string>();
      users.forEach((user) => week.add(user));
      expectedWeeks.set(mondayOf(day), week);
    }
    const weekly = await gql<{
      productUsage: { adoption: { key: string; periods: { start: string; contacts: number }[] }[] };
    }>(
      http,
      a.keys.read,
      `query($from: String!, $to: String!) { productUsage(from: $from, to: $to, granularity: WEEK) {
        adoption { key periods { start contacts } } } }`,
      { from: d2, to: d0 },
    );
    expect(weekly.data!.productUsage.adoption.find((f) => f.key === 'reports')!.periods).toEqual(
      [...expectedWeeks].map(([start, users]) => ({ start, contacts: users.size })),
    );

    // d5 is closed (ended more than 2 days ago): computed once, kept, and answered the same again.
    const closedDay = `{ productUsage(from: "${d5}", to: "${d5}") { features { key uses } adoption { key periods { contacts } } } }`;
    const first = await gql(http, a.keys.read, closedDay);
    expect((first.data as { productUsage: { features: unknown[] } }).productUsage.features).toContainEqual({
      key: 'export',
      uses: 1,
    });
    const kept = await scoringDb.connection
      .collection('usage_rollups')
      .findOne({ _id: `${a.workspaceId}:DAY:${d5}` as never });
    expect(kept).toMatchObject({ features: [{ feature: 'export', uses: 1, errors: 0, events: 1, contacts: 1 }] });
    expect(await gql(http, a.keys.read, closedDay)).toEqual(first);

    // Power users: high-value uses still in use — ann 4 (reports), carl 3 (api 2 + reports 1); bob none.
    const power = await gql(
      http,
      a.keys.read,
      `{ powerUsers(first: 5) { contact { id } highValueUses highValueFeatures } }`,
    );
    expect(power.data).toEqual({
      powerUsers: [
        { contact: { id: 'ann' }, highValueUses: 4, highValueFeatures: ['reports'] },
        { contact: { id: 'carl' }, highValueUses: 3, highValueFeatures: ['api', 'reports'] },
      ],
    });
    // Upsell: active contacts with unused high-value features, most uses first — ann (5: api), bob (4: api, reports).
    const upsell = await gql(
      http,
      a.keys.read,
      `{ upsellOpportunities { contact { id } features { key reason } usesLast30Days } }`,
    );
    expect(upsell.data).toEqual({
      upsellOpportunities: [
        { contact: { id: 'ann' }, features: [{ key: 'api', reason: 'NEVER' }], usesLast30Days: 5 },
        {
          contact: { id: 'bob' },
          features: [
            { key: 'api', reason: 'NEVER' },
            { key: 'reports', reason: 'NEVER' },
          ],
          usesLast30Days: 4,
        },
      ],
    });

    // Workspace B sees only its own: one feature, no power users, no upsell (nothing declared high-value).
    const other = await gql(
      http,
      b.keys.read,
      `query($from: String!, $to: String!) { productUsage(from: $from, to: $to) { features { key uses } }
        powerUsers { contact { id } } upsellOpportunities { contact { id } } }`,
      { from: d5, to: d0 },
    );
    expect(other.data).toEqual({
      productUsage: { features: [{ key: 'export', uses: 1 }] },
      powerUsers: [],
      upsellOpportunities: [],
    });
  });

  it('refuses a bad range with the field named', async () => {
    const bad = await gql(http, a.keys.read, `{ productUsage(from: "2024-13-01", to: "2024-01-01") { from } }`);
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [expect.objectContaining({ path: 'from' })],
    });
    const reversed = await gql(http, a.keys.read, `{ productUsage(from: "2024-02-01", to: "2024-01-01") { from } }`);
    expect(reversed.errors?.[0]?.extensions).toMatchObject({ fields: [expect.objectContaining({ path: 'to' })] });
    const tooLong = await gql(http, a.keys.read, `{ productUsage(from: "2024-01-01", to: "2024-12-31") { from } }`);
    expect(tooLong.errors?.[0]?.message).toMatch(/at most 92 periods/);
  });
});
