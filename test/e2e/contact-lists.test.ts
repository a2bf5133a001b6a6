// Lists of contacts through the real gateway: interactions tracked over HTTP are scored and
// reach lifecycle's list fields (tag scores, latest interaction) through the real pipeline; a
// read key lists its workspace's contacts with fields of every subgraph resolved through
// federation; another workspace's contacts are invisible to its lists and figures.
import { databaseName } from '@cei/config';
import { connectDatabase, type Database } from '@cei/mongo';
import { testNamespace, waitFor, type GraphQLResponse } from '@cei/testing';
import { createWorkspace, type WorkspaceKeys } from '@cei/gateway/src/auth/api-keys';
import { startPlatform, type Platform } from '../src/platform';
import { gql } from '../src/gateway-client';

const TRACK = `mutation($i: [InteractionInput!]!) { trackInteractions(interactions: $i) { accepted } }`;
const LIST = /* GraphQL */ `
  query ($filter: ContactFilter, $after: String) {
    contacts(filter: $filter, first: 2, after: $after) {
      edges {
        node {
          id
          email
          phase
          score {
            general
            tags {
              tag
              points
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;
interface ListPage {
  contacts: {
    edges: { node: { id: string; email: string | null; phase: string; score: { general: number } } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

describe('lists of contacts through the gateway', () => {
  const namespace = testNamespace('e2e-lists');
  let platform: Platform;
  let gatewayDb: Database;
  let acme: WorkspaceKeys;
  let other: WorkspaceKeys;
  const http = () => platform.gateways[0]!.httpUrl;

  beforeAll(async () => {
    platform = await startPlatform({ natsUrl: process.env.NATS_URL!, mongoUrl: process.env.MONGO_URL!, namespace });
    gatewayDb = await connectDatabase(process.env.MONGO_URL!, databaseName(namespace, 'gateway'));
    [acme, other] = [await createWorkspace(gatewayDb.connection), await createWorkspace(gatewayDb.connection)];
  }, 90_000);
  afterAll(async () => {
    await gatewayDb?.close();
    await platform?.stop();
  });

  /** Every contact a key's list holds (2 per page), with the filter given. */
  async function list(key: string, filter: Record<string, unknown> = {}) {
    const nodes: ListPage['contacts']['edges'][number]['node'][] = [];
    let after: string | null = null;
    for (;;) {
      const page: GraphQLResponse<ListPage> = await gql<ListPage>(http(), key, LIST, { filter, after });
      expect(page.errors).toBeUndefined();
      nodes.push(...page.data!.contacts.edges.map((e) => e.node));
      if (!page.data!.contacts.pageInfo.hasNextPage) return nodes;
      after = page.data!.contacts.pageInfo.endCursor;
    }
  }

  it('lets a read key list and count its own contacts only, with every subgraph’s fields', async () => {
    for (const ws of [acme, other]) {
      const rule = await gql(
        http(),
        ws.keys.admin,
        `mutation { createScoringRule(input: { type: ADVANCED, kind: PAGE_VISIT, effect: { general: 10, tags: [{ tag: "shoes", points: 4 }] } }) { id } }`,
      );
      expect(rule.errors).toBeUndefined();
    }
    const visits = (prefix: string, contacts: string[]) =>
      contacts.flatMap((contactId, i) =>
        Array.from({ length: i + 1 }, (_, k) => ({
          id: `${prefix}-${contactId}-${k}`,
          kind: 'PAGE_VISIT',
          contactId,
          email: `${contactId}@${prefix}.example`,
          occurredAt: `2026-11-0${k + 1}T10:00:00Z`,
        })),
      );
    // Same contact ids in both workspaces: only the caller's may show.
    expect(
      (await gql(http(), acme.keys.write, TRACK, { i: visits('acme', ['ann', 'bob', 'cat']) })).errors,
    ).toBeUndefined();
    expect((await gql(http(), other.keys.write, TRACK, { i: visits('other', ['ann', 'dan']) })).errors).toBeUndefined();

    const listed = await waitFor('acme’s three contacts listed with their last scores', async () => {
      const nodes = await list(acme.keys.read);
      return nodes.length === 3 && nodes[0]!.score.general === 30 ? nodes : null;
    });
    expect(listed).toEqual([
      {
        id: 'cat',
        email: 'cat@acme.example',
        phase: 'NURTURE',
        score: { general: 30, tags: [{ tag: 'shoes', points: 12 }] },
      },
      {
        id: 'bob',
        email: 'bob@acme.example',
        phase: 'NURTURE',
        score: { general: 20, tags: [{ tag: 'shoes', points: 8 }] },
      },
      {
        id: 'ann',
        email: 'ann@acme.example',
        phase: 'NURTURE',
        score: { general: 10, tags: [{ tag: 'shoes', points: 4 }] },
      },
    ]);
    // Tag scores and the latest interaction reached lifecycle's list fields from scoring.
    expect((await list(acme.keys.read, { tag: 'shoes', tagScoreMin: 8 })).map((n) => n.id)).toEqual(['cat', 'bob']);
    expect((await list(acme.keys.read, { lastInteractionAfter: '2026-11-02T00:00:00Z' })).map((n) => n.id)).toEqual([
      'cat',
      'bob',
    ]);

    const otherList = await waitFor('the other workspace’s two contacts', async () => {
      const nodes = await list(other.keys.read);
      return nodes.length === 2 && nodes[0]!.score.general === 20 ? nodes : null;
    });
    expect(otherList.map((n) => [n.id, n.email])).toEqual([
      ['dan', 'dan@other.example'],
      ['ann', 'ann@other.example'],
    ]);

    const counts = await gql(http(), acme.keys.read, `{ phaseDistribution { current { phase contacts } } }`);
    expect(counts.data).toEqual({
      phaseDistribution: {
        current: [
          { phase: 'NURTURE', contacts: 3 },
          { phase: 'PURCHASE', contacts: 0 },
          { phase: 'RETENTION', contacts: 0 },
          { phase: 'EXIT', contacts: 0 },
        ],
      },
    });
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const cohort = await gql(
      http(),
      other.keys.read,
      `query($from: DateTime!, $to: DateTime!) { funnel(from: $from, to: $to) { entered } }`,
      { from, to },
    );
    expect(cohort.data).toEqual({ funnel: { entered: 2 } });
  });

  it('filters by qualification and owner over HTTP, never by another workspace’s owner', async () => {
    const ownerOf = async (keys: WorkspaceKeys, name: string) => {
      const created = await gql<{ createOwner: { id: string } }>(
        http(),
        keys.keys.admin,
        `mutation($n: String!) { createOwner(input: { name: $n }) { id } }`,
        { n: name },
      );
      expect(created.errors).toBeUndefined();
      return created.data!.createOwner.id;
    };
    const [ann, zed] = [await ownerOf(acme, 'Ann'), await ownerOf(other, 'Zed')];
    const assigned = await gql(
      http(),
      acme.keys.write,
      `mutation($c: ID!, $o: ID!) { assignOwner(contactId: $c, ownerId: $o) { id } }`,
      { c: 'cat', o: ann },
    );
    expect(assigned.errors).toBeUndefined();
    const ids = async (key: string, filter: Record<string, unknown>) => (await list(key, filter)).map((n) => n.id);
    expect(await ids(acme.keys.read, { ownerId: ann })).toEqual(['cat']);
    expect(await ids(acme.keys.read, { owned: false })).toEqual(['bob', 'ann']);
    // Scores of 10–30 stay below the default marketing threshold (40): no lead is MQL yet.
    expect(await ids(acme.keys.read, { qualifications: ['NONE'], owned: true })).toEqual(['cat']);
    expect(await ids(acme.keys.read, { qualifications: ['MQL'] })).toEqual([]);
    // The other workspace sees none of acme's owned contacts, and acme cannot filter by its owner.
    expect(await ids(other.keys.read, { owned: true })).toEqual([]);
    const foreign = await gql(http(), acme.keys.read, LIST, { filter: { ownerId: zed } });
    expect(foreign.data).toBeNull();
    expect(foreign.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: 'filter.ownerId', message: `no owner ${zed} in this workspace` }],
    });
  });

  it('refuses a bad filter over HTTP with the field named', async () => {
    const bad = await gql(http(), acme.keys.read, LIST, { filter: { scoreMin: 5, scoreMax: 1 } });
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: 'filter.scoreMax', message: 'not below filter.scoreMin (5)' }],
    });
  });
});
