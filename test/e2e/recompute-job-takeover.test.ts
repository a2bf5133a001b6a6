// A recompute job outlives the instance that sends its requests. Two scoring instances split
// the partitions: one a real process, which takes the recomputeScores mutation and sends the
// job's requests at a slow rate, and is killed -9 part-way through; the other (in this process)
// finds the job's lease run out, takes the job over and sends the rest. The job ends DONE with
// every contact counted once, and each contact's score is rebuilt by the job once (asserted
// after a later interaction of every contact, applied after anything the job sent it).
import { databaseName } from '@cei/config';
import { topology, type InteractionRecorded } from '@cei/contracts';
import { connectDatabase, type Database } from '@cei/mongo';
import { connectNats, publishInteraction, type Nats } from '@cei/nats';
import {
  callSubgraph,
  contactsOnEach,
  pinnedPartitions,
  serviceEnv,
  splitPartitions,
  testNamespace,
  testWorkspace,
  waitFor,
} from '@cei/testing';
import { freePort } from '@cei/testing/src/readiness';
import { loadScoringConfig } from '@cei/scoring/src/config';
import { scoreDoc, scoringModels, type ContactScoreRow, type ScoringModels } from '@cei/scoring/src/models';
import { startScoring, type Scoring } from '@cei/scoring/src/server';
import { AppProcess, waitUntilHealthy } from '../../infra/local/app-processes';
import { expectTakenOver, jobKey, killFirstRunAfter } from '../src/job-takeover';

const CONTACTS = 120;
/** A short lease (renewed every 500 ms) and a slow rate: the job sends for 6 s, the test kills it within. */
const JOB_ENV = { CEI_RECOMPUTE_JOB_LEASE_MS: '1500', CEI_RECOMPUTE_JOB_RATE: '20' };
/** Requests the first run has recorded sending when the test kills it. */
const KILL_AFTER = 20;

