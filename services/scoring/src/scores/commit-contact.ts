// Commits one contact's batch: write, then publish, then schedule. The score document
// is written first, with the changes it is about to publish recorded in it (their
// figures: the inputs say the rest, see domain/score-change), so that
// whoever reads the contact after a score change (lifecycle, a gateway resolving a
// phaseChanged payload) finds at least what the change says. The changes go out
// after, in order, and the next decay check is scheduled last.
//
// A failure between those steps redelivers the batch. Its inputs are then at or
// before the stored position and are not applied again; what the write promised is
// done again instead: its recorded changes are re-published (the stream's duplicate
// window drops copies of those that went out) and its decay check is scheduled again.
import { appendNew, replaceAtPosition, type Database } from '@cei/mongo';
import { scheduleEvent, publishInOrder, type Nats } from '@cei/nats';
import type { ScoringRequested, Topology } from '@cei/contracts';
import { scoreChangeDoc, scoreRow, type ContactScoreDoc, type ContactScoreRow, type ScoringModels } from '../models';
import { nextDecayCheck, type ContactProgress } from '../domain/contact-step';
import { figuresOf, promisedChanges, type PendingChange } from '../domain/score-change';
import type { ScoringPolicy } from '../domain/score-state';
import { appendRecords, dropGeneration, writeGeneration } from './contact-history';

/** Seams in a commit, for tests that fail a commit between two of its steps (a hook may throw). */
export interface CommitProbe {
  /** After the usage document is written, before the score document (see usage/commit-usage). */
  usageWritten?(key: string): void;
  /** After the score document is written, before anything is published. */
  written?(key: string): void;
  /** After the changes are published, before the decay check is scheduled. */
  published?(key: string): void;
  /** A redelivered batch did again what an earlier write promised. */
  redone?(key: string, redone: { seqs: number[]; changes: number; decayCheck: boolean }): void;
}

export interface CommitDeps {
  db: Pick<Database, 'limit'>;
  models: ScoringModels;
  nats: Nats;
  topology: Topology;
  now: () => Date;
  probe?: CommitProbe;
  /**
   * A test seam (unset: a check is scheduled when due): the longest real wait before a decay
   * check, so that a check comes within this of real time after a test moves `now` past its due
   * time (a check that finds no significant drop yet schedules the next).
   */
  decayCheckHorizonMs?: number;
  /** The batch's abandonment (see @cei/nats): checked before each write of the contact. */
  signal?: AbortSignal;
  /** Called with the stored row once it is written: the next batch starts from it. */
  remember?(row: ContactScoreRow): void;
}

/** What the stored write promised for the inputs this batch redelivered. */
function promisedFor(stored: ContactScoreDoc, replayed: ContactProgress['replayed']) {
  return {
    changes: promisedChanges(stored.pendingChanges, replayed),
    // The decay check is scheduled after the whole write: redone with its last input.
    decayCheck: replayed.some((r) => r.seq === stored.lastSeq) ? stored.decayCheckAt : null,
  };
}

