// Recompute jobs: after rules change, every scored contact of a workspace is rebuilt
// from its stored records under the current rules (or, in a dry run, under rules to
// try, writing nothing but a comparison). The job only sends one RECOMPUTE request
// per contact into the contact's ordered partition; the contact's owner rebuilds it
// there, between two interactions, so live scoring never stops and no interaction is
// counted twice or missed. Each partition's owner records the job's progress.
//
// The job outlives the instance that sends its requests (createLeasedJobs in @cei/mongo):
// that instance holds the job by a lease renewed while it sends, with its count of requests
// sent; another instance takes over a job whose lease ran out and sends from that count on,
// over the contact list the first run recorded. A request sent again has the same message id
// (JetStream drops a copy within its duplicate window) and, later than that, is found applied
// on the contact's score document (recomputedBy): each contact is rebuilt, and counted, once.
import { invalidFields, messageIds, PARTITIONS, type ScoringRequested, type Topology } from '@cei/contracts';
import { appendNew, createLeasedJobs, loadByIds, workspaceContactIds, type Database } from '@cei/mongo';
import { publishEventWithRetry, type Nats } from '@cei/nats';
import type { Logger } from '@cei/config';
import { nanoid } from 'nanoid';
import type {
  ContactScoreDoc,
  JobProgressDoc,
  JobState,
  RecomputeJobDoc,
  ScoreComparison,
  ScorePreviewDoc,
  ScoringModels,
} from '../models';
import type { ScoringRule } from '../domain/rules';
import type { RecomputeFigures } from '../domain/contact-step';
import { validateRule, type ScoringRuleInput } from '../rules/validate-rule';

/** Largest changes a job keeps to show (per partition, then merged). */
const LARGEST_KEPT = 10;

export interface RecomputeJob {
  jobId: string;
  dryRun: boolean;
  state: JobState;
  total: number | null;
  done: number;
  changed: number;
  largest: ScoreComparison[];
  error: string | null;
  actor: string;
  startedAt: Date;
  /** Dry run: the rules tried (null: the workspace's). */
  rules: ScoringRule[] | null;
}

export interface JobStep {
  jobId: string;
  seq: number;
  doc: Pick<ContactScoreDoc, 'workspaceId' | 'contactId'>;
  before: RecomputeFigures;
  after: RecomputeFigures;
  dryRun: boolean;
  /** Applied already, by a document that does not say what it changed: counted at `seq`, compared no more. */
  replayed: boolean;
}

export interface RecomputeJobs {
  start(
    workspaceId: string,
    opts: { dryRun: boolean; rules: ScoringRuleInput[] | null },
    actor: string,
  ): Promise<RecomputeJob>;
  get(workspaceId: string, jobId: string): Promise<RecomputeJob | null>;
  /** The job as the owner of a contact needs it (cached: a job's definition never changes). */
  definition(workspaceId: string, jobId: string): Promise<Pick<RecomputeJobDoc, 'dryRun' | 'rules'> | null>;
  previews(workspaceId: string, jobId: string, contactIds: readonly string[]): Promise<ScoreComparison[]>;
  /**
   * Called by a partition's owner after its writes: counts each contact once, whatever is
   * redelivered or sent again (a step comes at the position that applied the job to its contact).
   */
  recordProgress(partition: number, steps: JobStep[]): Promise<void>;
  /**
   * Stops looking for jobs to take over and stops sending: each job running here is left with
   * its count of requests sent and a lease that has run out, for another instance to go on with.
   */
  stop(): Promise<void>;
}

export interface RecomputeDeps {
  db: Database;
  models: ScoringModels;
  nats: Nats;
  topology: Topology;
  log: Logger;
  /** Scoring's clock (a job's startedAt). */
  now: () => Date;
  /** How long a run holds its job without renewing (CEI_RECOMPUTE_JOB_LEASE_MS). */
  leaseMs: number;
  /** Requests sent per second by a run (CEI_RECOMPUTE_JOB_RATE; 0: as fast as NATS takes them). */
  rate: number;
  /** The real clock: leases are about processes being alive, not scoring's (test) clock. */
  clock?: () => number;
}

