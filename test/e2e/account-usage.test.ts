// Product usage per account through the real gateway: ingestion's Account carries scoring's
// productUsage (one query joins both subgraphs by the account's id), the accounts to upsell come
// back with ingestion's account fields, and today's trend bucket counts the texts and the
// contacts per declared feature; another workspace with an account of the same id sees its own.
import { databaseName } from '@cei/config';
import { connectDatabase, type Database } from '@cei/mongo';
import { testNamespace, waitFor } from '@cei/testing';
import { createWorkspace, type WorkspaceKeys } from '@cei/gateway/src/auth/api-keys';
import { startPlatform, type Platform } from '../src/platform';
import { gql } from '../src/gateway-client';

const ACCOUNT = /* GraphQL */ `
  query ($id: ID!) {
    account(id: $id) {
      id
      name
      productUsage {
        contacts
        activeContactsLast30
        features {
          key
          uses
          errors
          contacts
        }
        highValueUnused {
          key
          reason
        }
        breadth
        usesLast30Days
        activeDaysLast30
      }
    }
  }
`;
interface AccountView {
  account: {
    id: string;
    name: string | null;
    productUsage: { usesLast30Days: number } & Record<string, unknown>;
  } | null;
}

describe('product usage per account, through the gateway', () => {
  let platform: Platform;
  let gatewayDb: Database;
  let acme: WorkspaceKeys;
  let other: WorkspaceKeys;
  const http = () => platform.gateways[0]!.httpUrl;

  beforeAll(async () => {
    const namespace = testNamespace('e2e-account-usage');
    platform = await startPlatform({ natsUrl: process.env.NATS_URL!, mongoUrl: process.env.MONGO_URL!, namespace });
    gatewayDb = await connectDatabase(process.env.MONGO_URL!, databaseName(namespace, 'gateway'));
    acme = await createWorkspace(gatewayDb.connection);
    other = await createWorkspace(gatewayDb.connection);
  }, 90_000);
  afterAll(async () => {
    await gatewayDb?.close();
    await platform?.stop();
  });

  const ok = async <T>(key: string, query: string, variables: Record<string, unknown> = {}) => {
    const response = await gql<T>(http(), key, query, variables);
    expect(response.errors).toBeUndefined();
    return response.data!;
  };
  const identify = (keys: WorkspaceKeys, contactId: string, accountId: string) =>
    ok(keys.keys.write, `mutation($i: IdentifyContactInput!) { identifyContact(input: $i) { status } }`, {
      i: { contactId, traits: { accountId } },
    });
  const track = (keys: WorkspaceKeys, interactions: Record<string, unknown>[]) =>
    ok(keys.keys.write, `mutation($i: [InteractionInput!]!) { trackInteractions(interactions: $i) { accepted } }`, {
      i: interactions,
    });
  const declare = (keys: WorkspaceKeys, key: string, highValue: boolean) =>
    ok(keys.keys.admin, `mutation($i: ProductFeatureInput!) { createProductFeature(input: $i) { key } }`, {
      i: { key, name: key.toUpperCase(), highValue },
    });

  it('joins an account’s usage to ingestion’s account, lists accounts to upsell, and counts today’s trend series', async () => {
    await declare(acme, 'reports', true);
    await declare(acme, 'api', true);
    await declare(acme, 'export', false);
    await declare(other, 'reports', true);
    await ok(acme.keys.admin, `mutation { saveAccount(input: { id: "globex.example", name: "Globex" }) { id } }`);
    await identify(acme, 'ann', 'globex.example');
    await identify(acme, 'bob', 'globex.example');
    await identify(acme, 'cy', 'initech.example');
    await identify(other, 'zed', 'globex.example');
    await track(acme, [
      { id: 'u1', kind: 'FEATURE_USAGE', contactId: 'ann', properties: { feature: 'reports' } },
      { id: 'u2', kind: 'FEATURE_USAGE', contactId: 'bob', properties: { feature: 'reports', error: true } },
      { id: 'u3', kind: 'FEATURE_USAGE', contactId: 'bob', properties: { feature: 'export' } },
      { id: 't1', kind: 'COMMENT_ADDED', contactId: 'ann', properties: { text: 'Excellent service!', language: 'en' } },
    ]);
    await track(other, [{ id: 'z1', kind: 'FEATURE_USAGE', contactId: 'zed', properties: { feature: 'reports' } }]);

    const globex = await waitFor(
      'globex usage',
      async () => {
        const { account } = await ok<AccountView>(acme.keys.read, ACCOUNT, { id: 'globex.example' });
        return account?.productUsage.usesLast30Days === 3 ? account : null;
      },
      { timeoutMs: 60_000 },
    );
    // ann's reports, bob's failed reports and export: reports by two contacts; api nobody's.
    expect(globex).toEqual({
      id: 'globex.example',
      name: 'Globex',
      productUsage: {
        contacts: 2,
        activeContactsLast30: 2,
        features: [
          { key: 'reports', uses: 2, errors: 1, contacts: 2 },
          { key: 'export', uses: 1, errors: 0, contacts: 1 },
        ],
        highValueUnused: [{ key: 'api', reason: 'NEVER' }],
        // reports and export of three declared.
        breadth: 0.667,
        usesLast30Days: 3,
        activeDaysLast30: 1,
      },
    });

    // A page of accounts: their usage read together (one read of the workspace's contacts).
    const page = await waitFor(
      'initech listed with its contact',
      async () => {
        const { accounts } = await ok<{
          accounts: { entries: { id: string; productUsage: { contacts: number; usesLast30Days: number } }[] };
        }>(acme.keys.read, `{ accounts(first: 10) { entries { id productUsage { contacts usesLast30Days } } } }`);
        const entries = [...accounts.entries].sort((a, b) => a.id.localeCompare(b.id));
        return entries.length === 2 && entries[1]!.productUsage.contacts === 1 ? entries : null;
      },
      { timeoutMs: 60_000 },
    );
    expect(page).toEqual([
      { id: 'globex.example', productUsage: { contacts: 2, usesLast30Days: 3 } },
      { id: 'initech.example', productUsage: { contacts: 1, usesLast30Days: 0 } },
    ]);

    const upsell = await ok<{ accountUpsellOpportunities: unknown[] }>(
      acme.keys.read,
      `{ accountUpsellOpportunities { account { id name } features { key } usesLast30Days } }`,
    );
    expect(upsell.accountUpsellOpportunities).toEqual([
      { account: { id: 'globex.example', name: 'Globex' }, features: [{ key: 'api' }], usesLast30Days: 3 },
    ]);

    const now = new Date().toISOString();
    const today = await waitFor(
      'today’s text counted',
      async () => {
        const { trends } = await ok<{
          trends: { buckets: { sentiment: { texts: number }; featureAdoption: unknown[] }[] };
        }>(
          acme.keys.read,
          `query($at: DateTime!) { trends(from: $at, to: $at) { buckets {
            sentiment { texts positive meanScore } featureAdoption { feature contacts } } } }`,
          { at: now },
        );
        return trends.buckets[0]!.sentiment.texts === 1 ? trends.buckets[0]! : null;
      },
      { timeoutMs: 60_000 },
    );
    expect(today).toEqual({
      sentiment: { texts: 1, positive: 1, meanScore: 0.514 },
      featureAdoption: [
        { feature: 'reports', contacts: 2 },
        { feature: 'export', contacts: 1 },
        { feature: 'api', contacts: 0 },
      ],
    });

    // The other workspace's globex.example: its one contact, its own catalog.
    const elsewhere = await waitFor(
      'the other globex',
      async () => {
        const { account } = await ok<AccountView>(other.keys.read, ACCOUNT, { id: 'globex.example' });
        return account?.productUsage.usesLast30Days === 1 ? account : null;
      },
      { timeoutMs: 60_000 },
    );
    expect(elsewhere.name).toBeNull();
    expect(elsewhere.productUsage).toMatchObject({ contacts: 1, features: [{ key: 'reports', contacts: 1 }] });
  });
});