export async function commitContact(
  deps: CommitDeps,
  stored: ContactScoreDoc,
  progress: ContactProgress,
  policy: ScoringPolicy,
): Promise<void> {
  const { models, probe } = deps;
  const key = stored._id;
  const promised = promisedFor(stored, progress.replayed);
  if (progress.replayed.length > 0) {
    probe?.redone?.(key, {
      seqs: progress.replayed.map((r) => r.seq),
      changes: promised.changes.length,
      decayCheck: promised.decayCheck !== null,
    });
  }

  if (progress.lastSeq === stored.lastSeq) {
    // Nothing new: finish what the stored write promised (its changes were stored before it).
    await publishChanges(deps, stored, promised.changes);
    if (promised.decayCheck) await scheduleDecayCheck(deps, stored, promised.decayCheck);
    return;
  }

  // A decay check the stored write promised may never have reached the server: schedule anew.
  const decayCheck = nextDecayCheck(progress, policy.halfLifeDays, promised.decayCheck ? null : progress.decayCheckAt);
  // Each database write waits for its turn at the pool (Database.limit), and starts only
  // if the batch was not abandoned meanwhile.
  const write = <T>(operation: () => Promise<T>) => deps.db.limit(operation, deps.signal);
  const history = await write(() =>
    progress.rebuilt
      ? writeGeneration(models, stored, progress.rebuilt)
      : appendRecords(models, stored, progress.records),
  );
  // The promised changes first: they come from earlier inputs, and lifecycle reads changes in order.
  const pendingChanges = [...promised.changes, ...progress.changes];
  const next: ContactScoreDoc = {
    ...stored,
    ...history,
    state: progress.state,
    // A field of its own: an account's contacts are one equality filter (influence's colleagues).
    accountId: progress.state.profile?.accountId ?? null,
    lastSeq: progress.lastSeq,
    recentInteractionIds: progress.recentInteractionIds,
    published: progress.published,
    decayCheckAt: decayCheck.at,
    pendingChanges: pendingChanges.map(figuresOf),
    updatedAt: deps.now(),
  };
  // The changes are stored before the write that promises them: findable by id once published.
  await write(() => storeChanges(models, pendingChanges));
  // Only if it is still where this owner saw it (see replaceAtPosition).
  const row = scoreRow(next);
  await write(() => replaceAtPosition(models.ContactScore, row, stored.lastSeq));
  deps.remember?.(row);
  probe?.written?.(key);
  await publishChanges(deps, stored, pendingChanges);
  probe?.published?.(key);
  if (decayCheck.schedule && decayCheck.at) await scheduleDecayCheck(deps, stored, decayCheck.at);
  if (progress.rebuilt && stored.sealed > 0) await dropGeneration(models, stored);
}

/** Insert-only, by deterministic _id: a redelivery's copies are refused as duplicates. */
async function storeChanges(models: ScoringModels, changes: readonly PendingChange[]): Promise<void> {
  const docs = changes.flatMap(({ change }) =>
    change.changeId ? [scoreChangeDoc({ ...change, changeId: change.changeId })] : [],
  );
  if (docs.length > 0) await appendNew(models.ScoreChange, docs);
}

/** In order, per contact (publishInOrder): lifecycle evaluates phases in this order. */
async function publishChanges(
  deps: CommitDeps,
  contact: Pick<ContactScoreDoc, 'workspaceId' | 'contactId'>,
  changes: readonly PendingChange[],
): Promise<void> {
  const subject = deps.topology.subjects.scoreChanged(contact.workspaceId, contact.contactId);
  await publishInOrder(
    deps.nats.js,
    changes.map(({ change, msgId }) => ({ subject, payload: change, msgId })),
  );
}

/**
 * Asks the server to deliver a DECAY_CHECK to the contact's owner at `at` (scoring's clock,
 * as a delay from the real clock, which the server's schedule runs on). The server holds one
 * pending check per contact (a new one replaces it), so only contacts whose score can still
 * fall are ever visited, and scheduling again is safe.
 */
async function scheduleDecayCheck(
  deps: CommitDeps,
  contact: Pick<ContactScoreDoc, 'workspaceId' | 'contactId'>,
  at: Date,
): Promise<void> {
  const { workspaceId, contactId } = contact;
  const request: ScoringRequested = { v: 1, request: 'DECAY_CHECK', workspaceId, contactId };
  const wait = Math.min(Math.max(0, at.getTime() - deps.now().getTime()), deps.decayCheckHorizonMs ?? Infinity);
  await scheduleEvent(
    deps.nats.js,
    deps.topology.subjects.decayCheckSchedule(workspaceId, contactId),
    deps.topology.subjects.scoringRequested(workspaceId, contactId),
    new Date(Date.now() + wait),
    request,
  );
}
