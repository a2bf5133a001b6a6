// Recompute job progress against a real MongoDB-compatible server: each contact's request
// is counted once, whatever order a partition's owner applies requests in (it keeps order
// per contact only: a request held back by a retry comes after later requests of other
// contacts) and however often a request is redelivered.
import { createLogger } from '@cei/config';
import { topology } from '@cei/contracts';
import { connectDatabase, type Database } from '@cei/mongo';
import { connectNats, type Nats } from '@cei/nats';
import { testNamespace, testWorkspace } from '@cei/testing';
import { emptyState } from '../domain/score-state';
import { scoringModels, type RecomputeJobDoc, type ScoringModels } from '../models';
import { createRecomputeJobs, type JobStep, type RecomputeJobs } from './recompute-jobs';

describe('recompute job progress', () => {
  const ns = testNamespace('recompute-progress');
  let db: Database;
  let models: ScoringModels;
  let nats: Nats;
  let jobs: RecomputeJobs;
  beforeAll(async () => {
    db = await connectDatabase(process.env['MONGO_URL']!, ns);
    nats = await connectNats(process.env['NATS_URL']!, 'recompute-progress-test');
    models = scoringModels(db.connection);
    // The jobs' requests are never published here: the steps are given to recordProgress directly.
    jobs = createRecomputeJobs({
      db,
      models,
      nats,
      topology: topology(ns),
      log: createLogger('recompute-progress-test', 'silent'),
      now: () => new Date(),
      leaseMs: 30_000,
      rate: 0,
    });
  });
  afterAll(async () => {
    await jobs?.stop();
    await nats?.close();
    await db?.close();
  });

  async function jobOf(total: number): Promise<{ workspaceId: string; jobId: string }> {
    const workspaceId = testWorkspace();
    const job: RecomputeJobDoc = {
      _id: `${workspaceId}:job-1`,
      workspaceId,
      jobId: 'job-1',
      dryRun: false,
      rules: null,
      actor: 'admin',
      total,
      state: 'RUNNING',
      error: null,
      startedAt: new Date(),
    };
    await models.RecomputeJob.create(job);
    return { workspaceId, jobId: 'job-1' };
  }

  const step = (workspaceId: string, contactId: string, seq: number, replayed = false): JobStep => {
    const before = emptyState();
    return {
      jobId: 'job-1',
      seq,
      doc: { workspaceId, contactId },
      before,
      after: { ...before, general: seq },
      dryRun: false,
      replayed,
    };
  };

  it('counts a request applied after later ones of other contacts, and a redelivered one once', async () => {
    const { workspaceId, jobId } = await jobOf(3);
    // Given the owner applied bo's and cy's requests (seq 12, 15) while ada's (seq 10) was retried
    await jobs.recordProgress(4, [step(workspaceId, 'bo', 12), step(workspaceId, 'cy', 15)]);
    expect(await jobs.get(workspaceId, jobId)).toMatchObject({ state: 'RUNNING', done: 2 });

    // When ada's request succeeds at last, and then a batch is redelivered (counted before)
    await jobs.recordProgress(4, [step(workspaceId, 'ada', 10)]);
    await jobs.recordProgress(4, [step(workspaceId, 'bo', 12, true), step(workspaceId, 'ada', 10, true)]);

    // Then each contact counts once and the job is done
    expect(await jobs.get(workspaceId, jobId)).toMatchObject({ state: 'DONE', done: 3, changed: 3 });
  });

  it('keeps counting progress documents written before positions were kept as a set', async () => {
    const { workspaceId, jobId } = await jobOf(3);
    // A document of the previous version: positions up to lastSeq 20 were counted (two requests).
    await models.JobProgress.create({
      _id: `${workspaceId}:${jobId}:7`,
      workspaceId,
      done: 2,
      changed: 0,
      largest: [],
      lastSeq: 20,
      updatedAt: new Date(),
    });
    await jobs.recordProgress(7, [step(workspaceId, 'ada', 18, true), step(workspaceId, 'cy', 25)]);
    expect(await jobs.get(workspaceId, jobId)).toMatchObject({ state: 'DONE', done: 3 });
  });
});
