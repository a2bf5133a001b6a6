// A first purchase worth few points, through the real platform: the purchase moves the
// contact into RETENTION, scoring then restarts its stage score (a score change with no
// interaction, the same low score), and lifecycle must not measure that change against
// the exit threshold: a new customer has a grace period before EXIT can apply.
import { databaseName } from '@cei/config';
import { partitionOf, scoreChangesIn, topology, type ScoreChanged } from '@cei/contracts';
import { connectDatabase, type Database } from '@cei/mongo';
import { probeSubject, testNamespace, waitFor, type NatsProbe } from '@cei/testing';
import { createWorkspace, type WorkspaceKeys } from '@cei/gateway/src/auth/api-keys';
import { startPlatform, type Platform } from '../src/platform';
import { gql, subscribe, type LiveSubscription } from '../src/gateway-client';

const PHASE_CHANGED = /* GraphQL */ `
  subscription {
    phaseChanged {
      from
      to
      reason
      score
      contact {
        id
      }
    }
  }
`;
type PhaseEvent = {
  phaseChanged: { from: string; to: string; reason: string; score: number; contact: { id: string } };
};

describe('a first purchase worth few points, end to end', () => {
  const namespace = testNamespace('e2e-first-purchase');
  let platform: Platform;
  let gatewayDb: Database;
  let workspace: WorkspaceKeys;
  let scores: NatsProbe<ScoreChanged>;
  let live: LiveSubscription<PhaseEvent> | undefined;

  beforeAll(async () => {
    platform = await startPlatform({ natsUrl: process.env.NATS_URL!, mongoUrl: process.env.MONGO_URL!, namespace });
    gatewayDb = await connectDatabase(process.env.MONGO_URL!, databaseName(namespace, 'gateway'));
    workspace = await createWorkspace(gatewayDb.connection);
    scores = await probeSubject<ScoreChanged>(
      topology(namespace).subjects.workspaceScoreChanges(workspace.workspaceId),
      undefined,
      scoreChangesIn,
    );
  }, 90_000);
  afterAll(async () => {
    await live?.dispose();
    await scores?.close();
    await gatewayDb?.close();
    await platform?.stop();
  });

  it('keeps the new customer in RETENTION after the stage reset that follows the purchase (no EXIT)', async () => {
    const http = platform.gateways[0]!.httpUrl;
    // Given a purchase worth 3 points and the default policy (EXIT below 20, 30 days of grace)
    const rule = await gql(
      http,
      workspace.keys.admin,
      `mutation { createScoringRule(input: { kind: PURCHASE, points: 3 }) { id } }`,
    );
    expect(rule.errors).toBeUndefined();
    const policy = await gql(http, workspace.keys.read, `{ lifecyclePolicy { exitEnterScore newCustomerGraceDays } }`);
    expect(policy.data).toEqual({ lifecyclePolicy: { exitEnterScore: 20, newCustomerGraceDays: 30 } });
    live = subscribe<PhaseEvent>(platform.gateways[0]!.wsUrl, workspace.keys.read, PHASE_CHANGED);
    await live.connected;
    const track = (id: string, contactId: string) =>
      gql(
        http,
        workspace.keys.write,
        `mutation($i: [InteractionInput!]!) { trackInteractions(interactions: $i) { accepted } }`,
        { i: [{ id, kind: 'PURCHASE', contactId, properties: { amount: 5 } }] },
      );

    // When a prospect buys for the first time
    await track('p1', 'ivy');
    await waitFor('NURTURE → RETENTION', () => live!.results.length >= 1);
    // and scoring restarts the stage score for the new phase (the change that used to send ivy to EXIT)
    await waitFor('the stage reset', () =>
      scores.events.some((e) => e.payload.contactId === 'ivy' && e.payload.cause === 'STAGE_RESET'),
    );
    // Sentinel: a first purchase of a contact in ivy's partition, scored after the reset was stored:
    // lifecycle applies the partition in stream order, so the reset was evaluated before it.
    const neighbour = Array.from({ length: 1000 }, (_, i) => `n${i}`).find(
      (id) => partitionOf(workspace.workspaceId, id) === partitionOf(workspace.workspaceId, 'ivy'),
    )!;
    await track('p2', neighbour);
    await waitFor('the sentinel’s transition', () => live!.results.length >= 2);

    // Then ivy is a customer in RETENTION, with the one transition of her purchase
    expect(live.results.map((r) => r.errors ?? r.data!.phaseChanged)).toEqual([
      { from: 'NURTURE', to: 'RETENTION', reason: 'first purchase', score: 3, contact: { id: 'ivy' } },
      { from: 'NURTURE', to: 'RETENTION', reason: 'first purchase', score: 3, contact: { id: neighbour } },
    ]);
    const card = await gql<{ contact: unknown }>(
      http,
      workspace.keys.read,
      `{ contact(id: "ivy") { phase half score { general } phaseHistory { from to reason score cause interactionId } } }`,
    );
    expect(card.data).toEqual({
      contact: {
        phase: 'RETENTION',
        half: 'CUSTOMER',
        score: { general: 3 },
        phaseHistory: [
          {
            from: 'NURTURE',
            to: 'RETENTION',
            reason: 'first purchase',
            score: 3,
            cause: 'INTERACTION',
            interactionId: 'p1',
          },
        ],
      },
    });
  });
});
