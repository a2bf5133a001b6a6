// A policy re-evaluation job outlives the instance that sends its requests. Two lifecycle
// instances split the partitions: one a real process, which takes the policy change and
// sends the job's requests at a slow rate, and is killed -9 half-way through; the other
// (in this process) finds the job's lease run out, takes the job over and sends the rest.
// The job ends DONE with every contact counted once, and each contact is re-evaluated once:
// the policy's transitions are made and published once each, none missed, none doubled
// (asserted after a later score change of every contact, applied after anything the job sent).
import { databaseName } from '@cei/config';
import { messageIds, topology, type PhaseChanged, type ScoreChanged } from '@cei/contracts';
import { connectDatabase, type Database } from '@cei/mongo';
import { connectNats, publishEvent, type Nats } from '@cei/nats';
import {
  callSubgraph,
  contactsOnEach,
  pinnedPartitions,
  probeSubject,
  serviceEnv,
  splitPartitions,
  testNamespace,
  testWorkspace,
  waitFor,
  type NatsProbe,
} from '@cei/testing';
import { freePort } from '@cei/testing/src/readiness';
import { loadLifecycleConfig } from '@cei/lifecycle/src/config';
import { lifecycleDoc, lifecycleModels, type LifecycleModels } from '@cei/lifecycle/src/models';
import { startLifecycle, type Lifecycle } from '@cei/lifecycle/src/server';
import { AppProcess, waitUntilHealthy } from '../../infra/local/app-processes';
import { expectTakenOver, jobKey, killFirstRunAfter } from '../src/job-takeover';

const CONTACTS = 120;
/** A short lease (renewed every 500 ms) and a slow rate: the job sends for 6 s, the test kills it within. */
const JOB_ENV = { CEI_POLICY_JOB_LEASE_MS: '1500', CEI_POLICY_JOB_RATE: '20' };
/** Requests the first run has recorded sending when the test kills it. */
const KILL_AFTER = 20;
const POLICY = { purchaseEnterScore: 30, purchaseLeaveScore: 25, exitEnterScore: 20, exitLeaveScore: 25 };
const POLICY_CHANGED = '(lifecycle policy changed)';

