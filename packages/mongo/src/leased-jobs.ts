// Background jobs that outlive the instance running them: a job goes through a list of
// items (e.g. one request per contact), recorded once, and the instance running it holds
// it by a lease. Each turn at a job is a run with a document of its own, written only by
// its instance: until when it holds the job and how many items it has done, renewed while
// it works. Every instance looks now and then for a job whose last run's lease ran out
// (its instance died or stopped) and takes it over by inserting the next run: a unique
// _id, so exactly one instance wins (FerretDB v1 loses concurrent conditional updates of
// one document; inserts against a unique index stay atomic). The new run goes on from
// the recorded count, so items done since the last renewal are done again: the work per
// item must be idempotent. A run never renews a lease that has run out (an item held it
// up): another instance may be taking over from the count it read, so the run lets go.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Schema, type Connection, type Model } from 'mongoose';
import type { Logger } from '@cei/config';
import { appendNew } from './append';
import type { Database } from './connection';
import { loadByIds } from './load-by-ids';

/** One instance's turn at a job; inserting run n+1 takes the job over. */
export interface JobRunDoc {
  _id: string; // <job>:<run>
  /** The job document's _id. */
  job: string;
  run: number;
  /** The instance working (a random id per process). */
  runner: string;
  /** Until when the run holds the job; after it, any instance may take over. */
  leaseUntil: Date;
  /** Items done so far, in the order of the job's list: where the next run starts. */
  sent: number;
  updatedAt: Date;
}

/** A job's items, in order: recorded once (the first run to insert it wins). */
export interface JobListDoc {
  _id: string; // <job>
  /** The run whose chunks hold the list. */
  run: number;
  total: number;
  chunks: number;
}

/** A part of a run's list (JobListDoc says which run's list is the job's). */
export interface JobListChunkDoc {
  _id: string; // <job>:<run>:<chunk>
  items: string[];
}

export interface JobRunModels {
  runs: Model<JobRunDoc>;
  lists: Model<JobListDoc>;
  chunks: Model<JobListChunkDoc>;
}

/** Items per document of a job's list. */
const LIST_CHUNK = 1000;
const options = { versionKey: false, _id: false } as const;

/** The run, list and list-chunk collections of one kind of job: `<prefix>_runs`, `_lists`, `_list_chunks`. */
export function jobRunModels(connection: Connection, name: string, prefix: string): JobRunModels {
  const run = new Schema<JobRunDoc>(
    {
      _id: String,
      job: { type: String, required: true },
      run: { type: Number, required: true },
      runner: { type: String, required: true },
      leaseUntil: { type: Date, required: true },
      sent: { type: Number, required: true },
      updatedAt: { type: Date, required: true },
    },
    options,
  );
  const list = new Schema<JobListDoc>(
    {
      _id: String,
      run: { type: Number, required: true },
      total: { type: Number, required: true },
      chunks: { type: Number, required: true },
    },
    options,
  );
  const chunk = new Schema<JobListChunkDoc>({ _id: String, items: [String] }, options);
  return {
    runs: connection.model<JobRunDoc>(`${name}Run`, run, `${prefix}_runs`),
    lists: connection.model<JobListDoc>(`${name}List`, list, `${prefix}_lists`),
    chunks: connection.model<JobListChunkDoc>(`${name}ListChunk`, chunk, `${prefix}_list_chunks`),
  };
}

export interface LeasedJobOptions<J extends { _id: string }> {
  db: Database;
  models: JobRunModels;
  log: Logger;
  /** How long a run holds its job without renewing (it renews at a third of it; others look at half). */
  leaseMs: number;
  /** Items done per second by a run (0: no limit). */
  rate: number;
  /** The real clock: leases are about processes being alive, not a service's test clock. */
  clock?: () => number;
  /** The jobs still working through their items (a small collection: jobs are rare). */
  unfinished(): Promise<J[]>;
  /** The job's items, listed by its first run (later runs read what it recorded). */
  list(job: J): Promise<string[]>;
  /** Does one item (again, after a takeover: it must be idempotent). */
  work(job: J, item: string): Promise<void>;
  /** Every item done: records the total (each run that gets here records the same). */
  finished(job: J, total: number): Promise<void>;
  /** The run failed (logged already): the job is marked so (nothing awaits this). */
  failed(job: J, err: unknown): Promise<void>;
}

