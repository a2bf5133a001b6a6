// Trends through the real gateway: interactions tracked over HTTP reach scoring and lifecycle, and
// one query answers a bucket with fields of both subgraphs (scoring's figures, lifecycle's phases,
// joined by the bucket id); another workspace's contacts count in none of it.
import { waitFor } from '@cei/testing';
import type { WorkspaceKeys } from '@cei/gateway/src/auth/api-keys';
import { gql } from '../src/gateway-client';
import { platformWithTwoWorkspaces } from '../src/two-workspaces';

const TRACK = `mutation($i: [InteractionInput!]!) { trackInteractions(interactions: $i) { accepted } }`;
const TRENDS = /* GraphQL */ `
  query ($from: DateTime!, $to: DateTime!) {
    trends(from: $from, to: $to) {
      buckets {
        id
        closed
        contacts
        engagementIndex {
          mean
          median
        }
        phases {
          phase
          contacts
        }
        churnRisk
      }
    }
  }
`;
interface Trends {
  trends: {
    buckets: {
      id: string;
      closed: boolean;
      contacts: number | null;
      engagementIndex: { mean: number | null; median: number | null } | null;
      phases: { phase: string; contacts: number }[];
      churnRisk: number | null;
    }[];
  };
}

describe('trends through the gateway', () => {
  const env = platformWithTwoWorkspaces('e2e-trends');
  const http = env.http;
  let acme: WorkspaceKeys;
  let other: WorkspaceKeys;
  beforeAll(() => {
    ({ acme, globex: other } = env);
  });

  it("answers today's bucket with scoring's figures and lifecycle's phases, for the caller's workspace only", async () => {
    for (const ws of [acme, other]) {
      const rule = await gql(
        http(),
        ws.keys.admin,
        `mutation { createScoringRule(input: { kind: PAGE_VISIT, points: 10 }) { id } }`,
      );
      expect(rule.errors).toBeUndefined();
    }
    const now = new Date().toISOString();
    const visits = (prefix: string, counts: Record<string, number>) =>
      Object.entries(counts).flatMap(([contactId, n]) =>
        Array.from({ length: n }, (_, k) => ({
          id: `${prefix}-${contactId}-${k}`,
          kind: 'PAGE_VISIT',
          contactId,
          occurredAt: now,
        })),
      );
    // acme: general 10, 20, 30 → index 9.5, 18.1, 25.9, all NURTURE. The other workspace: one
    // contact at 50 → 39.3, in PURCHASE (the default threshold: 50).
    expect(
      (await gql(http(), acme.keys.write, TRACK, { i: visits('acme', { ann: 1, bob: 2, cat: 3 }) })).errors,
    ).toBeUndefined();
    expect((await gql(http(), other.keys.write, TRACK, { i: visits('other', { dan: 5 }) })).errors).toBeUndefined();

    const today = { from: now, to: now };
    const trendsOf = async (key: string) => {
      const response = await gql<Trends>(http(), key, TRENDS, today);
      expect(response.errors).toBeUndefined();
      return response.data!.trends.buckets;
    };
    const acmeBuckets = await waitFor(
      'acme’s three contacts scored and in lifecycle',
      async () => {
        const buckets = await trendsOf(acme.keys.read);
        const [bucket] = buckets;
        return bucket?.engagementIndex?.mean === 17.83 && bucket.phases[0]!.contacts === 3 ? buckets : null;
      },
      // The whole pipeline on a shared, busy machine: a deadline, not a timing claim.
      { timeoutMs: 60_000 },
    );
    const phases = (nurture: number, purchase = 0) => [
      { phase: 'NURTURE', contacts: nurture },
      { phase: 'PURCHASE', contacts: purchase },
      { phase: 'RETENTION', contacts: 0 },
      { phase: 'EXIT', contacts: 0 },
    ];
    expect(acmeBuckets).toEqual([
      {
        id: `DAY:${now.slice(0, 10)}`,
        closed: false,
        contacts: 3,
        engagementIndex: { mean: 17.83, median: 18.1 },
        phases: phases(3),
        churnRisk: 0,
      },
    ]);
    const otherBuckets = await waitFor(
      'the other workspace’s contact scored and in lifecycle',
      async () => {
        const buckets = await trendsOf(other.keys.read);
        return buckets[0]?.contacts === 1 && buckets[0].phases[1]!.contacts === 1 ? buckets : null;
      },
      // The whole pipeline on a shared, busy machine: a deadline, not a timing claim.
      { timeoutMs: 60_000 },
    );
    expect(otherBuckets[0]).toMatchObject({
      contacts: 1,
      engagementIndex: { mean: 39.3, median: 39.3 },
      phases: phases(0, 1),
    });
  }, 150_000);
});
