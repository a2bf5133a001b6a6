// A contact's phase history: how long it stayed in each phase, and where each of its
// transitions lives. The contact's document keeps at least the last HISTORY_KEPT;
// older ones move, a whole BUCKET_SIZE at a time, into insert-only buckets found by
// _id (`<workspace>:<contact>:<bucket>`), so a page of history is a few reads by _id.
import { PHASES, type Phase } from '@cei/contracts';

export const HISTORY_KEPT = 100;
export const BUCKET_SIZE = 100;
/** The most transitions one page of `phaseHistory` returns. */
export const MAX_PAGE = 500;

/** Milliseconds spent in each phase. */
export type PhaseDurations = Record<Phase, number>;

export const noDurations = (): PhaseDurations => ({ NURTURE: 0, PURCHASE: 0, RETENTION: 0, EXIT: 0 });

/** The durations after a stay in `phase` from `since` to `until` (a clock moved back counts 0). */
export function withStay(durations: PhaseDurations, phase: Phase, since: Date, until: Date): PhaseDurations {
  return { ...durations, [phase]: durations[phase] + Math.max(0, until.getTime() - since.getTime()) };
}

/** Closed stays plus the current one, up to `now`. */
export function timeInPhases(closed: PhaseDurations, phase: Phase, since: Date, now: Date) {
  const durations = withStay(closed, phase, since, now);
  return PHASES.map((p) => ({ phase: p, seconds: durations[p] / 1000 }));
}

/** The stays a list of transitions (oldest first) describes, the contact having started in NURTURE at `startedAt`. */
export function durationsOf(startedAt: Date, transitions: readonly { from: Phase; at: Date }[]): PhaseDurations {
  let durations = noDurations();
  let since = startedAt;
  for (const t of transitions) {
    durations = withStay(durations, t.from, since, t.at);
    since = t.at;
  }
  return durations;
}

export const bucketOf = (n: number) => Math.ceil(n / BUCKET_SIZE);
export const bucketId = (contactKey: string, bucket: number) => `${contactKey}:${bucket}`;

/**
 * The buckets to write now: whole buckets beyond the last HISTORY_KEPT, of transitions the
 * stored document held already (so a batch applied again after a crash writes the same ones).
 */
export function bucketsToArchive(archivedThrough: number, storedCount: number, count: number): number[] {
  const upTo = Math.min(storedCount, count - HISTORY_KEPT);
  const buckets: number[] = [];
  for (let b = archivedThrough / BUCKET_SIZE + 1; b * BUCKET_SIZE <= upTo; b++) buckets.push(b);
  return buckets;
}

/** The transition numbers of a page, newest first: `first` of those before `after` (all when null). */
export function pageNumbers(count: number, after: number | null, first: number): number[] {
  const start = Math.min(after === null ? count : after - 1, count);
  const numbers: number[] = [];
  for (let n = start; n >= 1 && numbers.length < first; n--) numbers.push(n);
  return numbers;
}