export interface LeasedJobs<J extends { _id: string }> {
  /** Takes run 1 of a new job (before its document is written: a job's document always has a run). */
  claimFirst(jobKey: string): Promise<void>;
  /** Works through the job in the background, as the run `claimFirst` took. */
  run(job: J): void;
  /**
   * Stops looking for jobs to take over and stops working: each job running here is left with its
   * count and a lease that has run out, for another instance to go on with at once.
   */
  stop(): Promise<void>;
}

export function createLeasedJobs<J extends { _id: string }>(opts: LeasedJobOptions<J>): LeasedJobs<J> {
  const { models } = opts;
  const clock = opts.clock ?? Date.now;
  const runner = randomUUID();
  /** Runs going on here, by job. */
  const running = new Map<string, Promise<void>>();
  /** Run 1 of the jobs this instance started, until they run. */
  const claimed = new Map<string, JobRunDoc>();
  const stopping = new AbortController();
  const renewEveryMs = Math.max(1, Math.floor(opts.leaseMs / 3));
  /** How much of its lease a run must have left to renew it (the time a renewal takes to land, and then some). */
  const lapseMarginMs = Math.floor(opts.leaseMs / 6);
  const runId = (job: string, run: number) => `${job}:${run}`;

  /** The job's items: recorded by the first run to get there, read by the later ones. */
  async function itemsOf(job: J, run: number): Promise<string[]> {
    let list = await models.lists.findById(job._id).lean<JobListDoc>().exec();
    if (!list) {
      const items = await opts.list(job);
      const chunks: JobListChunkDoc[] = [];
      for (let i = 0; i * LIST_CHUNK < items.length; i++) {
        chunks.push({ _id: `${runId(job._id, run)}:${i}`, items: items.slice(i * LIST_CHUNK, (i + 1) * LIST_CHUNK) });
      }
      await appendNew(models.chunks, chunks);
      // Chunks first, then the list that names them: whoever inserts it first, its chunks are the list.
      const lost = await appendNew(models.lists, [{ _id: job._id, run, total: items.length, chunks: chunks.length }]);
      if (lost.size === 0) return items;
      list = await models.lists.findById(job._id).lean<JobListDoc>().exec();
      if (!list) throw new Error(`job ${job._id}: its list vanished`);
    }
    const { run: listedBy } = list;
    const ids = Array.from({ length: list.chunks }, (_, i) => `${runId(job._id, listedBy)}:${i}`);
    const chunks = await loadByIds(opts.db, models.chunks, ids);
    return ids.flatMap((id) => {
      const chunk = chunks.get(id);
      if (!chunk) throw new Error(`job ${job._id}: list chunk ${id} is missing`);
      return chunk.items;
    });
  }

  /** Records the run's count and lease; false once another instance has taken the job over. */
  async function renew(run: JobRunDoc, sent: number, leaseUntil: number): Promise<boolean> {
    const next = await models.runs
      .findById(runId(run.job, run.run + 1))
      .lean<JobRunDoc>()
      .exec();
    if (next) return false;
    // This run's document has one writer: this instance.
    const doc: JobRunDoc = { ...run, sent, leaseUntil: new Date(leaseUntil), updatedAt: new Date(clock()) };
    await models.runs.replaceOne({ _id: run._id }, doc).exec();
    return true;
  }

  async function work(job: J, run: JobRunDoc): Promise<void> {
    const log = opts.log.child({ job: job._id, run: run.run });
    let sent = run.sent;
    try {
      // The lease runs from when it was written (the claim), not from when the list was read.
      let renewedAt = run.updatedAt.getTime();
      let leaseUntil = run.leaseUntil.getTime();
      const items = await itemsOf(job, run.run);
      for (; sent < items.length; sent++) {
        if (stopping.signal.aborted) {
          await renew(run, sent, 0);
          log.info({ sent, of: items.length }, 'job left for another instance (stopping)');
          return;
        }
        if (clock() - renewedAt >= renewEveryMs) {
          // A run whose lease has (all but) run out may be being taken over right now, from a count
          // read before this renewal would land: it lets go instead of renewing over the takeover.
          if (clock() >= leaseUntil - lapseMarginMs) {
            log.warn({ sent }, 'job let go: its lease ran out before this instance renewed it');
            return;
          }
          const until = clock() + opts.leaseMs;
          if (!(await renew(run, sent, until))) {
            log.warn({ sent }, 'job taken over by another instance (this one held it too long)');
            return;
          }
          renewedAt = clock();
          leaseUntil = until;
        }
        if (opts.rate > 0) await sleep(1000 / opts.rate);
        await opts.work(job, items[sent]!);
      }
      if (!(await renew(run, sent, clock() + opts.leaseMs))) return;
      await opts.finished(job, items.length);
    } catch (err) {
      log.error({ err, sent }, 'job failed');
      // Nobody awaits this in the background: an unhandled rejection would end the process.
      await opts.failed(job, err).catch((markErr: unknown) => log.error({ err: markErr }, 'could not mark it failed'));
    }
  }

  function runHere(job: J, run: JobRunDoc): void {
    const working = work(job, run).finally(() => running.delete(job._id));
    running.set(job._id, working);
  }

  /** A new run of the job for this instance, or null if another instance inserted it first. */
  async function claim(job: string, run: number, sent: number): Promise<JobRunDoc | null> {
    const doc: JobRunDoc = {
      _id: runId(job, run),
      job,
      run,
      runner,
      leaseUntil: new Date(clock() + opts.leaseMs),
      sent,
      updatedAt: new Date(clock()),
    };
    const taken = await appendNew(models.runs, [doc]);
    return taken.size === 0 ? doc : null;
  }

  /** Takes over every unfinished job whose last run's lease ran out. */
  async function takeOver(): Promise<void> {
    for (const job of await opts.unfinished()) {
      if (stopping.signal.aborted) return;
      if (running.has(job._id) || claimed.has(job._id)) continue;
      const runs = await models.runs.find({ job: job._id }).lean<JobRunDoc[]>().exec();
      const last = runs.reduce<JobRunDoc | null>((a, b) => (a && a.run > b.run ? a : b), null);
      // A job with no run is one whose start failed before it had one (run 1 is inserted first).
      if (!last || last.leaseUntil.getTime() > clock()) continue;
      const run = await claim(job._id, last.run + 1, last.sent);
      if (!run) continue;
      opts.log.warn(
        { job: job._id, run: run.run, from: last.sent, previous: last.runner },
        'job taken over: its instance stopped renewing its lease',
      );
      runHere(job, run);
    }
  }

  // Every instance looks for jobs to take over, at half the lease, off the event path.
  const watch = (async () => {
    while (!stopping.signal.aborted) {
      try {
        await sleep(Math.max(1, Math.floor(opts.leaseMs / 2)), undefined, { signal: stopping.signal });
        await takeOver();
      } catch (err) {
        if (!stopping.signal.aborted) opts.log.warn({ err }, 'could not look for jobs to take over');
      }
    }
  })();

  return {
    async claimFirst(jobKey) {
      const run = await claim(jobKey, 1, 0);
      if (!run) throw new Error(`job ${jobKey} exists already`);
      claimed.set(jobKey, run);
    },

    run(job) {
      const run = claimed.get(job._id);
      if (!run) throw new Error(`job ${job._id} was not claimed here`);
      claimed.delete(job._id);
      runHere(job, run);
    },

    async stop() {
      stopping.abort();
      await watch;
      await Promise.all([...running.values()]);
    },
  };
}
