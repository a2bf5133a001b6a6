// The whole path on real processes: an interaction in through the gateway, scored,
// evaluated, and the phase change pushed out over graphql-ws by every gateway
// instance — with fields of all four subgraphs — plus idempotency, tenancy and
// every kind of bad input the gateway must refuse cleanly.
import { databaseName } from '@cei/config';
import { partitionOf } from '@cei/contracts';
import { connectDatabase, type Database } from '@cei/mongo';
import { testNamespace, waitFor } from '@cei/testing';
import { createWorkspace, type WorkspaceKeys } from '@cei/gateway/src/auth/api-keys';
import { startPlatform, type Platform } from '../src/platform';
import { gql, subscribe, type LiveSubscription } from '../src/gateway-client';

const PHASE_CHANGED = /* GraphQL */ `
  subscription OnPhaseChanged($filter: PhaseChangedFilter) {
    phaseChanged(filter: $filter) {
      from
      to
      at
      reason
      contact {
        id
        email
        score {
          general
          engagementIndex
        }
      }
    }
  }
`;
const TRACK = /* GraphQL */ `
  mutation Track($interactions: [InteractionInput!]!) {
    trackInteractions(interactions: $interactions) {
      accepted
      duplicates
      rejected
      items {
        id
        status
        reason
      }
    }
  }
`;
const CONTACT_CARD = /* GraphQL */ `
  query Card($id: ID!) {
    contact(id: $id) {
      id
      email
      interactionCount
      score {
        general
        engagementIndex
        scoredInteractions
      }
      phase
      half
      phaseHistory {
        from
        to
        reason
      }
      notifications {
        event
        phase
      }
    }
  }
`;

type PhaseEvent = {
  phaseChanged: {
    from: string;
    to: string;
    at: string;
    reason: string;
    contact: { id: string; email: string | null; score: { general: number; engagementIndex: number } };
  };
};