describe('a policy job whose instance is killed while it sends', () => {
  const namespace = testNamespace('policytakeover');
  const ns = topology(namespace);
  let victim: AppProcess;
  let victimUrl: string;
  let survivor: Lifecycle;
  let nats: Nats;
  let db: Database;
  let models: LifecycleModels;
  let phaseChanges: NatsProbe<PhaseChanged>;

  beforeAll(async () => {
    const port = await freePort();
    victimUrl = `http://127.0.0.1:${port}/graphql`;
    victim = new AppProcess({
      name: 'lifecycle-victim',
      dir: 'services/lifecycle',
      port,
      env: { ...process.env, ...serviceEnv(namespace, { ...JOB_ENV, LIFECYCLE_PORT: String(port) }) },
    });
    await waitUntilHealthy(victim, { timeoutMs: 30_000 });
    survivor = await startLifecycle(loadLifecycleConfig(serviceEnv(namespace, { ...JOB_ENV, LIFECYCLE_PORT: '0' })));
    nats = await connectNats(process.env['NATS_URL']!, 'policy-takeover-test');
    db = await connectDatabase(process.env['MONGO_URL']!, databaseName(namespace, 'lifecycle'), 2);
    models = lifecycleModels(db);
    phaseChanges = await probeSubject<PhaseChanged>(ns.everyWorkspace.phasesChanged);
    const warmWs = testWorkspace();
    await splitPartitions({
      pinned: [() => pinnedPartitions(victimUrl, 'lifecycle'), () => pinnedPartitions(survivor.url, 'lifecycle')],
      workspaceId: warmWs,
      publish: (contactId) => publish(scoreChanged(warmWs, contactId, 1)),
      unpin: (p) => nats.jsm.consumers.unpin(ns.streams.scores.name, `lifecycle-p${p}`, 'owner'),
    });
  }, 90_000);
  afterAll(async () => {
    await phaseChanges?.close();
    await nats?.close();
    await db?.close();
    await survivor?.stop();
    await victim?.stop();
  });

  let counter = 0;
  const scoreChanged = (workspaceId: string, contactId: string, general: number): ScoreChanged => {
    const at = new Date().toISOString();
    return {
      v: 1,
      workspaceId,
      contactId,
      cause: 'INTERACTION',
      interactionId: `i${++counter}`,
      kind: 'PAGE_VISIT',
      occurredAt: at,
      delta: 0,
      general,
      stage: 0,
      engagementIndex: 0,
      at,
    };
  };
  const publish = (event: ScoreChanged) =>
    publishEvent(
      nats.js,
      ns.subjects.scoreChanged(event.workspaceId, event.contactId),
      event,
      messageIds.scoreChanged(event.workspaceId, event.interactionId!),
    );
  /** Publishes a score change of each contact and waits until every one is applied: all before it was too. */
  const applyToEach = async (ws: string, scores: ReadonlyMap<string, number>) => {
    const seqs = new Map<string, number>();
    for (const [contactId, general] of scores)
      seqs.set(contactId, (await publish(scoreChanged(ws, contactId, general))).seq);
    await waitFor(
      `${scores.size} score changes applied`,
      async () => {
        const docs = await models.ContactLifecycle.find({ workspaceId: ws }).lean().exec();
        return docs.filter((d) => d.lastSeq >= (seqs.get(d.contactId) ?? Infinity)).length === scores.size;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
  };
  type Job = { id: string; status: string; total: number | null; done: number; transitions: number };
  const jobOf = async (ws: string, id: string) =>
    (
      await callSubgraph<{ lifecyclePolicyJob: Job | null }>(
        survivor.url,
        { workspaceId: ws, role: 'read' },
        `query($id: ID!) { lifecyclePolicyJob(id: $id) { id status total done transitions } }`,
        { id },
      )
    ).data!.lifecyclePolicyJob;

  it('is taken over by the other instance and re-evaluates every contact exactly once', async () => {
    // Given contacts in both instances' partitions, every other one at 35 (below the purchase
    // threshold of 50 now, above the 30 of the new policy) and the rest at 10
    const ws = testWorkspace();
    const pins = await Promise.all([
      pinnedPartitions(victimUrl, 'lifecycle'),
      pinnedPartitions(survivor.url, 'lifecycle'),
    ]);
    const ids = contactsOnEach(ws, 'c', CONTACTS, pins);
    const scores = new Map(ids.map((id, i) => [id, i % 2 === 0 ? 35 : 10]));
    await applyToEach(ws, scores);
    const moved = ids.filter((id) => scores.get(id) === 35);

    // When an admin lowers the threshold on the instance that is killed -9 while it sends the job's requests
    const set = await callSubgraph<{ updateLifecyclePolicy: { reevaluation: { id: string } } }>(
      victimUrl,
      { workspaceId: ws, role: 'admin' },
      `mutation($input: LifecyclePolicyInput!) { updateLifecyclePolicy(input: $input) { reevaluation { id } } }`,
      { input: POLICY },
    );
    expect(set.errors).toBeUndefined();
    const jobId = set.data!.updateLifecyclePolicy.reevaluation.id;
    const runsOf = jobKey(ws, jobId);
    const killed = await killFirstRunAfter(models.PolicyJobRun, runsOf, { after: KILL_AFTER, total: CONTACTS, victim });

    // Then the other instance takes the job over and finishes it: every contact counted once
    const job = await waitFor(
      `policy job ${jobId} done`,
      async () => {
        const j = await jobOf(ws, jobId);
        return j?.status === 'DONE' && j;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(job).toEqual({ id: jobId, status: 'DONE', total: CONTACTS, done: CONTACTS, transitions: moved.length });
    await expectTakenOver(models.PolicyJobRun, runsOf, killed, CONTACTS);

    // And after a later score change of every contact (applied after anything the job sent it,
    // its own partition's order), each contact was re-evaluated once: a transition for those the
    // policy moves, made once and published once, and nothing for the others
    await applyToEach(ws, new Map(ids.map((id) => [id, scores.get(id)!])));
    const docs = (await models.ContactLifecycle.find({ workspaceId: ws }).lean().exec()).map(lifecycleDoc);
    expect(docs).toHaveLength(CONTACTS);
    for (const doc of docs) {
      const movedHere = scores.get(doc.contactId) === 35;
      expect({ contactId: doc.contactId, phase: doc.phase, transitions: doc.transitionCount }).toEqual({
        contactId: doc.contactId,
        phase: movedHere ? 'PURCHASE' : 'NURTURE',
        transitions: movedHere ? 1 : 0,
      });
      expect(doc.reevaluations?.filter((r) => r.jobId === jobId)).toEqual([
        { jobId, seq: expect.any(Number), transitioned: movedHere },
      ]);
    }
    const published = phaseChanges.events.map((e) => e.payload).filter((c) => c.workspaceId === ws);
    expect(published.every((c) => c.to === 'PURCHASE' && c.reason.endsWith(POLICY_CHANGED))).toBe(true);
    expect([...new Set(published.map((c) => c.transitionId))].sort()).toEqual(moved.map((id) => `${id}~1`).sort());
  });
});
