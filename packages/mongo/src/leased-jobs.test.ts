// createLeasedJobs against the real database of the jest global setup (FerretDB on
// PostgreSQL here), with three instances of a service in this process: the one running a
// job stalls (its work hangs, so it renews nothing, as a frozen or dead process would), the
// two others race to take it over and exactly one does, going on from the recorded count
// over the recorded list; when the stalled one wakes up it finds the job taken and stops.
import { createLogger } from '@cei/config';
import { testNamespace, waitFor } from '@cei/testing';
import { connectDatabase, type Database } from './connection';
import { createLeasedJobs, jobRunModels, type JobRunModels, type LeasedJobs } from './leased-jobs';

interface Job {
  _id: string;
}

const ITEMS = Array.from({ length: 30 }, (_, i) => `item-${i}`);
// Long enough that a loaded CI machine does not let a working run's lease lapse before it stalls.
const LEASE_MS = 1_500;
/** The first instance stalls on this item (0-based) until the test lets it go on. */
const STALL_AT = 20;

describe('createLeasedJobs', () => {
  let db: Database;
  let models: JobRunModels;
  const instances: LeasedJobs<Job>[] = [];

  beforeAll(async () => {
    db = await connectDatabase(process.env.MONGO_URL!, `${testNamespace('leased')}_mongo`);
    models = jobRunModels(db.connection, 'Test', 'test_job');
  });
  afterAll(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    await db.connection.db?.dropDatabase();
    await db.close();
  });

  it('lets exactly one other instance take over a job whose lease ran out, from the recorded count', async () => {
    const job: Job = { _id: 'ws:job-1' };
    let unfinished = true;
    const worked: { instance: number; item: string }[] = [];
    const finished: { instance: number; total: number }[] = [];
    const listed: number[] = [];
    // The first instance stalls on item STALL_AT until the test lets it go on.
    let wake!: () => void;
    const stalled = new Promise<void>((resolve) => (wake = resolve));
    const instance = (n: number) =>
      createLeasedJobs<Job>({
        db,
        models,
        log: createLogger('leased-jobs-test', 'silent'),
        leaseMs: LEASE_MS,
        // 20 items/s: the first instance renews (every 500 ms) twice before it stalls.
        rate: 20,
        unfinished: async () => (unfinished ? [job] : []),
        list: async () => {
          listed.push(n);
          return ITEMS;
        },
        work: async (_, item) => {
          if (n === 0 && worked.filter((w) => w.instance === 0).length === STALL_AT) await stalled;
          worked.push({ instance: n, item });
        },
        finished: async (_, total) => {
          finished.push({ instance: n, total });
          unfinished = false;
        },
        failed: async (_, err) => {
          throw err;
        },
      });
    instances.push(instance(0), instance(1), instance(2));

    // Given the first instance starts the job and stalls part-way
    await instances[0]!.claimFirst(job._id);
    instances[0]!.run(job);

    // Then one of the two others takes it over and finishes it, from the count the first recorded
    await waitFor('the job finished', () => finished.length > 0, { timeoutMs: 15_000 });
    const runs = await models.runs.find({ job: job._id }).lean().exec();
    expect(runs.map((r) => r.run).sort()).toEqual([1, 2]);
    const [first, second] = [runs.find((r) => r.run === 1)!, runs.find((r) => r.run === 2)!];
    expect(second.runner).not.toBe(first.runner);
    expect(second.sent).toBe(ITEMS.length);
    expect(first.sent).toBeGreaterThan(0);
    expect(first.sent).toBeLessThanOrEqual(STALL_AT);
    const taker = finished[0]!.instance;
    expect(finished).toEqual([{ instance: taker, total: ITEMS.length }]);
    expect([1, 2]).toContain(taker);
    // It worked exactly the items from the recorded count on, over the list the first run recorded
    expect(worked.filter((w) => w.instance === taker).map((w) => w.item)).toEqual(ITEMS.slice(first.sent));
    expect(worked.filter((w) => w.instance === 3 - taker)).toEqual([]);
    expect(listed).toEqual([0]);
    // Every item worked at least once (those after the first's last renewal twice: idempotent work)
    expect(new Set(worked.map((w) => w.item))).toEqual(new Set(ITEMS));

    // When the stalled instance wakes up, it finds its job taken over and stops: no more work, no finish
    wake();
    await instances[0]!.stop();
    expect(worked.filter((w) => w.instance === 0).map((w) => w.item)).toEqual(ITEMS.slice(0, STALL_AT + 1));
    expect(finished).toHaveLength(1);
  });

  it('hands a job over at once when its instance stops', async () => {
    const job: Job = { _id: 'ws:job-2' };
    let unfinished = true;
    const worked: { instance: number; item: string }[] = [];
    const finished: number[] = [];
    const instance = (n: number) =>
      createLeasedJobs<Job>({
        db,
        models,
        log: createLogger('leased-jobs-test', 'silent'),
        // A lease long enough that only a stop hands the job over within the test.
        leaseMs: n === 0 ? 60_000 : 1_000,
        rate: 20,
        unfinished: async () => (unfinished ? [job] : []),
        list: async () => ITEMS,
        work: async (_, item) => {
          worked.push({ instance: n, item });
        },
        finished: async () => {
          finished.push(n);
          unfinished = false;
        },
        failed: async (_, err) => {
          throw err;
        },
      });
    const [stopping, other] = [instance(0), instance(1)];
    instances.push(other);
    await stopping.claimFirst(job._id);
    stopping.run(job);
    await waitFor('a few items worked', () => worked.length >= 5);

    // When the instance running it stops, the other goes on from where it stopped
    await stopping.stop();
    const left = (await models.runs.findById(`${job._id}:1`).lean().exec())!;
    expect(left.leaseUntil.getTime()).toBe(0);
    await waitFor('the job finished', () => finished.length > 0, { timeoutMs: 10_000 });
    expect(finished).toEqual([1]);
    expect(worked.map((w) => w.item)).toEqual(ITEMS);
    expect(worked.filter((w) => w.instance === 0)).toHaveLength(left.sent);
  });

  it('lets go of a job whose lease ran out while an item held it up, rather than renewing it late', async () => {
    const job: Job = { _id: 'ws:job-3' };
    let unfinished = true;
    const worked: string[] = [];
    const finished: number[] = [];
    const leaseMs = 600;
    // One instance alone: nobody else can take the job over, so before it let go of a lapsed
    // lease it renewed run 1 late and went on as if it had held the job all along.
    const alone = createLeasedJobs<Job>({
      db,
      models,
      log: createLogger('leased-jobs-test', 'silent'),
      leaseMs,
      rate: 0,
      unfinished: async () => (unfinished ? [job] : []),
      list: async () => ITEMS,
      work: async (_, item) => {
        // Item 5 takes one and a half leases the first time: the run cannot renew in between.
        if (item === 'item-5' && !worked.includes(item)) await new Promise((r) => setTimeout(r, leaseMs * 1.5));
        worked.push(item);
      },
      finished: async (_, total) => {
        finished.push(total);
        unfinished = false;
      },
      failed: async (_, err) => {
        throw err;
      },
    });
    instances.push(alone);
    await alone.claimFirst(job._id);
    alone.run(job);

    await waitFor('the job finished', () => finished.length > 0, { timeoutMs: 10_000 });
    const runs = await models.runs.find({ job: job._id }).lean().exec();
    const [first, second] = [runs.find((r) => r.run === 1)!, runs.find((r) => r.run === 2)!];
    // Run 1 stopped at the lapse and recorded nothing after it: a renewal past its lease would have recorded 6 or more
    expect(first.sent).toBeLessThanOrEqual(5);
    // Run 2 (the same instance's takeover) went on from run 1's count and finished the job once
    expect(runs.map((r) => r.run).sort()).toEqual([1, 2]);
    expect(second.sent).toBe(ITEMS.length);
    expect(worked).toEqual([...ITEMS.slice(0, 6), ...ITEMS.slice(first.sent)]);
    expect(finished).toEqual([ITEMS.length]);
  });
});
