// What a subscriber reads is what was stored: the gateway resolves a phaseChanged
// payload from every subgraph after the event, so every hop must have written what
// its event says before publishing it. Many contacts cross the purchase threshold at
// once, and every payload's contact score must equal the score of its own transition.
//
// Each contact's crossing click is followed by interactions worth nothing, in the
// same scoring batch: scoring publishes the click's change and then the others
// before the batch's one write of the contact. Publishing before writing (the bug
// this guards against) lost the race for 36–38 of the 40 contacts here, in every run.
//
// The payload's first fetch is answered from the event when it selects only what the event
// carries (gateway/src/subscriptions/event-entity.ts): the last test checks that such a payload
// is what lifecycle and scoring answer for the same id, and that it arrives with lifecycle gone.
import { databaseName } from '@cei/config';
import { messageIds, topology, type PhaseChanged } from '@cei/contracts';
import { connectNats } from '@cei/nats';
import { connectDatabase, type Database } from '@cei/mongo';
import { testNamespace, waitFor } from '@cei/testing';
import { createWorkspace, type WorkspaceKeys } from '@cei/gateway/src/auth/api-keys';
import { startPlatform, type Platform } from '../src/platform';
import { gql, subscribe, type LiveSubscription } from '../src/gateway-client';

const CONTACTS = 40;
const POINTS = 40;
/** Interactions worth no points that follow each contact's crossing click. */
const FOLLOWERS = 100;
/** Contacts per trackInteractions call (the calls go in parallel; a call holds at most 500). */
const CONTACTS_PER_CALL = 4;
/** Phase changes published at once to one subscriber (their entity fetches go to scoring together). */
const BURST = 20;

const PHASE_CHANGED = /* GraphQL */ `
  subscription {
    phaseChanged {
      id
      to
      score
      contact {
        id
        score {
          general
        }
      }
    }
  }
`;
const TRACK = /* GraphQL */ `
  mutation Track($interactions: [InteractionInput!]!) {
    trackInteractions(interactions: $interactions) {
      accepted
    }
  }
`;

/** Every PhaseTransition field a phase change event carries. */
const CARRIED_FIELDS = `{ id from to at reason score cause interactionId contact { id } }`;
const CARRIED = `subscription { phaseChanged ${CARRIED_FIELDS} }`;
/** Every ScoreChange field a score change event carries. */
const SCORE_FIELDS = `{ id cause interactionId kind delta general stage engagementIndex at contact { id } }`;
const SOLO = 'solo';
/** A contact only the event published by the test knows. */
const GHOST = 'ghost';

type PhaseEvent = {
  phaseChanged: { id: string; to: string; score: number; contact: { id: string; score: { general: number } } };
};

