// Recompute jobs: after rules change, every scored contact of a workspace is rebuilt
// from its stored records under the current rules (or, in a dry run, under rules to
// try, writing nothing but a comparison). The job only sends one RECOMPUTE request
// per contact into the contact's ordered partition; the contact's owner rebuilds it
// there, between two interactions, so live scoring never stops and no interaction is
// counted twice or missed. Each partition's owner records the job's progress.
import { invalidFields, messageIds, PARTITIONS, type ScoringRequested, type Topology } from '@cei/contracts';
import { appendNew, inWorkspace, loadByIds, type Database } from '@cei/mongo';
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
import type { ScoreState } from '../domain/score-state';
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
  before: ScoreState;
  after: ScoreState;
  dryRun: boolean;
  /** Applied in an earlier try (a redelivery): counted as done, compared no more. */
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
  /** Called by a partition's owner after its writes: counts each request once, whatever is redelivered. */
  recordProgress(partition: number, steps: JobStep[]): Promise<void>;
  /** Waits for the background request publishing of jobs started here (tests, shutdown). */
  settled(): Promise<void>;
}

export interface RecomputeDeps {
  db: Database;
  models: ScoringModels;
  nats: Nats;
  topology: Topology;
  log: Logger;
  now: () => Date;
}

function comparison(contactId: string, before: ScoreState, after: ScoreState): ScoreComparison {
  const values = (s: ScoreState) => ({ general: s.general, stage: s.stage, tags: s.tags });
  return { contactId, before: values(before), after: values(after) };
}

const changeSize = (c: ScoreComparison) => Math.abs(c.after.general - c.before.general);
const sameTags = (a: Record<string, number>, b: Record<string, number>) =>
  Object.keys({ ...a, ...b }).every((tag) => (a[tag] ?? 0) === (b[tag] ?? 0));

export function createRecomputeJobs(deps: RecomputeDeps): RecomputeJobs {
  const { models } = deps;
  const definitions = new Map<string, Pick<RecomputeJobDoc, 'dryRun' | 'rules'>>();
  const running = new Set<Promise<void>>();

  /** Lists the workspace's scored contacts (a scan: jobs are rare and off the event path) and asks for each. */
  async function requestAll(job: RecomputeJobDoc): Promise<void> {
    const log = deps.log.child({ workspaceId: job.workspaceId, jobId: job.jobId });
    try {
      const contacts = await models.ContactScore.find(inWorkspace<ContactScoreDoc>(job.workspaceId), { contactId: 1 })
        .lean<Pick<ContactScoreDoc, 'contactId'>[]>()
        .exec();
      let requested = 0;
      for (const { contactId } of contacts) {
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
        if (++requested % 5000 === 0) log.info({ requested, of: contacts.length }, 'recompute requests sent');
      }
      await models.RecomputeJob.updateOne({ _id: job._id }, { $set: { total: contacts.length } }).exec();
      log.info({ contacts: contacts.length, dryRun: job.dryRun }, 'recompute requested for every scored contact');
    } catch (err) {
      log.error({ err }, 'recompute job failed while requesting');
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
      )
        .exec()
        // Nobody awaits this in the background: an unhandled rejection would end the process.
        .catch((markErr: unknown) => log.error({ err: markErr }, 'could not mark the recompute job failed'));
    }
  }

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
      await appendNew(models.RecomputeJob, [job]);
      const requesting = requestAll(job).finally(() => running.delete(requesting));
      running.add(requesting);
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

    async settled() {
      await Promise.all([...running]);
    },
  };
}
