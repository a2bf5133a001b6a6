// What a subscriber reads is what was stored: the gateway resolves a phaseChanged
// payload from every subgraph after the event, so every hop must have written what
// its event says before publishing it. Many contacts cross the purchase threshold at
// once, and every payload's contact score must equal the score of its own transition.
//
// Each contact's crossing click is followed by interactions worth nothing, in the
// same scoring batch: scoring publishes the click's change and then the others
// before the batch's one write of the contact. Publishing before writing (the bug
// this guards against) lost the race for 36–38 of the 40 contacts here, in every run.
import { databaseName } from '@cei/config';
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

type PhaseEvent = {
  phaseChanged: { id: string; to: string; score: number; contact: { id: string; score: { general: number } } };
};

describe('subscription payloads agree with their events', () => {
  let platform: Platform;
  let gatewayDb: Database;
  let workspace: WorkspaceKeys;
  let live: LiveSubscription<PhaseEvent> | undefined;

  beforeAll(async () => {
    const namespace = testNamespace('payloads');
    platform = await startPlatform({ natsUrl: process.env.NATS_URL!, mongoUrl: process.env.MONGO_URL!, namespace });
    gatewayDb = await connectDatabase(process.env.MONGO_URL!, databaseName(namespace, 'gateway'));
    workspace = await createWorkspace(gatewayDb.connection);
  }, 90_000);
  afterAll(async () => {
    await live?.dispose();
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
});
