// phaseDistribution and funnel: read the workspace's lifecycle documents (and, for contacts with
// more transitions than a document keeps, their buckets by _id), off the event path, and count
// in code (figures.ts). Ranges are checked first, every problem named by field.
import { invalidFields, PHASES, type FieldProblem, type Phase } from '@cei/contracts';
import { inWorkspace, loadByIds, type Database } from '@cei/mongo';
import type { QueryFilter } from 'mongoose';
import { lifecycleDoc, type ContactLifecycleDoc, type ContactLifecycleRow, type LifecycleModels } from '../models';
import { BUCKET_SIZE, bucketId } from '../domain/history';
import { DailyDistribution, daysOf, FunnelCount, phaseCounts } from './figures';
import type { Timeline } from './timeline';

/** The longest range a distribution or a funnel covers. */
export const MAX_RANGE_DAYS = 366;
const READ_BATCH = 1000;

export interface FiguresDeps {
  db: Database;
  models: LifecycleModels;
}

function checkRange(from: Date | null | undefined, to: Date | null | undefined, now: Date): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!from) problems.push({ path: 'from', message: 'give the start of the range (with to)' });
  if (!to) problems.push({ path: 'to', message: 'give the end of the range (with from)' });
  if (!from || !to) return problems;
  if (from >= to) problems.push({ path: 'to', message: 'later than from' });
  else if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000) {
    problems.push({ path: 'to', message: `at most ${MAX_RANGE_DAYS} days after from` });
  }
  if (from > now) problems.push({ path: 'from', message: 'not in the future' });
  return problems;
}

export async function phaseDistribution(
  deps: FiguresDeps,
  workspaceId: string,
  range: { from?: Date | null; to?: Date | null },
  now: Date,
) {
  const { from, to } = range;
  const asked = Boolean(from || to);
  if (asked) {
    const problems = checkRange(from, to, now);
    if (problems.length > 0) throw invalidFields(problems);
  }
  const counts = await Promise.all(
    PHASES.map((phase) => deps.models.ContactLifecycle.countDocuments(inWorkspace(workspaceId, { phase })).exec()),
  );
  const current = phaseCounts(Object.fromEntries(PHASES.map((p, i) => [p, counts[i]!])) as Record<Phase, number>);
  if (!asked) return { current, days: [] };
  return { current, days: await phaseCountsAt(deps, workspaceId, daysOf(from!, to!, now)) };
}

/**
 * How many of the workspace's contacts were in each phase at each instant (labelled by `day`):
 * one read of every contact, whatever the number of instants. Used by phaseDistribution (the end
 * of each day) and by the trend buckets' phases (the close of each period).
 */
export async function phaseCountsAt(
  deps: FiguresDeps,
  workspaceId: string,
  instants: readonly { day: string; at: Date }[],
): Promise<{ day: string; phases: ReturnType<typeof phaseCounts> }[]> {
  if (instants.length === 0) return [];
  const daily = new DailyDistribution(instants);
  const since = new Date(Math.min(...instants.map(({ at }) => at.getTime())));
  // Every contact: one lifecycle saw after an instant counts at none of it (phaseAt), and a document
  // written before `startedAt` was stored has it completed in code.
  await eachTimeline(deps, workspaceId, {}, since, (t) => daily.add(t));
  return daily.result();
}

export async function funnel(deps: FiguresDeps, workspaceId: string, from: Date, to: Date, now: Date) {
  const problems = checkRange(from, to, now);
  if (problems.length > 0) throw invalidFields(problems);
  const count = new FunnelCount();
  // A document written before `startedAt` was stored has it completed in code, then checked here.
  const inRange = { $gte: from, $lt: to };
  await eachTimeline(deps, workspaceId, { $or: [{ startedAt: inRange }, { startedAt: null }] }, null, (t) => {
    if (t.startedAt >= from && t.startedAt < to) count.add(t);
  });
  return { from, to, ...count.result() };
}

/**
 * Calls `visit` with the timeline of every contact of the workspace that `filter` selects, a
 * thousand documents at a time. `since`: the earliest instant the caller asks about (null: the
 * whole history); a contact whose document keeps no transition that old gets its buckets too.
 */
async function eachTimeline(
  deps: FiguresDeps,
  workspaceId: string,
  filter: Record<string, unknown>,
  since: Date | null,
  visit: (timeline: Timeline) => void,
): Promise<void> {
  const cursor = deps.models.ContactLifecycle.find(
    inWorkspace<ContactLifecycleRow>(workspaceId, filter as QueryFilter<ContactLifecycleRow>),
  )
    .lean<ContactLifecycleRow>()
    .batchSize(READ_BATCH)
    .cursor();
  let batch: ContactLifecycleDoc[] = [];
  const flush = async () => {
    for (const timeline of await timelinesOf(deps, batch, since)) visit(timeline);
    batch = [];
  };
  for await (const doc of cursor) {
    batch.push(lifecycleDoc(doc as ContactLifecycleRow));
    if (batch.length >= READ_BATCH) await flush();
  }
  await flush();
}

async function timelinesOf(deps: FiguresDeps, docs: ContactLifecycleDoc[], since: Date | null): Promise<Timeline[]> {
  const needsBuckets = (doc: ContactLifecycleDoc) => {
    if (doc.archivedThrough === 0) return false;
    const oldestKept = doc.transitions.at(-1)?.at;
    return since === null || !oldestKept || oldestKept > since;
  };
  const ids = docs
    .filter(needsBuckets)
    .flatMap((doc) => Array.from({ length: doc.archivedThrough / BUCKET_SIZE }, (_, i) => bucketId(doc._id, i + 1)));
  const buckets = ids.length > 0 ? await loadByIds(deps.db, deps.models.TransitionBucket, ids) : new Map();
  return docs.map((doc) => {
    const archived = needsBuckets(doc)
      ? Array.from({ length: doc.archivedThrough / BUCKET_SIZE }, (_, i) =>
          buckets.get(bucketId(doc._id, i + 1)),
        ).flatMap((bucket) => bucket?.transitions ?? [])
      : [];
    const kept = [...doc.transitions].reverse();
    return { startedAt: doc.startedAt, phase: doc.phase, transitions: [...archived, ...kept] };
  });
}
