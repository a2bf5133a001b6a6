// Policy re-evaluation jobs: after an admin changes a workspace's lifecycle policy, every
// contact lifecycle knows is evaluated again under it. The job only sends one REEVALUATE
// request per contact into the contact's ordered partition (the scores stream); the
// contact's owner applies it there, in order with its score changes, so each resulting
// transition is made and published once, by the one writer. Each partition's owner
// records the job's progress in its own document (mirrors scoring's recompute jobs).
//
// The job outlives the instance that sends its requests. That instance holds the job by a
// lease (its run's document: the lease's end and how many requests it sent, renewed while it
// sends); every instance looks now and then for a job whose lease ran out (its instance died
// or stopped) and takes it over by inserting the job's next run, which exactly one instance
// can (a unique _id: FerretDB loses concurrent conditional updates, not inserts). The new
// run sends from the last recorded count on, in the order of the contact list the first run
// recorded. A request sent again has the same message id (JetStream drops a copy within its
// duplicate window) and, later than that, is found applied on the contact's document: each
// contact is re-evaluated, and counted, once.
import { randomUUID } from 'node:crypto';
import { messageIds, PARTITIONS, type LifecycleRequested, type Topology } from '@cei/contracts';
import { appendNew, inWorkspace, loadByIds, type Database } from '@cei/mongo';
import { setTimeout as sleep } from 'node:timers/promises';
import { publishEventWithRetry, type Nats } from '@cei/nats';
import type { Logger } from '@cei/config';
import type { ContactLifecycleDoc, LifecycleModels } from '../models';
import type {
  LifecyclePolicyJobDoc,
  PolicyJobContactsDoc,
  PolicyJobProgressDoc,
  PolicyJobRunDoc,
  PolicyJobStatus,
} from '../models/policy-jobs';

