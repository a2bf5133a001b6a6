// The two steps every job-takeover test takes around a leased job (packages/mongo leased-jobs):
// kill -9 the instance running the job part-way through its list, then check that exactly one
// other instance took it over and sent the rest.
import type { Model } from 'mongoose';
import type { JobRunDoc } from '@cei/mongo';
import { waitFor } from '@cei/testing';
import type { AppProcess } from '../../infra/local/app-processes';

/** `<workspace>:<jobId>`: the job a run document belongs to. */
export const jobKey = (workspaceId: string, jobId: string) => `${workspaceId}:${jobId}`;

/**
 * Kills `victim` (SIGKILL) once the job's first run has recorded `after` items sent, and returns
 * that run as it stood after the kill: it must not have finished the job's `total` items.
 */
export async function killFirstRunAfter(
  runs: Model<JobRunDoc>,
  job: string,
  { after, total, victim }: { after: number; total: number; victim: AppProcess },
): Promise<JobRunDoc> {
  const firstRun = `${job}:1`;
  await waitFor(
    `the first run to record ${after} items sent`,
    async () => ((await runs.findById(firstRun).lean().exec())?.sent ?? 0) >= after,
    { timeoutMs: 30_000 },
  );
  process.kill(victim.pid!, 'SIGKILL');
  await victim.exited;
  const killed = (await runs.findById(firstRun).lean<JobRunDoc>().exec())!;
  expect(killed.sent).toBeLessThan(total);
  return killed;
}

/** The job took two runs: the killed one, then one by another instance that sent every item. */
export async function expectTakenOver(runs: Model<JobRunDoc>, job: string, killed: JobRunDoc, total: number) {
  const all = await runs.find({ job }).lean<JobRunDoc[]>().exec();
  expect(all.map((r) => [r.run, r.sent]).sort()).toEqual([
    [1, killed.sent],
    [2, total],
  ]);
  expect(all.find((r) => r.run === 2)!.runner).not.toBe(killed.runner);
}