describe('a recompute job whose instance is killed while it sends', () => {
  const namespace = testNamespace('recomputetakeover');
  const ns = topology(namespace);
  let victim: AppProcess;
  let victimUrl: string;
  let survivor: Scoring;
  let nats: Nats;
  let db: Database;
  let models: ScoringModels;

  beforeAll(async () => {
    const port = await freePort();
    victimUrl = `http://127.0.0.1:${port}/graphql`;
    victim = new AppProcess({
      name: 'scoring-victim',
      dir: 'services/scoring',
      port,
      env: { ...process.env, ...serviceEnv(namespace, { ...JOB_ENV, SCORING_PORT: String(port) }) },
    });
    await waitUntilHealthy(victim, { timeoutMs: 30_000 });
    survivor = await startScoring(loadScoringConfig(serviceEnv(namespace, { ...JOB_ENV, SCORING_PORT: '0' })));
    nats = await connectNats(process.env['NATS_URL']!, 'recompute-takeover-test');
    db = await connectDatabase(process.env['MONGO_URL']!, databaseName(namespace, 'scoring'), 2);
    models = scoringModels(db.connection);
    const warmWs = testWorkspace();
    await splitPartitions({
      pinned: [() => pinnedPartitions(victimUrl, 'scoring'), () => pinnedPartitions(survivor.url, 'scoring')],
      workspaceId: warmWs,
      publish: (contactId) => record(visit(warmWs, contactId)),
      unpin: (p) => nats.jsm.consumers.unpin(ns.streams.interactions.name, `scoring-p${p}`, 'owner'),
    });
  }, 90_000);
  afterAll(async () => {
    await nats?.close();
    await db?.close();
    await survivor?.stop();
    await victim?.stop();
  });

  let counter = 0;
  const visit = (workspaceId: string, contactId: string): InteractionRecorded => {
    const at = new Date().toISOString();
    return {
      v: 1,
      workspaceId,
      interactionId: `i${++counter}`,
      contactId,
      email: null,
      kind: 'PAGE_VISIT',
      variant: null,
      occurredAt: at,
      recordedAt: at,
      properties: {},
    };
  };
  const record = (event: InteractionRecorded) => publishInteraction(nats.js, ns, event);
  /** Records a visit of each contact and waits until every one is applied: all before it was too. */
  const visitEach = async (ws: string, ids: readonly string[]) => {
    const seqs = new Map<string, number>();
    for (const contactId of ids) seqs.set(contactId, (await record(visit(ws, contactId))).seq);
    await waitFor(
      `${ids.length} visits applied`,
      async () => {
        const rows = await models.ContactScore.find({ workspaceId: ws }, { contactId: 1, lastSeq: 1 }).lean().exec();
        return rows.filter((r) => r.lastSeq >= (seqs.get(r.contactId) ?? Infinity)).length === ids.length;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
  };
  const admin = async <T>(url: string, ws: string, query: string, variables: Record<string, unknown> = {}) => {
    const response = await callSubgraph<T>(url, { workspaceId: ws, role: 'admin' }, query, variables);
    expect(response.errors).toBeUndefined();
    return response.data!;
  };
  type Job = { id: string; state: string; total: number | null; done: number; changed: number };
  const jobOf = async (ws: string, id: string) =>
    (
      await admin<{ recomputeJob: Job | null }>(
        survivor.url,
        ws,
        `query($id: ID!) { recomputeJob(id: $id) { id state total done changed } }`,
        { id },
      )
    ).recomputeJob;

  it('is taken over by the other instance and rebuilds every contact exactly once', async () => {
    // Given contacts in both instances' partitions, each with one visit scored at 1 point
    const ws = testWorkspace();
    await admin(victimUrl, ws, `mutation { createScoringRule(input: { kind: PAGE_VISIT, points: 1 }) { id } }`);
    const pins = await Promise.all([pinnedPartitions(victimUrl, 'scoring'), pinnedPartitions(survivor.url, 'scoring')]);
    const ids = contactsOnEach(ws, 'c', CONTACTS, pins);
    await visitEach(ws, ids);

    // When a visit is worth 3 points, and the instance that takes recomputeScores is killed -9 while it sends
    await admin(victimUrl, ws, `mutation { updateScoringRule(id: "PAGE_VISIT:*", input: { points: 3 }) { id } }`);
    const started = await admin<{ recomputeScores: { id: string } }>(
      victimUrl,
      ws,
      `mutation { recomputeScores { id } }`,
    );
    const jobId = started.recomputeScores.id;
    const runsOf = jobKey(ws, jobId);
    const killed = await killFirstRunAfter(models.RecomputeJobRun, runsOf, {
      after: KILL_AFTER,
      total: CONTACTS,
      victim,
    });

    // Then the other instance takes the job over and finishes it: every contact counted once
    const job = await waitFor(
      `recompute job ${jobId} done`,
      async () => {
        const j = await jobOf(ws, jobId);
        return j?.state === 'DONE' && j;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const exact = { id: jobId, state: 'DONE', total: CONTACTS, done: CONTACTS, changed: CONTACTS };
    expect(job).toEqual(exact);
    await expectTakenOver(models.RecomputeJobRun, runsOf, killed, CONTACTS);

    // And after a later visit of every contact (applied after anything the job sent it, in its
    // partition's order), each contact was rebuilt by the job once, under the new rule, and the
    // job still counts each once
    await visitEach(ws, ids);
    const docs = (await models.ContactScore.find({ workspaceId: ws }).lean<ContactScoreRow[]>().exec()).map(scoreDoc);
    expect(docs).toHaveLength(CONTACTS);
    for (const doc of docs) {
      expect({ contactId: doc.contactId, general: doc.state.general, scored: doc.state.scoredInteractions }).toEqual({
        contactId: doc.contactId,
        general: 6,
        scored: 2,
      });
      expect(doc.recomputedBy?.filter((r) => r.jobId === jobId)).toEqual([
        {
          jobId,
          seq: expect.any(Number),
          before: { general: 1, stage: 1, tags: {} },
          after: { general: 3, stage: 3, tags: {} },
          dryRun: false,
        },
      ]);
    }
    expect(await jobOf(ws, jobId)).toEqual(exact);
  });
});