/** How many policy jobs a contact's document remembers having applied (see ContactLifecycleDoc.reevaluations). */
export const POLICY_JOBS_KEPT = 10;
/** Contact ids per document of a job's contact list. */
const LIST_CHUNK = 1000;

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
  const clock = deps.clock ?? Date.now;
  const runner = randomUUID();
  /** Jobs this instance runs now, by job document id. */
  const running = new Map<string, Promise<void>>();
  const stopping = new AbortController();
  const renewEveryMs = Math.max(1, Math.floor(deps.leaseMs / 3));

  const runId = (job: string, run: number) => `${job}:${run}`;

  /** The job's contact list: recorded by the first run to get there, read by the later ones. */
  async function contactList(job: LifecyclePolicyJobDoc, run: number): Promise<string[]> {
    let list = await models.PolicyJobList.findById(job._id).lean().exec();
    if (!list) {
      // A scan of the workspace's documents: jobs are rare and off the event path.
      const contacts = await models.ContactLifecycle.find(inWorkspace<ContactLifecycleDoc>(job.workspaceId), {
        contactId: 1,
      })
        .lean<Pick<ContactLifecycleDoc, 'contactId'>[]>()
        .exec();
      const ids = contacts.map((c) => c.contactId);
      const chunks: PolicyJobContactsDoc[] = [];
      for (let i = 0; i * LIST_CHUNK < ids.length; i++) {
        chunks.push({
          _id: `${runId(job._id, run)}:${i}`,
          contactIds: ids.slice(i * LIST_CHUNK, (i + 1) * LIST_CHUNK),
        });
      }
      await appendNew(models.PolicyJobContacts, chunks);
      // Chunks first, then the list that names them: whoever inserts it first, its chunks are the list.
      const lost = await appendNew(models.PolicyJobList, [
        { _id: job._id, run, total: ids.length, chunks: chunks.length },
      ]);
      if (lost.size === 0) return ids;
      list = await models.PolicyJobList.findById(job._id).lean().exec();
      if (!list) throw new Error(`policy job ${job._id}: its contact list vanished`);
    }
    const ids = Array.from({ length: list.chunks }, (_, i) => `${runId(job._id, list.run)}:${i}`);
    const chunks = await loadByIds(deps.db, models.PolicyJobContacts, ids);
    return ids.flatMap((id) => {
      const chunk = chunks.get(id);
      if (!chunk) throw new Error(`policy job ${job._id}: contact list chunk ${id} is missing`);
      return chunk.contactIds;
    });
  }

  /** Records the run's count and lease; false once another instance has taken the job over. */
  async function renew(run: PolicyJobRunDoc, sent: number, leaseUntil: number): Promise<boolean> {
    const next = await models.PolicyJobRun.findById(runId(run.job, run.run + 1))
      .lean()
      .exec();
    if (next) return false;
    // This run's document has one writer: this instance.
    await models.PolicyJobRun.replaceOne(
      { _id: run._id },
      { ...run, sent, leaseUntil: new Date(leaseUntil), updatedAt: new Date(clock()) },
    ).exec();
    return true;
  }

  /** Sends the job's requests from the run's count on, renewing its lease as it goes. */
  async function send(job: LifecyclePolicyJobDoc, run: PolicyJobRunDoc): Promise<void> {
    const log = deps.log.child({ workspaceId: job.workspaceId, jobId: job.jobId, run: run.run });
    let sent = run.sent;
    try {
      const contacts = await contactList(job, run.run);
      let renewedAt = clock();
      for (; sent < contacts.length; sent++) {
        if (stopping.signal.aborted) {
          // Stopped: the count as it stands and a lease that has run out, for another instance.
          await renew(run, sent, 0);
          log.info({ sent, of: contacts.length }, 'policy job left for another instance (stopping)');
          return;
        }
        if (clock() - renewedAt >= renewEveryMs) {
          if (!(await renew(run, sent, clock() + deps.leaseMs))) {
            log.warn({ sent }, 'policy job taken over by another instance (this one held it too long)');
            return;
          }
          renewedAt = clock();
        }
        if (deps.rate > 0) await sleep(1000 / deps.rate);
        const contactId = contacts[sent]!;
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
      if (!(await renew(run, sent, clock() + deps.leaseMs))) return;
      // Every run that gets here writes the same total (of the one recorded list).
      await models.LifecyclePolicyJob.updateOne({ _id: job._id }, { $set: { total: contacts.length } }).exec();
      log.info({ contacts: contacts.length }, 'policy re-evaluation requested for every contact');
    } catch (err) {
      log.error({ err, sent }, 'policy re-evaluation job failed while requesting');
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

  function runHere(job: LifecyclePolicyJobDoc, run: PolicyJobRunDoc): void {
    const sending = send(job, run).finally(() => running.delete(job._id));
    running.set(job._id, sending);
  }

  /** A new run of the job for this instance: true if this instance inserted it (and so holds the job). */
  async function claim(job: string, run: number, sent: number): Promise<PolicyJobRunDoc | null> {
    const doc: PolicyJobRunDoc = {
      _id: runId(job, run),
      job,
      run,
      runner,
      leaseUntil: new Date(clock() + deps.leaseMs),
      sent,
      updatedAt: new Date(clock()),
    };
    const taken = await appendNew(models.PolicyJobRun, [doc]);
    return taken.size === 0 ? doc : null;
  }

  /** Takes over every job still sending whose lease ran out (small collections: jobs are rare). */
  async function takeOver(): Promise<void> {
    const jobs = await models.LifecyclePolicyJob.find({ status: 'RUNNING', total: null })
      .lean<LifecyclePolicyJobDoc[]>()
      .exec();
    for (const job of jobs) {
      if (stopping.signal.aborted) return;
      if (running.has(job._id)) continue;
      const runs = await models.PolicyJobRun.find({ job: job._id }).lean<PolicyJobRunDoc[]>().exec();
      const last = runs.reduce<PolicyJobRunDoc | null>((a, b) => (a && a.run > b.run ? a : b), null);
      // Run 1 is inserted before the job's document: a job with no run is one whose start failed.
      if (!last || last.leaseUntil.getTime() > clock()) continue;
      const run = await claim(job._id, last.run + 1, last.sent);
      if (!run) continue;
      deps.log.warn(
        { workspaceId: job.workspaceId, jobId: job.jobId, run: run.run, from: last.sent, previous: last.runner },
        'policy job taken over: its instance stopped renewing its lease',
      );
      runHere(job, run);
    }
  }

  // Every instance looks for a job to take over, at half the lease, off the event path.
  const watch = (async () => {
    while (!stopping.signal.aborted) {
      try {
        await sleep(Math.max(1, Math.floor(deps.leaseMs / 2)), undefined, { signal: stopping.signal });
        await takeOver();
      } catch (err) {
        if (!stopping.signal.aborted) deps.log.warn({ err }, 'could not look for policy jobs to take over');
      }
    }
  })();

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
      const run = await claim(job._id, 1, 0);
      if (!run) throw new Error(`policy job ${job._id} exists already`);
      await appendNew(models.LifecyclePolicyJob, [job]);
      runHere(job, run);
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

    async stop() {
      stopping.abort();
      await watch;
      await Promise.all([...running.values()]);
    },
  };
}
