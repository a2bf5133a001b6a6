// The lifecycle policy's rules through the real gateway and the real platform: bad input
// named by field and nothing changed, a write key refused, the re-evaluation job readable by
// its workspace only, and a churn-likelihood rule applied with the likelihoods scoring puts
// on its score changes.
import { databaseName } from '@cei/config';
import { scoreChangesIn, topology, type ScoreChanged } from '@cei/contracts';
import { connectDatabase, type Database } from '@cei/mongo';
import { probeSubject, testNamespace, waitFor, type NatsProbe } from '@cei/testing';
import { createWorkspace, type WorkspaceKeys } from '@cei/gateway/src/auth/api-keys';
import { startPlatform, type Platform } from '../src/platform';
import { gql } from '../src/gateway-client';

const UPDATE = /* GraphQL */ `
  mutation ($input: LifecyclePolicyInput!) {
    updateLifecyclePolicy(input: $input) {
      churnExitLikelihood
      newCustomerGraceDays
      reevaluation {
        id
      }
    }
  }
`;
const JOB = `query($id: ID!) { lifecyclePolicyJob(id: $id) { id status total done transitions } }`;

describe('lifecycle policy rules through the gateway', () => {
  const namespace = testNamespace('e2e-lifecycle-policy');
  let platform: Platform;
  let gatewayDb: Database;
  let acme: WorkspaceKeys;
  let globex: WorkspaceKeys;
  let scores: NatsProbe<ScoreChanged>;
  const http = () => platform.gateways[0]!.httpUrl;

  beforeAll(async () => {
    platform = await startPlatform({ natsUrl: process.env.NATS_URL!, mongoUrl: process.env.MONGO_URL!, namespace });
    gatewayDb = await connectDatabase(process.env.MONGO_URL!, databaseName(namespace, 'gateway'));
    acme = await createWorkspace(gatewayDb.connection);
    globex = await createWorkspace(gatewayDb.connection);
    scores = await probeSubject<ScoreChanged>(
      topology(namespace).subjects.workspaceScoreChanges(acme.workspaceId),
      undefined,
      scoreChangesIn,
    );
  }, 90_000);
  afterAll(async () => {
    await scores?.close();
    await gatewayDb?.close();
    await platform?.stop();
  });

  it('names every wrong rule field with 400 and changes nothing; refuses a write key with 403', async () => {
    const bad = await gql(http(), acme.keys.admin, UPDATE, {
      input: { churnExitLikelihood: 1.5, cancelledExitDays: -1, stageEnterPurchaseScore: 0 },
    });
    expect(bad.status).toBe(400);
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [
        { path: 'input.stageEnterPurchaseScore', message: 'must be above 0' },
        { path: 'input.churnExitLikelihood', message: 'a likelihood: above 0, at most 1' },
        { path: 'input.cancelledExitDays', message: 'between 0 and 3660' },
      ],
    });
    const denied = await gql(http(), acme.keys.write, UPDATE, { input: { churnExitLikelihood: 0.5 } });
    expect(denied.status).toBe(403);
    const policy = await gql(http(), acme.keys.read, `{ lifecyclePolicy { churnExitLikelihood reevaluation { id } } }`);
    expect(policy.data).toEqual({ lifecyclePolicy: { churnExitLikelihood: null, reevaluation: null } });
  });

  it('sends a customer to EXIT by the churn likelihood scoring computed, and serves the job to its workspace only', async () => {
    // Given a policy with no grace and a churn rule any fresh customer reaches (its likelihood is above 0.01)
    const set = await gql<{ updateLifecyclePolicy: { reevaluation: { id: string } } }>(
      http(),
      acme.keys.admin,
      UPDATE,
      { input: { churnExitLikelihood: 0.01, newCustomerGraceDays: 0 } },
    );
    expect(set.errors).toBeUndefined();
    const jobId = set.data!.updateLifecyclePolicy.reevaluation.id;
    // The job (no contacts yet) is done, for acme; another workspace cannot see it
    await waitFor('the job done', async () => {
      const job = await gql<{ lifecyclePolicyJob: { status: string } | null }>(http(), acme.keys.read, JOB, {
        id: jobId,
      });
      return job.data?.lifecyclePolicyJob?.status === 'DONE';
    });
    const foreign = await gql(http(), globex.keys.admin, JOB, { id: jobId });
    expect(foreign.data).toEqual({ lifecyclePolicyJob: null });

    // When a prospect buys, for 60 points (well above the exit threshold: only the churn rule can apply)
    const rule = await gql(
      http(),
      acme.keys.admin,
      `mutation { createScoringRule(input: { kind: PURCHASE, points: 60 }) { id } }`,
    );
    expect(rule.errors).toBeUndefined();
    const tracked = await gql(
      http(),
      acme.keys.write,
      `mutation($i: [InteractionInput!]!) { trackInteractions(interactions: $i) { accepted } }`,
      { i: [{ id: 'buy1', kind: 'PURCHASE', contactId: 'zoe', properties: { amount: 20 } }] },
    );
    expect(tracked.errors).toBeUndefined();
    // Then scoring's score changes carry its likelihoods, and lifecycle sends the customer to EXIT by churn
    await waitFor('a score change of zoe', () => scores.events.some((e) => e.payload.contactId === 'zoe'));
    const change = scores.events.find((e) => e.payload.contactId === 'zoe')!.payload;
    expect(change.likelihoods).toEqual({ churn: expect.any(Number), purchase: expect.any(Number) });
    const card = await waitFor('zoe in EXIT', async () => {
      const answer = await gql<{ contact: { phase: string; phaseHistory: { to: string; reason: string }[] } }>(
        http(),
        acme.keys.read,
        `{ contact(id: "zoe") { phase phaseHistory { to reason } } }`,
      );
      return answer.data?.contact.phase === 'EXIT' && answer.data.contact;
    });
    expect(card.phaseHistory.map((t) => t.to)).toEqual(['EXIT', 'RETENTION']);
    expect(card.phaseHistory[0]!.reason).toMatch(/^churn likelihood 0\.\d+ reached 0\.01$/);
  });
});