describe('subscription payloads agree with their events', () => {
  let platform: Platform;
  let gatewayDb: Database;
  let workspace: WorkspaceKeys;
  let live: LiveSubscription<PhaseEvent> | undefined;
  const subscriptions: LiveSubscription<unknown>[] = [];
  /** Every request body the gateway sent scoring. */
  const toScoring: string[] = [];

  beforeAll(async () => {
    const namespace = testNamespace('payloads');
    platform = await startPlatform({
      natsUrl: process.env.NATS_URL!,
      mongoUrl: process.env.MONGO_URL!,
      namespace,
      observe: { scoring: (body) => toScoring.push(body.toString('utf8')) },
    });
    gatewayDb = await connectDatabase(process.env.MONGO_URL!, databaseName(namespace, 'gateway'));
    workspace = await createWorkspace(gatewayDb.connection);
  }, 90_000);
  afterAll(async () => {
    await live?.dispose();
    await Promise.all(subscriptions.map((subscription) => subscription.dispose()));
    await gatewayDb?.close();
    await platform?.stop();
  });

  it('resolves every phaseChanged payload to the score its transition was made at', async () => {
    // Given one rule worth more than the purchase threshold, and no decay
    const http = platform.gateways[0]!.httpUrl;
    const created = await gql(
      http,
      workspace.keys.admin,
      `mutation { createScoringRule(input: { kind: EMAIL_CLICK, points: ${POINTS} }) { id } }`,
    );
    expect(created.errors).toBeUndefined();
    const policy = await gql(
      http,
      workspace.keys.admin,
      `mutation { updateLifecyclePolicy(input: { purchaseScore: 12, exitScore: 5, hysteresis: 2 }) { purchaseScore } }`,
    );
    expect(policy.errors).toBeUndefined();
    live = subscribe<PhaseEvent>(platform.gateways[0]!.wsUrl, workspace.keys.read, PHASE_CHANGED);
    await live.connected;

    // When many contacts cross the threshold at once: a click, then interactions worth nothing
    const perContact = (contactId: string) =>
      Array.from({ length: 1 + FOLLOWERS }, (_, n) => ({
        id: `${contactId}-${n}`,
        kind: n === 0 ? 'EMAIL_CLICK' : 'LIVE_CHAT',
        contactId,
      }));
    const calls = Array.from({ length: CONTACTS / CONTACTS_PER_CALL }, (_, call) =>
      Array.from({ length: CONTACTS_PER_CALL }, (_, i) => perContact(`c${call * CONTACTS_PER_CALL + i}`)).flat(),
    );
    const tracked = await Promise.all(
      calls.map((interactions) =>
        gql<{ trackInteractions: { accepted: number } }>(http, workspace.keys.write, TRACK, { interactions }),
      ),
    );
    expect(tracked.map((t) => t.data?.trackInteractions.accepted)).toEqual(calls.map((c) => c.length));

    // Then every payload shows the score its own transition was made at
    const results = await waitFor(
      `${CONTACTS} phase changes`,
      () => live!.results.length >= CONTACTS && live!.results,
      {
        timeoutMs: 60_000,
      },
    );
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    const payloads = results.map((r) => r.data!.phaseChanged);
    expect(new Set(payloads.map((p) => p.contact.id)).size).toBe(CONTACTS);
    expect(payloads.every((p) => p.to === 'PURCHASE' && p.score === POINTS)).toBe(true);
    const disagreeing = payloads.filter((p) => p.contact.score.general !== p.score);
    expect(disagreeing).toEqual([]);
  }, 120_000);

  it('fetches the contacts of a burst of phase changes from scoring together, each payload with its own', async () => {
    // Given contacts scoring counted 1, 2, … 20 interactions of (worth nothing), and a subscriber of their counts
    const ids = Array.from({ length: BURST }, (_, i) => `burst-${i}`);
    const http = platform.gateways[0]!.httpUrl;
    const interactions = ids.flatMap((contactId, i) =>
      Array.from({ length: i + 1 }, (_, n) => ({ id: `${contactId}-${n}`, kind: 'LIVE_CHAT', contactId })),
    );
    const tracked = await gql(http, workspace.keys.write, TRACK, { interactions });
    expect(tracked.errors).toBeUndefined();
    await waitFor('every burst contact counted', async () => {
      const counts = await Promise.all(
        ids.map((id) =>
          gql<{ contact: { interactionCount: number } | null }>(
            http,
            workspace.keys.read,
            `query($id: ID!) { contact(id: $id) { interactionCount } }`,
            { id },
          ),
        ),
      );
      return counts.every((c, i) => c.data?.contact?.interactionCount === i + 1);
    });
    const burst = subscribe<{ phaseChanged: { id: string; contact: { id: string; interactionCount: number } } }>(
      platform.gateways[0]!.wsUrl,
      workspace.keys.read,
      `subscription { phaseChanged(filter: { contactIds: ${JSON.stringify(ids)} }) { id contact { id interactionCount } } }`,
    );
    subscriptions.push(burst);
    await burst.connected;
    toScoring.length = 0;

    // When their phase changes arrive together (published as lifecycle does, all at once)
    const nats = await connectNats(process.env.NATS_URL!, 'payloads-burst');
    try {
      const subjects = topology(platform.namespace).subjects;
      await Promise.all(
        ids.map((contactId) => {
          const event: PhaseChanged = {
            v: 1,
            workspaceId: workspace.workspaceId,
            contactId,
            transitionId: `${contactId}~1`,
            from: 'NURTURE',
            to: 'PURCHASE',
            half: 'PROSPECT',
            reason: 'a burst',
            at: '2026-12-05T10:00:00.000Z',
            score: 40,
            cause: 'INTERACTION',
            interactionId: null,
          };
          return nats.js.publish(subjects.phaseChanged(workspace.workspaceId, contactId), JSON.stringify(event), {
            msgID: messageIds.phaseChanged(workspace.workspaceId, event.transitionId),
          });
        }),
      );
    } finally {
      await nats.close();
    }

    // Then each payload has its own contact's count
    const results = await waitFor('every burst payload', () => burst.results.length >= BURST && burst.results);
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    const counted = Object.fromEntries(
      results.map((r) => [r.data!.phaseChanged.contact.id, r.data!.phaseChanged.contact.interactionCount]),
    );
    expect(counted).toEqual(Object.fromEntries(ids.map((id, i) => [id, i + 1])));
    // And scoring was asked for every contact once, in fewer requests than there were payloads
    const fetches = toScoring
      .map((body) => JSON.parse(body) as { query: string; variables?: { representations?: { id: string }[] } })
      // (the first test's subscriber, still live, fetches their scores apart: another selection)
      .filter((body) => body.query.includes('_entities') && body.query.includes('interactionCount'))
      .map((body) => (body.variables?.representations ?? []).map((r) => r.id))
      .filter((asked) => asked.some((id) => ids.includes(id)));
    expect(fetches.flat().sort()).toEqual([...ids].sort());
    expect(fetches.length).toBeLessThan(BURST);
  }, 60_000);

  // Runs last: it kills lifecycle.
  it('answers what a phase change carries from the event itself, and fetches from lifecycle what it does not', async () => {
    // Given a subscriber of every field the event carries, and one of the contact's phase (lifecycle's, not in the event)
    const ws = platform.gateways[0]!.wsUrl;
    const carried = subscribe<{ phaseChanged: Record<string, unknown> }>(ws, workspace.keys.read, CARRIED);
    const beyond = subscribe<{ phaseChanged: { id: string; contact: { phase: string } } }>(
      ws,
      workspace.keys.read,
      `subscription { phaseChanged(filter: { contactIds: ["${SOLO}", "${GHOST}"] }) { id contact { id phase } } }`,
    );
    const scores = subscribe<{ scoreChanged: Record<string, unknown> }>(
      ws,
      workspace.keys.read,
      `subscription { scoreChanged(filter: { contactIds: ["${SOLO}"] }) ${SCORE_FIELDS} }`,
    );
    subscriptions.push(carried, beyond, scores);
    await Promise.all([carried.connected, beyond.connected, scores.connected]);

    // When a contact crosses the threshold
    const http = platform.gateways[0]!.httpUrl;
    const tracked = await gql(http, workspace.keys.write, TRACK, {
      interactions: [{ id: 'solo-click', kind: 'EMAIL_CLICK', contactId: SOLO }],
    });
    expect(tracked.errors).toBeUndefined();

    // Then both payloads are what lifecycle answers for that transition
    const [pushed] = await waitFor('the solo contact pushed to both', () => {
      const mine = carried.results.filter((r) => (r.data?.phaseChanged.contact as { id: string })?.id === SOLO);
      return mine.length > 0 && beyond.results.length > 0 && mine;
    });
    expect(pushed!.errors).toBeUndefined();
    const transitionId = pushed!.data!.phaseChanged.id as string;
    const asked = await gql<{ phaseTransition: Record<string, unknown> }>(
      http,
      workspace.keys.read,
      `query($id: ID!) { phaseTransition(id: $id) ${CARRIED_FIELDS} }`,
      { id: transitionId },
    );
    expect(asked.data?.phaseTransition).toEqual(pushed!.data!.phaseChanged);
    expect(pushed!.data!.phaseChanged).toMatchObject({ from: 'NURTURE', to: 'PURCHASE', score: POINTS });
    const [scored] = await waitFor('the solo score change pushed', () => scores.results.length > 0 && scores.results);
    const change = await gql<{ scoreChange: Record<string, unknown> }>(
      http,
      workspace.keys.read,
      `query($id: ID!) { scoreChange(id: $id) ${SCORE_FIELDS} }`,
      { id: scored!.data!.scoreChanged.id },
    );
    expect(change.data?.scoreChange).toEqual(scored!.data!.scoreChanged);
    expect(scored!.data!.scoreChanged).toMatchObject({
      cause: 'INTERACTION',
      interactionId: 'solo-click',
      delta: POINTS,
    });
    expect(beyond.results[0]).toMatchObject({
      data: { phaseChanged: { id: transitionId, contact: { id: SOLO, phase: 'PURCHASE' } } },
    });

    // When lifecycle is gone and a phase change arrives on its subject (published as lifecycle does)
    await platform.kill('lifecycle');
    const nats = await connectNats(process.env.NATS_URL!, 'payloads-test');
    try {
      const event: PhaseChanged = {
        v: 1,
        workspaceId: workspace.workspaceId,
        contactId: GHOST,
        transitionId: `${GHOST}~1`,
        from: 'NURTURE',
        to: 'PURCHASE',
        half: 'PROSPECT',
        reason: 'general score 40 reached the purchase threshold 12',
        at: '2026-12-04T10:00:00.000Z',
        score: 40,
        cause: 'INTERACTION',
        interactionId: 'ghost-click',
        first: true,
      };
      const subjects = topology(platform.namespace).subjects;
      await nats.js.publish(subjects.phaseChanged(event.workspaceId, GHOST), JSON.stringify(event), {
        msgID: messageIds.phaseChanged(event.workspaceId, event.transitionId),
      });

      // Then the first subscriber gets it, from the event alone
      const ghost = await waitFor('the ghost contact pushed', () =>
        carried.results.find((r) => (r.data?.phaseChanged.contact as { id: string })?.id === GHOST),
      );
      expect(ghost).toEqual({
        data: {
          phaseChanged: {
            id: `${GHOST}~1`,
            from: 'NURTURE',
            to: 'PURCHASE',
            at: '2026-12-04T10:00:00.000Z',
            reason: event.reason,
            score: 40,
            cause: 'INTERACTION',
            interactionId: 'ghost-click',
            contact: { id: GHOST },
          },
        },
        extensions: { eventId: expect.any(String) },
      });
      // And the second, which needs lifecycle, is told it could not be resolved (after the gateway's retries)
      const failed = await waitFor('the second subscriber told', () => beyond.results[1], { timeoutMs: 20_000 });
      expect(failed.data?.phaseChanged ?? null).toBeNull();
      expect(failed.errors?.length).toBeGreaterThan(0);
    } finally {
      await nats.close();
    }
  }, 90_000);
});