function comparison(contactId: string, before: RecomputeFigures, after: RecomputeFigures): ScoreComparison {
  const values = (s: RecomputeFigures) => ({ general: s.general, stage: s.stage, tags: s.tags });
  return { contactId, before: values(before), after: values(after) };
}

const changeSize = (c: ScoreComparison) => Math.abs(c.after.general - c.before.general);
const sameTags = (a: Record<string, number>, b: Record<string, number>) =>
  Object.keys({ ...a, ...b }).every((tag) => (a[tag] ?? 0) === (b[tag] ?? 0));

export function createRecomputeJobs(deps: RecomputeDeps): RecomputeJobs {
  const { models } = deps;
  const definitions = new Map<string, Pick<RecomputeJobDoc, 'dryRun' | 'rules'>>();
  const jobs = createLeasedJobs<RecomputeJobDoc>({
    db: deps.db,
    models: { runs: models.RecomputeJobRun, lists: models.RecomputeJobList, chunks: models.RecomputeJobListChunk },
    log: deps.log.child({ job: 'recompute' }),
    leaseMs: deps.leaseMs,
    rate: deps.rate,
    ...(deps.clock ? { clock: deps.clock } : {}),
    // A scan of a small collection (jobs are rare), by an instance's timer.
    unfinished: () => models.RecomputeJob.find({ state: 'RUNNING', total: null }).lean<RecomputeJobDoc[]>().exec(),
    // The workspace's scored contacts: a scan, but jobs are rare and off the event path.
    list: (job) => workspaceContactIds(models.ContactScore, job.workspaceId),
    async work(job, contactId) {
      const request: ScoringRequested = {
        v: 1,
        request: 'RECOMPUTE',
        workspaceId: job.workspaceId,
        contactId,
        jobId: job.jobId,
      };
      // A NATS hiccup should not fail a job of thousands of requests: tried again (same message id).
      await publishEventWithRetry(
        deps.nats.js,
        deps.topology.subjects.scoringRequested(job.workspaceId, contactId),
        request,
        messageIds.recompute(job.workspaceId, job.jobId, contactId),
      );
    },
    async finished(job, total) {
      await models.RecomputeJob.updateOne({ _id: job._id }, { $set: { total } }).exec();
      deps.log.info(
        { workspaceId: job.workspaceId, jobId: job.jobId, contacts: total, dryRun: job.dryRun },
        'recompute requested for every scored contact',
      );
    },
    async failed(job) {
      await models.RecomputeJob.updateOne(
        { _id: job._id },
        {
          $set: {
            state: 'FAILED',
            // The cause is in the log (with the job id); the API says what to do, not what broke inside.
            error:
              'could not request every contact (NATS or the database failed; logged with the job id); start the job again',
          },
        },
      ).exec();
    },
  });

  return {
    async start(workspaceId, { dryRun, rules }, actor) {
      if (rules && !dryRun) {
        throw invalidFields([
          {
            path: 'input.rules',
            message: 'rules to try are for a dry run; set dryRun: true, or change the rules first',
          },
        ]);
      }
      const tried =
        rules?.map((input, i) => ({ ...validateRule(input, `input.rules[${i}]`), ruleId: `try-${i + 1}` })) ?? null;
      const jobId = `job-${nanoid(12)}`;
      const job: RecomputeJobDoc = {
        _id: `${workspaceId}:${jobId}`,
        workspaceId,
        jobId,
        dryRun,
        rules: tried,
        actor,
        total: null,
        state: 'RUNNING',
        error: null,
        startedAt: deps.now(),
      };
      // Run 1 first: a job's document always has a run, which another instance can take over.
      await jobs.claimFirst(job._id);
      await appendNew(models.RecomputeJob, [job]);
      jobs.run(job);
      return { ...job, done: 0, changed: 0, largest: [] };
    },

    async get(workspaceId, jobId) {
      const job = await models.RecomputeJob.findById(`${workspaceId}:${jobId}`).lean<RecomputeJobDoc>().exec();
      if (!job) return null;
      const ids = Array.from({ length: PARTITIONS }, (_, p) => `${job._id}:${p}`);
      const parts = [...(await loadByIds(deps.db, models.JobProgress, ids)).values()];
      const done = parts.reduce((sum, p) => sum + p.done, 0);
      const state: JobState =
        job.state === 'FAILED' ? 'FAILED' : job.total !== null && done >= job.total ? 'DONE' : 'RUNNING';
      return {
        ...job,
        state,
        done,
        changed: parts.reduce((sum, p) => sum + p.changed, 0),
        largest: parts
          .flatMap((p) => p.largest)
          .sort((a, b) => changeSize(b) - changeSize(a))
          .slice(0, LARGEST_KEPT),
      };
    },

    async definition(workspaceId, jobId) {
      const key = `${workspaceId}:${jobId}`;
      const cached = definitions.get(key);
      if (cached) return cached;
      const job = await models.RecomputeJob.findById(key).lean<RecomputeJobDoc>().exec();
      if (!job) return null;
      if (definitions.size > 100) definitions.clear();
      definitions.set(key, { dryRun: job.dryRun, rules: job.rules });
      return definitions.get(key)!;
    },

    async previews(workspaceId, jobId, contactIds) {
      const ids = contactIds.map((c) => `${workspaceId}:${jobId}:${c}`);
      const found = await loadByIds(deps.db, models.ScorePreview, ids);
      return ids.flatMap((id) => {
        const doc = found.get(id);
        return doc ? [{ contactId: doc.contactId, before: doc.before, after: doc.after }] : [];
      });
    },

    async recordProgress(partition, steps) {
      const byJob = new Map<string, JobStep[]>();
      for (const step of steps) {
        const key = `${step.doc.workspaceId}:${step.jobId}:${partition}`;
        byJob.set(key, [...(byJob.get(key) ?? []), step]);
      }
      for (const [key, jobSteps] of byJob) {
        const { workspaceId } = jobSteps[0]!.doc;
        const stored = (await models.JobProgress.findById(key).lean<JobProgressDoc>().exec()) ?? {
          _id: key,
          workspaceId,
          done: 0,
          changed: 0,
          largest: [],
          counted: '',
          lastSeq: 0,
          updatedAt: deps.now(),
        };
        const counted = new Set(stored.counted ? stored.counted.split(',').map(Number) : []);
        const fresh: JobStep[] = [];
        for (const step of jobSteps) {
          if (step.seq <= stored.lastSeq || counted.has(step.seq)) continue;
          counted.add(step.seq);
          fresh.push(step);
        }
        if (fresh.length === 0) continue;
        const comparisons = fresh.filter((s) => !s.replayed).map((s) => comparison(s.doc.contactId, s.before, s.after));
        const changed = comparisons.filter(
          (c) =>
            c.before.general !== c.after.general ||
            c.before.stage !== c.after.stage ||
            !sameTags(c.before.tags, c.after.tags),
        );
        if (fresh[0]!.dryRun && comparisons.length > 0) {
          const jobId = fresh[0]!.jobId;
          const previews: ScorePreviewDoc[] = comparisons.map((c) => ({
            ...c,
            _id: `${workspaceId}:${jobId}:${c.contactId}`,
            workspaceId,
          }));
          await appendNew(models.ScorePreview, previews);
        }
        const next: JobProgressDoc = {
          ...stored,
          done: stored.done + fresh.length,
          changed: stored.changed + changed.length,
          largest: [...stored.largest, ...changed].sort((a, b) => changeSize(b) - changeSize(a)).slice(0, LARGEST_KEPT),
          counted: [...counted].join(','),
          lastSeq: stored.lastSeq,
          updatedAt: deps.now(),
        };
        await models.JobProgress.replaceOne({ _id: key }, next, { upsert: true }).exec();
      }
    },

    stop: () => jobs.stop(),
  };
}