describe('CEI end to end, through the gateway', () => {
  let platform: Platform;
  let gatewayDb: Database;
  let acme: WorkspaceKeys;
  let globex: WorkspaceKeys;
  const live: LiveSubscription<unknown>[] = [];

  beforeAll(async () => {
    const namespace = testNamespace('e2e');
    platform = await startPlatform({
      natsUrl: process.env.NATS_URL!,
      mongoUrl: process.env.MONGO_URL!,
      namespace,
      gateways: 2,
    });
    gatewayDb = await connectDatabase(process.env.MONGO_URL!, databaseName(namespace, 'gateway'));
    [acme, globex] = [await createWorkspace(gatewayDb.connection), await createWorkspace(gatewayDb.connection)];
  }, 90_000);
  afterAll(async () => {
    await Promise.all(live.map((s) => s.dispose()));
    await gatewayDb?.close();
    await platform?.stop();
  });

  const http = (i = 0) => platform.gateways[i]!.httpUrl;
  const watch = <T>(i: number, key: string, query: string, variables = {}) => {
    const subscription = subscribe<T>(platform.gateways[i]!.wsUrl, key, query, variables);
    live.push(subscription as LiveSubscription<unknown>);
    return subscription;
  };

  it('pushes NURTURE → PURCHASE → RETENTION to subscribers on every gateway, with fields of every subgraph', async () => {
    // Given an admin's rules and thresholds
    for (const input of [
      { kind: 'PAGE_VISIT', variant: 'AD', points: 5 },
      { kind: 'EMAIL_CLICK', points: 3 },
      { kind: 'PURCHASE', points: 30 },
      { kind: 'SOCIAL_DISLIKE', points: -45 },
    ]) {
      const created = await gql(
        http(),
        acme.keys.admin,
        `mutation($input: ScoringRuleInput!) { createScoringRule(input: $input) { id } }`,
        { input },
      );
      expect(created.errors).toBeUndefined();
    }
    // (No grace for new customers: ada's dislike right after her first purchase is to send her to EXIT.)
    const policy = await gql(
      http(1),
      acme.keys.admin,
      `mutation { updateLifecyclePolicy(input: { purchaseScore: 12, exitScore: 5, hysteresis: 2, newCustomerGraceDays: 0 }) { purchaseScore } }`,
    );
    expect(policy.data).toEqual({ updateLifecyclePolicy: { purchaseScore: 12 } });

    // and automation services subscribed on both gateways, and one of another workspace
    const onFirst = watch<PhaseEvent>(0, acme.keys.read, PHASE_CHANGED);
    const onSecond = watch<PhaseEvent>(1, acme.keys.read, PHASE_CHANGED, { filter: { phases: ['RETENTION'] } });
    const outsider = watch<PhaseEvent>(0, globex.keys.read, PHASE_CHANGED);
    await Promise.all([onFirst.connected, onSecond.connected, outsider.connected]);

    // When a front end tracks a batch
    const batch = [
      { id: 'e1', kind: 'PAGE_VISIT', contactId: 'ada', email: 'ada@example.com', source: 'AD' },
      { id: 'e2', kind: 'EMAIL_CLICK', contactId: 'ada', channel: 'MAILING' },
      { id: 'e3', kind: 'PAGE_VISIT', contactId: 'ada', source: 'AD' },
    ];
    const tracked = await gql(http(), acme.keys.write, TRACK, { interactions: batch });
    expect(tracked.data).toMatchObject({ trackInteractions: { accepted: 3, duplicates: 0, rejected: 0 } });

    // Then the subscriber sees the move into PURCHASE, resolved across subgraphs
    const [purchase] = await waitFor('NURTURE → PURCHASE', () => onFirst.results.length >= 1 && onFirst.results);
    expect(purchase!.errors).toBeUndefined();
    expect(purchase!.data!.phaseChanged).toMatchObject({
      from: 'NURTURE',
      to: 'PURCHASE',
      reason: 'score 13 reached the purchase threshold 12',
      contact: { id: 'ada', email: 'ada@example.com', score: { general: 13, engagementIndex: 12.2 } },
    });

    // And a first purchase moves the contact into the customer half, on both gateways
    await gql(http(1), acme.keys.write, TRACK, {
      interactions: [{ id: 'e4', kind: 'PURCHASE', contactId: 'ada', properties: { amount: 99 } }],
    });
    const reached = (s: LiveSubscription<PhaseEvent>, to: string) =>
      s.results.some((r) => r.data?.phaseChanged.to === to);
    await waitFor('PURCHASE → RETENTION on gateway 1', () => reached(onFirst, 'RETENTION'));
    await waitFor('PURCHASE → RETENTION on gateway 2', () => reached(onSecond, 'RETENTION'));
    expect(onFirst.results[1]!.data!.phaseChanged).toMatchObject({
      from: 'PURCHASE',
      to: 'RETENTION',
      reason: 'first purchase',
      contact: { score: { general: 43 } },
    });
    // The filtered subscriber got only the RETENTION transition (the PURCHASE one came before it).
    expect(onSecond.results.map((r) => r.data!.phaseChanged.to)).toEqual(['RETENTION']);

    // The contact card answers from all four subgraphs in one query
    const card = await waitFor('the card with the notification log', async () => {
      const r = await gql<{ contact: { notifications: unknown[] } }>(http(), acme.keys.read, CONTACT_CARD, {
        id: 'ada',
      });
      return r.data?.contact?.notifications.length === 2 && r;
    });
    expect(card.data).toEqual({
      contact: {
        id: 'ada',
        email: 'ada@example.com',
        interactionCount: 4,
        score: { general: 43, engagementIndex: 34.9, scoredInteractions: 4 },
        phase: 'RETENTION',
        half: 'CUSTOMER',
        phaseHistory: [
          { from: 'PURCHASE', to: 'RETENTION', reason: 'first purchase' },
          { from: 'NURTURE', to: 'PURCHASE', reason: 'score 13 reached the purchase threshold 12' },
        ],
        notifications: [
          { event: 'PHASE_CHANGED', phase: 'RETENTION' },
          { event: 'PHASE_CHANGED', phase: 'PURCHASE' },
        ],
      },
    });

    // Sending the same batch again changes nothing
    const again = await gql(http(), acme.keys.write, TRACK, { interactions: batch });
    expect(again.data).toMatchObject({ trackInteractions: { accepted: 0, duplicates: 3, rejected: 0 } });
    // Sentinel: ada's next interaction moves her to EXIT, through every hop the duplicates would have
    // taken; whatever they caused reached the subscriber before it.
    await gql(http(), acme.keys.write, TRACK, {
      interactions: [{ id: 'e5', kind: 'SOCIAL_DISLIKE', contactId: 'ada' }],
    });
    await waitFor('RETENTION → EXIT on gateway 1', () => reached(onFirst, 'EXIT'));
    expect(onFirst.results.map((r) => [r.data!.phaseChanged.to, r.data!.phaseChanged.contact.score.general])).toEqual([
      ['PURCHASE', 13],
      ['RETENTION', 43],
      ['EXIT', -2],
    ]);

    // The other workspace saw none of it, over WebSocket or HTTP. Its own sentinel, a first purchase of
    // its own contact ada on the same gateway, shows its subscription was live all along. (Its default
    // policy gives a new customer a grace period: the purchase's 0 points keep ada in RETENTION.)
    await gql(http(), globex.keys.write, TRACK, {
      interactions: [{ id: 'g1', kind: 'PURCHASE', contactId: 'ada', properties: { amount: 5 } }],
    });
    await waitFor('the other workspace’s own transition', () => reached(outsider, 'RETENTION'));
    expect(outsider.results.map((r) => r.data!.phaseChanged)).toEqual([
      expect.objectContaining({ from: 'NURTURE', to: 'RETENTION', contact: expect.objectContaining({ email: null }) }),
    ]);
    // The notification log follows the phase change on its own consumer: wait for its entry too.
    const foreign = await waitFor('the other workspace’s ada on its card, with her notification', async () => {
      const r = await gql<{ contact: { interactionCount: number; notifications: unknown[] } | null }>(
        http(),
        globex.keys.admin,
        CONTACT_CARD,
        { id: 'ada' },
      );
      return r.data?.contact?.interactionCount === 1 && r.data.contact.notifications.length > 0 && r.data.contact;
    });
    expect(foreign).toMatchObject({
      id: 'ada',
      email: null,
      phase: 'RETENTION',
      notifications: [{ phase: 'RETENTION' }],
    });
  });

  it('lets a read key query but not mutate, and answers the plain collect endpoint', async () => {
    const denied = await gql(http(), acme.keys.read, TRACK, {
      interactions: [{ id: 'r1', kind: 'PAGE_VISIT', contactId: 'bo' }],
    });
    expect(denied.status).toBe(403);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const collected = await fetch(http().replace('/graphql', '/collect'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${acme.keys.write}` },
      body: JSON.stringify({
        interactions: [
          { id: 'k1', kind: 'STORE_VISIT', contactId: 'bo' },
          { id: 'k2', kind: 'NOPE', contactId: 'bo' },
        ],
      }),
    });
    expect(collected.status).toBe(200);
    expect(await collected.json()).toMatchObject({
      accepted: 1,
      rejected: 1,
      items: [
        { status: 'ACCEPTED' },
        { status: 'REJECTED', reason: expect.stringMatching(/^kind: unknown kind 'NOPE'/) },
      ],
    });
  });

  it('refuses bad requests with a code, a non-5xx status, and no change', async () => {
    const noKey = await gql(http(), null, `{ lifecyclePolicy { purchaseScore } }`);
    expect([noKey.status, noKey.errors?.[0]?.extensions?.code]).toEqual([401, 'UNAUTHENTICATED']);
    const unknownKey = await gql(http(), 'cei_admin_' + 'x'.repeat(32), `{ lifecyclePolicy { purchaseScore } }`);
    expect([unknownKey.status, unknownKey.errors?.[0]?.extensions?.code]).toEqual([401, 'UNAUTHENTICATED']);

    const huge = await fetch(http(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${acme.keys.write}` },
      body: JSON.stringify({
        query: TRACK,
        variables: {
          interactions: [{ id: 'h', kind: 'CUSTOM', contactId: 'h', properties: { blob: 'x'.repeat(2_000_000) } }],
        },
      }),
    });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe(
      'PAYLOAD_TOO_LARGE',
    );

    const overBatch = await gql(http(), acme.keys.write, TRACK, {
      interactions: Array.from({ length: 501 }, (_, i) => ({ id: `o${i}`, kind: 'PAGE_VISIT', contactId: 'over' })),
    });
    expect(overBatch.status).toBeLessThan(500);
    expect(overBatch.errors?.[0]?.extensions?.code).toBe('BATCH_TOO_LARGE');

    const deep = await gql(
      http(),
      acme.keys.read,
      `{ contact(id: "ada") { phaseHistory { contact { phaseHistory { contact { phaseHistory { contact { phaseHistory { contact { phaseHistory { contact { id } } } } } } } } } } } }`,
    );
    expect(deep.status).toBe(400);
    expect(deep.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_DEEP');

    // Sentinel: an accepted interaction of a contact in the partition of 'over', projected after
    // anything the refused batch could have caused.
    const neighbour = Array.from({ length: 1000 }, (_, i) => `n${i}`).find(
      (id) => partitionOf(acme.workspaceId, id) === partitionOf(acme.workspaceId, 'over'),
    )!;
    await gql(http(), acme.keys.write, TRACK, {
      interactions: [{ id: 'n1', kind: 'PAGE_VISIT', contactId: neighbour }],
    });
    await waitFor('the sentinel on its contact card', async () => {
      const r = await gql<{ contact: { interactionCount: number } | null }>(http(), acme.keys.read, CONTACT_CARD, {
        id: neighbour,
      });
      return r.data?.contact?.interactionCount === 1;
    });
    const overContact = await gql(http(), acme.keys.read, CONTACT_CARD, { id: 'over' });
    expect(overContact.data).toEqual({ contact: null });

    const badSocket = watch(0, 'cei_read_' + 'y'.repeat(32), PHASE_CHANGED);
    await expect(badSocket.connected).rejects.toThrow(/closed 44\d\d/);
  });
});
