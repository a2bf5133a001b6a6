// Policy re-evaluation jobs: after an admin changes a workspace's lifecycle policy, every
// contact lifecycle knows is evaluated again under it. The job only sends one REEVALUATE
// request per contact into the contact's ordered partition (the scores stream); the
// contact's owner applies it there, in order with its score changes, so each resulting
// transition is made and published once, by the one writer. Each partition's owner
// records the job's progress in its own document (mirrors scoring's recompute jobs).
import { randomUUID } from 'node:crypto';
import { messageIds, PARTITIONS, type LifecycleRequested, type Topology } from '@cei/contracts';
import { appendNew, inWorkspace, loadByIds, type Database } from '@cei/mongo';
import { publishEventWithRetry, type Nats } from '@cei/nats';
import type { Logger } from '@cei/config';
import type { ContactLifecycleDoc, LifecycleModels } from '../models';
import type { LifecyclePolicyJobDoc, PolicyJobProgressDoc, PolicyJobStatus } from '../models/policy-jobs';

export interface PolicyJob {
  jobId: string;
  status: PolicyJobStatus;
  /** Contacts asked to be evaluated again (null until every one was asked). */
  total: number | null;
  /** Contacts evaluated again so far. */
  done: number;
  /** Phase transitions the re-evaluation made (each published once). */
  transitions: number;
  error: string | null;
  actor: string;
  startedAt: Date;
}

/** One REEVALUATE request an owner applied (or found applied already, on a redelivery). */
export interface PolicyJobStep {
  workspaceId: string;
  jobId: string;
  seq: number;
  transitioned: boolean;
}

export interface PolicyJobs {
  /** A new job id (the policy document records it before the job starts). */
  newJobId(): string;
  /** Records the job and asks, in the background, every contact of the workspace to be evaluated again. */
  start(workspaceId: string, jobId: string, actor: string): Promise<PolicyJob>;
  get(workspaceId: string, jobId: string): Promise<PolicyJob | null>;
  /** Called by a partition's owner after its writes: counts each request once, whatever is redelivered. */
  recordProgress(partition: number, steps: readonly PolicyJobStep[]): Promise<void>;
  /** Waits for the background requesting of jobs started here (tests, shutdown). */
  settled(): Promise<void>;
}

export interface PolicyJobDeps {
  db: Database;
  models: LifecycleModels;
  nats: Nats;
  topology: Topology;
  log: Logger;
  now: () => Date;
}

export function createPolicyJobs(deps: PolicyJobDeps): PolicyJobs {
  const { models } = deps;
  const running = new Set<Promise<void>>();

  /** Lists the workspace's contacts (a scan: jobs are rare and off the event path) and asks for each. */
  async function requestAll(job: LifecyclePolicyJobDoc): Promise<void> {
    const log = deps.log.child({ workspaceId: job.workspaceId, jobId: job.jobId });
    try {
      const contacts = await models.ContactLifecycle.find(inWorkspace<ContactLifecycleDoc>(job.workspaceId), {
        contactId: 1,
      })
        .lean<Pick<ContactLifecycleDoc, 'contactId'>[]>()
        .exec();
      for (const { contactId } of contacts) {
        const request: LifecycleRequested = {
          v: 1,
          request: 'REEVALUATE',
          workspaceId: job.workspaceId,
          contactId,
          jobId: job.jobId,
        };
        // A NATS hiccup should not fail a job of thousands of requests: tried again (same message id).
        await publishEventWithRetry(
          deps.nats.js,
          deps.topology.subjects.lifecycleRequested(job.workspaceId, contactId),
          request,
          messageIds.policyReevaluation(job.workspaceId, job.jobId, contactId),
        );
      }
      await models.LifecyclePolicyJob.updateOne({ _id: job._id }, { $set: { total: contacts.length } }).exec();
      log.info({ contacts: contacts.length }, 'policy re-evaluation requested for every contact');
    } catch (err) {
      log.error({ err }, 'policy re-evaluation job failed while requesting');
      await models.LifecyclePolicyJob.updateOne(
        { _id: job._id },
        {
          $set: {
            status: 'FAILED',
            error:
              'could not ask every contact (NATS or the database failed; logged with the job id); update the policy again',
          },
        },
      )
        .exec()
        // Nobody awaits this in the background: an unhandled rejection would end the process.
        .catch((markErr: unknown) => log.error({ err: markErr }, 'could not mark the policy job failed'));
    }
  }

  return {
    newJobId: () => `policy-${randomUUID()}`,

    async start(workspaceId, jobId, actor) {
      const job: LifecyclePolicyJobDoc = {
        _id: `${workspaceId}:${jobId}`,
        workspaceId,
        jobId,
        actor,
        total: null,
        status: 'RUNNING',
        error: null,
        startedAt: deps.now(),
      };
      await appendNew(models.LifecyclePolicyJob, [job]);
      const requesting = requestAll(job).finally(() => running.delete(requesting));
      running.add(requesting);
      return { ...job, done: 0, transitions: 0 };
    },

    async get(workspaceId, jobId) {
      const job = await models.LifecyclePolicyJob.findById(`${workspaceId}:${jobId}`)
        .lean<LifecyclePolicyJobDoc>()
        .exec();
      if (!job || job.workspaceId !== workspaceId) return null;
      const ids = Array.from({ length: PARTITIONS }, (_, p) => `${job._id}:${p}`);
      const parts = [...(await loadByIds(deps.db, models.PolicyJobProgress, ids)).values()];
      const done = parts.reduce((sum, p) => sum + p.done, 0);
      const status: PolicyJobStatus =
        job.status === 'FAILED' ? 'FAILED' : job.total !== null && done >= job.total ? 'DONE' : 'RUNNING';
      return {
        jobId: job.jobId,
        status,
        total: job.total,
        done,
        transitions: parts.reduce((sum, p) => sum + p.transitions, 0),
        error: job.error,
        actor: job.actor,
        startedAt: job.startedAt,
      };
    },

    async recordProgress(partition, steps) {
      const byJob = new Map<string, PolicyJobStep[]>();
      for (const step of steps) {
        const key = `${step.workspaceId}:${step.jobId}:${partition}`;
        byJob.set(key, [...(byJob.get(key) ?? []), step]);
      }
      // One document per job and partition, written only by the partition's owner (here), in turn.
      for (const [key, jobSteps] of byJob) {
        const stored = (await models.PolicyJobProgress.findById(key).lean<PolicyJobProgressDoc>().exec()) ?? {
          _id: key,
          workspaceId: jobSteps[0]!.workspaceId,
          done: 0,
          transitions: 0,
          counted: '',
          updatedAt: deps.now(),
        };
        const counted = new Set(stored.counted ? stored.counted.split(',').map(Number) : []);
        const fresh = jobSteps.filter((step) => !counted.has(step.seq) && counted.add(step.seq));
        if (fresh.length === 0) continue;
        const next: PolicyJobProgressDoc = {
          ...stored,
          done: stored.done + fresh.length,
          transitions: stored.transitions + fresh.filter((s) => s.transitioned).length,
          counted: [...counted].join(','),
          updatedAt: deps.now(),
        };
        await deps.db.limit(() => models.PolicyJobProgress.replaceOne({ _id: key }, next, { upsert: true }).exec());
      }
    },

    async settled() {
      await Promise.all([...running]);
    },
  };
}
