// Policy re-evaluation jobs: after an admin changes a workspace's lifecycle policy, every
// contact lifecycle knows is evaluated again under it. The job only sends one REEVALUATE
// request per contact into the contact's ordered partition (the scores stream); the
// contact's owner applies it there, in order with its score changes, so each resulting
// transition is made and published once, by the one writer. Each partition's owner
// records the job's progress in its own document (mirrors scoring's recompute jobs).
//
// The job outlives the instance that sends its requests (createLeasedJobs in @cei/mongo):
// that instance holds the job by a lease renewed while it sends, with its count of requests
// sent; another instance takes over a job whose lease ran out and sends from that count on,
// over the contact list the first run recorded. A request sent again has the same message id (JetStream drops a copy within its
// duplicate window) and, later than that, is found applied on the contact's document: each
// contact is re-evaluated, and counted, once.
import { randomUUID } from 'node:crypto';
import { messageIds, PARTITIONS, type LifecycleRequested, type Topology } from '@cei/contracts';
import { appendNew, createLeasedJobs, loadByIds, workspaceContactIds, type Database } from '@cei/mongo';
import { publishEventWithRetry, type Nats } from '@cei/nats';
import type { Logger } from '@cei/config';
import type { LifecycleModels } from '../models';
import type { LifecyclePolicyJobDoc, PolicyJobProgressDoc, PolicyJobStatus } from '../models/policy-jobs';

/** How many policy jobs a contact's document remembers having applied (see ContactLifecycleDoc.reevaluations). */
export const POLICY_JOBS_KEPT = 10;

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
  /**
   * Stops looking for jobs to take over and stops sending: each job running here is left with
   * its count of requests sent and a lease that has run out, for another instance to go on with.
   */
  stop(): Promise<void>;
}

export interface PolicyJobDeps {
  db: Database;
  models: LifecycleModels;
  nats: Nats;
  topology: Topology;
  log: Logger;
  /** Lifecycle's clock (a job's startedAt). */
  now: () => Date;
  /** How long a run holds its job without renewing (CEI_POLICY_JOB_LEASE_MS). */
  leaseMs: number;
  /** Requests sent per second by a run (CEI_POLICY_JOB_RATE; 0: as fast as NATS takes them). */
  rate: number;
  /** The real clock: leases are about processes being alive, not lifecycle's time. */
  clock?: () => number;
}

export function createPolicyJobs(deps: PolicyJobDeps): PolicyJobs {
  const { models } = deps;
  const jobs = createLeasedJobs<LifecyclePolicyJobDoc>({
    db: deps.db,
    models: { runs: models.PolicyJobRun, lists: models.PolicyJobList, chunks: models.PolicyJobListChunk },
    log: deps.log.child({ job: 'policy re-evaluation' }),
    leaseMs: deps.leaseMs,
    rate: deps.rate,
    ...(deps.clock ? { clock: deps.clock } : {}),
    // A scan of a small collection (jobs are rare), by an instance's timer.
    unfinished: () =>
      models.LifecyclePolicyJob.find({ status: 'RUNNING', total: null }).lean<LifecyclePolicyJobDoc[]>().exec(),
    // A scan of the workspace's documents: jobs are rare and off the event path.
    list: (job) => workspaceContactIds(models.ContactLifecycle, job.workspaceId),
    async work(job, contactId) {
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
    },
    async finished(job, total) {
      await models.LifecyclePolicyJob.updateOne({ _id: job._id }, { $set: { total } }).exec();
      deps.log.info(
        { workspaceId: job.workspaceId, jobId: job.jobId, contacts: total },
        'policy re-evaluation requested for every contact',
      );
    },
    async failed(job) {
      await models.LifecyclePolicyJob.updateOne(
        { _id: job._id },
        {
          $set: {
            status: 'FAILED',
            error:
              'could not ask every contact (NATS or the database failed; logged with the job id); update the policy again',
          },
        },
      ).exec();
    },
  });

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
      await jobs.claimFirst(job._id);
      await appendNew(models.LifecyclePolicyJob, [job]);
      jobs.run(job);
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

    stop: () => jobs.stop(),
  };
}
