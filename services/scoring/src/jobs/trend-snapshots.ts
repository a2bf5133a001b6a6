// The nightly trend snapshot: shortly after midnight UTC, each workspace's contacts are tallied as
// they stood at the end of the day that just closed (trends/trend-store.ts) and stored, one
// insert-only document per workspace and day; then one record says the day's snapshots are all
// taken. Every instance checks when it starts and then on a timer; ids are deterministic, so two
// instances taking the same snapshot store it once, and a restarted one finds the day's record
// and does nothing.
// Only the day that just closed is taken, and only within SNAPSHOT_WINDOW_MS of its end: a
// snapshot read later would count what happened since as that day's (a day missed is missing).
import type { Logger } from '@cei/config';
import { trendPeriodOf, utcDay } from '@cei/contracts';
import { appendNew } from '@cei/mongo';
import { takeSnapshot, type TrendStoreDeps } from '../trends/trend-store';

export const SNAPSHOT_WINDOW_MS = 6 * 3_600_000;

export interface TrendSnapshotsDeps extends TrendStoreDeps {
  log: Logger;
  now: () => Date;
  checkEveryMs: number;
}

export interface TrendSnapshots {
  start(): void;
  stop(): Promise<void>;
  /** One check: takes the day that just closed if it is due and not taken. */
  checkOnce(): Promise<void>;
}

export function createTrendSnapshots(deps: TrendSnapshotsDeps): TrendSnapshots {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  /** The last day this instance saw fully taken (kept in memory only to skip the read). */
  let lastTaken: string | null = null;

  async function checkOnce(): Promise<void> {
    const now = deps.now();
    const today = trendPeriodOf('DAY', now).start.getTime();
    if (now.getTime() - today > SNAPSHOT_WINDOW_MS) return;
    const day = utcDay(today - 1);
    if (lastTaken === day) return;
    if (await deps.db.limit(() => deps.models.TrendDay.exists({ _id: day }).exec())) {
      lastTaken = day;
      return;
    }
    const workspaces = (await deps.models.ContactScore.distinct('workspaceId').exec()) as string[];
    for (const workspaceId of workspaces) await takeSnapshot(deps, workspaceId, day, deps.now());
    await appendNew(deps.models.TrendDay, [{ _id: day, takenAt: deps.now(), workspaces: workspaces.length }]);
    lastTaken = day;
    deps.log.info({ day, workspaces: workspaces.length }, 'trend snapshots taken');
  }

  return {
    start() {
      if (timer) return;
      const check = () => {
        // A check slower than the interval is not overtaken by the next.
        running ??= checkOnce()
          .catch((err) => deps.log.error({ err }, 'trend snapshot failed; the next check tries again'))
          .finally(() => (running = undefined));
      };
      // At once, then on the timer: an instance started after midnight takes the day that closed
      // now, while the collections hold the least since then, not a whole interval later.
      check();
      timer = setInterval(check, deps.checkEveryMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
    checkOnce,
  };
}
