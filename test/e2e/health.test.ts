// Health through the real gateway: the admin's health policy (validated by field, versioned, per
// workspace), a customer contact's hand-computed health from real interactions, a prospect's null,
// and the account's roll-up from its customer contacts (account from ingestion, health from
// scoring), none of it seeing another workspace's contacts.
import { waitFor } from '@cei/testing';
import type { WorkspaceKeys } from '@cei/gateway/src/auth/api-keys';
import { gql } from '../src/gateway-client';
import { platformWithTwoWorkspaces } from '../src/two-workspaces';

type Measure = { name: string; value: number; status: string; weight: number; contribution: number };
type Health = { score: number; status: string; pulledDownBy: string | null; measures: Measure[] };
const MEASURES = `score status pulledDownBy measures { name value status weight contribution }`;
const CONTACT = `query($id: ID!) { contact(id: $id) { score { scoredInteractions } health { ${MEASURES} } } }`;
const ACCOUNT = `query($id: ID!) { account(id: $id) { id health { contacts ${MEASURES} } } }`;
const POLICY = `mutation($i: HealthPolicyInput!) { updateHealthPolicy(input: $i) { version measures { name direction good poor weight } } }`;

describe('health', () => {
  const env = platformWithTwoWorkspaces('health');
  const http = env.http;
  let acme: WorkspaceKeys;
  let globex: WorkspaceKeys;
  beforeAll(() => {
    ({ acme, globex } = env);
  });

  const identify = (keys: WorkspaceKeys, contactId: string, traits: Record<string, unknown>) =>
    gql(http(), keys.keys.write, `mutation($i: IdentifyContactInput!) { identifyContact(input: $i) { status } }`, {
      i: { contactId, traits },
    });
  const track = async (keys: WorkspaceKeys, interactions: Record<string, unknown>[]) => {
    const sent = await gql<{ trackInteractions: { accepted: number } }>(
      http(),
      keys.keys.write,
      `mutation($i: [InteractionInput!]!) { trackInteractions(interactions: $i) { accepted } }`,
      { i: interactions },
    );
    expect(sent.data?.trackInteractions.accepted).toBe(interactions.length);
  };
  /** The contact's health once scoring applied `scored` interactions. */
  const healthOf = (keys: WorkspaceKeys, id: string, scored: number) =>
    waitFor(
      `${id} scored`,
      async () => {
        const c = (
          await gql<{ contact: { score: { scoredInteractions: number }; health: Health | null } | null }>(
            http(),
            keys.keys.read,
            CONTACT,
            { id },
          )
        ).data?.contact;
        return c?.score.scoredInteractions === scored ? { health: c.health } : null;
      },
      { timeoutMs: 60_000 },
    );

  it('refuses bad policy fields by name, and only to admins; keeps each workspace’s policy apart', async () => {
    const bad = await gql(http(), acme.keys.admin, POLICY, {
      i: { nps: { good: 11 }, supportLoad: { good: 6 }, sentiment: { weight: -1 } },
    });
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [
        { path: 'input.sentiment.weight', message: 'must be between 0 and 100; got -1' },
        { path: 'input.supportLoad.good', message: 'must be below poor (5): lower is better' },
        { path: 'input.nps.good', message: 'must be between 0 and 10; got 11' },
      ],
    });
    const notAdmin = await gql(http(), acme.keys.write, POLICY, { i: { nps: { good: 7 } } });
    expect(notAdmin.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });

    // NPS is GOOD from 7 in acme (default 9).
    const changed = await gql<{ updateHealthPolicy: { version: number; measures: { name: string; good: number }[] } }>(
      http(),
      acme.keys.admin,
      POLICY,
      { i: { nps: { good: 7 } } },
    );
    expect(changed.errors).toBeUndefined();
    expect(changed.data!.updateHealthPolicy.version).toBe(1);
    expect(changed.data!.updateHealthPolicy.measures.find((m) => m.name === 'nps')).toMatchObject({
      good: 7,
      poor: 6,
      weight: 20,
    });
    const policyOf = async (keys: WorkspaceKeys) =>
      (
        await gql<{ healthPolicy: { version: number; measures: { name: string; good: number }[] } }>(
          http(),
          keys.keys.read,
          `{ healthPolicy { version measures { name good } } }`,
        )
      ).data!.healthPolicy;
    expect((await policyOf(acme)).version).toBe(1);
    const other = await policyOf(globex);
    expect(other.version).toBe(0);
    expect(other.measures.find((m) => m.name === 'nps')!.good).toBe(9);
  });

  it('scores a customer by the hand-computed formula, a prospect not at all, and rolls the account up from its customers', async () => {
    // Given acme's policy of the test above (NPS GOOD from 7), set here too so this test stands alone,
    // and, at acme.example: a buyer with a purchase, an NPS of 8, two tickets, a feature error, a happy comment;
    // a colleague with a purchase and an NPS of 10; a visitor who bought nothing.
    expect((await gql(http(), acme.keys.admin, POLICY, { i: { nps: { good: 7 } } })).errors).toBeUndefined();
    for (const id of ['buyer', 'colleague', 'visitor']) await identify(acme, id, { accountId: 'acme.example' });
    await track(acme, [
      { id: 'b1', kind: 'PURCHASE', contactId: 'buyer', properties: { amount: 100 } },
      { id: 'b2', kind: 'SURVEY_RESPONSE', contactId: 'buyer', properties: { nps: 8 } },
      { id: 'b3', kind: 'SUPPORT_TICKET', contactId: 'buyer' },
      { id: 'b4', kind: 'SUPPORT_TICKET', contactId: 'buyer' },
      { id: 'b5', kind: 'FEATURE_ERROR', contactId: 'buyer', properties: { feature: 'export' } },
      {
        id: 'b6',
        kind: 'COMMENT_ADDED',
        contactId: 'buyer',
        properties: { text: 'I love this product, it is great and wonderful', language: 'en' },
      },
      { id: 'c1', kind: 'PURCHASE', contactId: 'colleague', properties: { amount: 50 } },
      { id: 'c2', kind: 'SURVEY_RESPONSE', contactId: 'colleague', properties: { nps: 10 } },
      { id: 'v1', kind: 'PAGE_VISIT', contactId: 'visitor' },
    ]);
    // Another workspace's contacts at an account of the same id, unhappy: never part of acme's account.
    await identify(globex, 'buyer', { accountId: 'acme.example' });
    await track(globex, [
      { id: 'g1', kind: 'PURCHASE', contactId: 'buyer' },
      { id: 'g2', kind: 'SURVEY_RESPONSE', contactId: 'buyer', properties: { nps: 1 } },
    ]);

    const { health: buyer } = await healthOf(acme, 'buyer', 6);
    // Then (README "Health score", acme's policy):
    //   productUsage: 1 active day (the error) in 30 = 0.033 ≤ 0.1 → POOR    0 × 0.30 = 0   (lost 30)
    //   engagementTrend: 6 this fortnight, 0 before → 1 → GOOD             100 × 0.20 = 20
    //   sentiment: one text, positive ≥ 0.1 → GOOD                         100 × 0.15 = 15
    //   supportLoad: 2 tickets + 1 feature error = 3 → CONCERNING           50 × 0.15 = 7.5
    //   nps: 8 ≥ 7 (acme's threshold) → GOOD                               100 × 0.20 = 20
    expect(buyer).toMatchObject({ score: 62.5, status: 'CONCERNING', pulledDownBy: 'productUsage' });
    expect(
      buyer!.measures.map(({ name, status, weight, contribution }) => [name, status, weight, contribution]),
    ).toEqual([
      ['productUsage', 'POOR', 0.3, 0],
      ['engagementTrend', 'GOOD', 0.2, 20],
      ['sentiment', 'GOOD', 0.15, 15],
      ['supportLoad', 'CONCERNING', 0.15, 7.5],
      ['nps', 'GOOD', 0.2, 20],
    ]);
    expect(buyer!.measures.map((m) => m.value).filter((_, i) => i !== 2)).toEqual([0.033, 1, 3, 8]);
    expect(buyer!.measures[2]!.value).toBeGreaterThanOrEqual(0.1);

    // The colleague: no usage, no text → trend, support and NPS only, all GOOD.
    const { health: colleague } = await healthOf(acme, 'colleague', 2);
    expect(colleague).toMatchObject({ score: 100, status: 'GOOD', pulledDownBy: null });
    expect(colleague!.measures.map((m) => m.name)).toEqual(['engagementTrend', 'supportLoad', 'nps']);
    // A prospect has no health.
    expect((await healthOf(acme, 'visitor', 1)).health).toBeNull();
    // The other workspace's buyer: NPS 1 by the default policy.
    const { health: theirs } = await healthOf(globex, 'buyer', 2);
    expect(theirs!.measures.find((m) => m.name === 'nps')).toMatchObject({ value: 1, status: 'POOR' });

    // The account (ingestion) with its health (scoring): the two customers, (62.5 + 100) ÷ 2 = 81.25;
    // per measure the mean of their points: usage 0, trend 100, sentiment 100, support 75, NPS 100.
    const account = await waitFor('the account', async () => {
      const found = (
        await gql<{ account: { id: string; health: (Health & { contacts: number }) | null } | null }>(
          http(),
          acme.keys.read,
          ACCOUNT,
          { id: 'acme.example' },
        )
      ).data?.account;
      return found ?? null;
    });
    expect(account.health).toMatchObject({ score: 81.25, status: 'GOOD', contacts: 2, pulledDownBy: 'productUsage' });
    expect(account.health!.measures.map(({ name, value, status }) => [name, value, status])).toEqual([
      ['productUsage', 0, 'POOR'],
      ['engagementTrend', 100, 'GOOD'],
      ['sentiment', 100, 'GOOD'],
      ['supportLoad', 75, 'GOOD'],
      ['nps', 100, 'GOOD'],
    ]);
    // The other workspace's account of the same id: its one customer only.
    const elsewhere = await waitFor('the other workspace’s account', async () => {
      const found = (
        await gql<{ account: { health: { contacts: number; score: number } | null } | null }>(
          http(),
          globex.keys.read,
          ACCOUNT,
          { id: 'acme.example' },
        )
      ).data?.account;
      return found ?? null;
    });
    expect(elsewhere.health).toMatchObject({ contacts: 1 });
  });
});
