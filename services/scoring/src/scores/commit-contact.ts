// Commits a batch's contacts, each as planned by planContact: for each contact, write, then
// publish, then schedule (commitContacts does what is insert-only for the whole batch first,
// then each contact's documents, then each contact's changes and decay check). The score document
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
import { appendNew, loadByIds, writeAtPosition, type Database } from '@cei/mongo';
import { scheduleEvent, publishInOrder, writeAll, type Nats } from '@cei/nats';
import { contactKey, scoreChangeId, type ScoringRequested, type Topology } from '@cei/contracts';
import {
  scoreChangeSetDoc,
  scoreRow,
  storedChanges,
  type ContactScoreDoc,
  type ContactScoreRow,
  type ContactUsageRow,
  type HistoryBucketDoc,
  type ScoreChangeRow,
  type ScoringModels,
  type StoredScoreChange,
} from '../models';
import type { UsageCommit } from '../usage/commit-usage';
import { nextDecayCheck, type ContactProgress } from '../domain/contact-step';
import {
  figuresOf,
  identified,
  isPending,
  promisedSets,
  setMessage,
  setsOf,
  storedChangeOf,
  type ChangeSet,
  type PendingChange,
} from '../domain/score-change';
import type { ScoringPolicy } from '../domain/score-state';
import { dropGeneration, nextGeneration, sealRecords, writeGeneration } from './contact-history';

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
  db: Database;
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
    sets: promisedSets(stored.pendingChanges, stored.pendingSets, replayed),
    // The decay check is scheduled after the whole write: redone with its last input.
    decayCheck: replayed.some((r) => r.seq === stored.lastSeq) ? stored.decayCheckAt : null,
  };
}

/** What committing one contact's batch writes and sends, computed before any of it is done. */
export interface ContactCommit {
  contact: Pick<ContactScoreDoc, '_id' | 'workspaceId' | 'contactId'>;
  /** The score document to write (null: nothing new, only what the stored write promised is redone). */
  row: ContactScoreRow | null;
  /** The position the stored document is at: the write is fenced by it. */
  expectedSeq: number;
  /** History buckets sealed by this write (insert-only), or a rebuild's new generation (replaced). */
  sealedBuckets: HistoryBucketDoc[];
  generationBuckets: HistoryBucketDoc[];
  /**
   * The changes to store before the write and to publish after it, in order, as the messages they
   * go out in (a promised change whose input is not redelivered is read back before it goes out).
   */
  sets: ChangeSet[];
  decayCheck: Date | null;
  /** A rebuild's replaced generation, removed once the new one is live. */
  dropGeneration: Pick<ContactScoreDoc, '_id' | 'generation' | 'sealed'> | null;
}

/**
 * Plans one contact's commit from its stored document and its progress in this batch (pure
 * but for the probe): nothing is kept of the decoded document but what the commit needs.
 */
export function planContact(
  deps: Pick<CommitDeps, 'now' | 'probe'>,
  stored: ContactScoreDoc,
  progress: ContactProgress,
  policy: ScoringPolicy,
): ContactCommit {
  const key = stored._id;
  const contact = { _id: key, workspaceId: stored.workspaceId, contactId: stored.contactId };
  const promised = promisedFor(stored, progress.replayed);
  if (progress.replayed.length > 0) {
    deps.probe?.redone?.(key, {
      seqs: progress.replayed.map((r) => r.seq),
      changes: promised.sets.reduce((n, set) => n + set.length, 0),
      decayCheck: promised.decayCheck !== null,
    });
  }
  const nothing = { sealedBuckets: [], generationBuckets: [], dropGeneration: null };
  if (progress.lastSeq === stored.lastSeq) {
    // Nothing new: finish what the stored write promised (its changes were stored before it).
    return {
      contact,
      row: null,
      expectedSeq: stored.lastSeq,
      ...nothing,
      sets: promised.sets,
      decayCheck: promised.decayCheck,
    };
  }
  // A decay check the stored write promised may never have reached the server: schedule anew.
  const decayCheck = nextDecayCheck(progress, policy.halfLifeDays, promised.decayCheck ? null : progress.decayCheckAt);
  const history = progress.rebuilt
    ? { ...nextGeneration(stored, progress.rebuilt), sealedBuckets: [] }
    : { ...sealRecords(stored, progress.records), generationBuckets: [] };
  // A contact scoring had no document for: its first change tells lifecycle it has none either.
  const fresh = progress.changes.map((pending, i) =>
    stored.lastSeq === 0 && i === 0 ? { ...pending, change: { ...pending.change, first: true } } : pending,
  );
  // The promised changes first: they come from earlier inputs, and lifecycle reads changes in order.
  const sets: ChangeSet[] = [...promised.sets, ...setsOf(fresh)];
  const next: ContactScoreDoc = {
    ...stored,
    ...history.fields,
    state: progress.state,
    // A field of its own: an account's contacts are one equality filter (influence's colleagues).
    accountId: progress.state.profile?.accountId ?? null,
    lastSeq: progress.lastSeq,
    // The usage position this write goes with (0: the contact has no usage document): a batch
    // with no usage event for a contact at 0 need not read one (load-batch.ts, mayHaveUsage).
    usageSeq: progress.usageSeq,
    recentInteractionIds: progress.recentInteractionIds,
    recomputedBy: progress.recomputedBy,
    published: progress.published,
    decayCheckAt: decayCheck.at,
    pendingChanges: sets.flat().map((member) => (isPending(member) ? figuresOf(member) : member.figures)),
    pendingSets: sets.map((set) => set.length),
    updatedAt: deps.now(),
  };
  return {
    contact,
    row: scoreRow(next),
    expectedSeq: stored.lastSeq,
    sealedBuckets: history.sealedBuckets,
    generationBuckets: history.generationBuckets,
    sets,
    decayCheck: decayCheck.schedule ? decayCheck.at : null,
    dropGeneration:
      progress.rebuilt && stored.sealed > 0 ? { _id: key, generation: stored.generation, sealed: stored.sealed } : null,
  };
}

/**
 * Commits the planned contacts of a batch: first what is insert-only (every contact's sealed
 * history buckets, then every score change, each kind in one insert for the whole batch), then
 * per contact its usage document (see usage/commit-usage) and its score document, then per
 * contact its changes in order and its next decay check. Each contact is still written before
 * anything about it is published, and each change is stored before the write that promises it.
 */
export async function commitContacts(
  deps: CommitDeps & { rememberUsage?(row: ContactUsageRow): void },
  plans: readonly { commit: ContactCommit; usage: UsageCommit | null }[],
): Promise<void> {
  const { models, probe, signal } = deps;
  const write = <T>(operation: () => Promise<T>) => deps.db.limit(operation, signal);
  const facts = plans.flatMap(({ usage }) => usage?.facts ?? []);
  if (facts.length > 0) await write(() => appendNew(models.UsageFact, facts));
  const sealed = plans.flatMap(({ commit }) => commit.sealedBuckets);
  if (sealed.length > 0) await write(() => appendNew(models.HistoryBucket, sealed));
  // A set some of whose changes are not made again now was promised by a stored write: stored before it.
  const sets = plans.flatMap(({ commit }) => (commit.row ? commit.sets.filter(isWhole) : []));
  if (sets.length > 0) await write(() => storeChanges(models, sets));

  await writeAll(
    plans,
    async ({ commit, usage }) => {
      if (usage) {
        await writeAtPosition(deps.db, models.ContactUsage, usage.row, usage.expectedSeq, signal);
        deps.rememberUsage?.(usage.row);
      }
      probe?.usageWritten?.(commit.contact._id);
      const row = commit.row;
      if (!row) return;
      if (commit.generationBuckets.length > 0) await write(() => writeGeneration(models, commit.generationBuckets));
      // Only if it is still where this owner saw it; a creation shares an insert with the
      // batch's others (see writeAtPosition).
      await writeAtPosition(deps.db, models.ContactScore, row, commit.expectedSeq, signal);
      deps.remember?.(row);
      probe?.written?.(commit.contact._id);
    },
    { signal },
  );

  signal?.throwIfAborted();
  const readBack = await readUnreplayed(deps, plans);
  await writeAll(
    plans,
    async ({ commit }) => {
      await publishChanges(deps, commit.contact, readBack(commit));
      probe?.published?.(commit.contact._id);
      if (commit.decayCheck) await scheduleDecayCheck(deps, commit.contact, commit.decayCheck);
      if (commit.dropGeneration) await dropGeneration(models, commit.dropGeneration);
    },
    { signal, concurrency: PUBLISH_CONCURRENCY },
  );
}

/** Contacts whose changes are published at once: each contact's own stay in order (publishInOrder). */
const PUBLISH_CONCURRENCY = 32;

const isWhole = (set: ChangeSet): set is PendingChange[] => set.every(isPending);

/**
 * Insert-only, one document per message, by the deterministic id of its first change: a
 * redelivery's copies are refused as duplicates.
 */
async function storeChanges(models: ScoringModels, sets: readonly PendingChange[][]): Promise<void> {
  await appendNew(
    models.ScoreChange,
    sets.map((set) => scoreChangeSetDoc(identified(set))),
  );
}

/**
 * Reads back the promised changes whose inputs were not redelivered (rare: some of a message's
 * inputs came back, not all), and answers each commit's sets whole. A set's changes are in its
 * message's document, under its first change's id, read once for the batch and parsed once; a set
 * stored before messages were stored whole has a document per change, read in a second command.
 */
async function readUnreplayed(
  deps: Pick<CommitDeps, 'db' | 'models'>,
  plans: readonly { commit: ContactCommit }[],
): Promise<(commit: ContactCommit) => PendingChange[][]> {
  const idOf = (commit: ContactCommit, seq: number) =>
    contactKey(commit.contact.workspaceId, scoreChangeId(commit.contact.contactId, seq));
  const partial = plans.flatMap(({ commit }) =>
    commit.sets.filter((set) => !isWhole(set)).map((set) => ({ commit, set })),
  );
  const load = (ids: string[]) =>
    ids.length === 0 ? new Map<string, ScoreChangeRow>() : loadByIds(deps.db, deps.models.ScoreChange, ids);
  // The messages' documents first; a change's own document only where its message has none of the newer kind.
  const messages = await load(partial.map(({ commit, set }) => idOf(commit, set[0]!.seq)));
  const inMessage = new Map<string, Map<number, StoredScoreChange>>();
  for (const [id, row] of messages) {
    if ('changes' in row) inMessage.set(id, new Map(storedChanges(row).map((change) => [change.seq, change])));
  }
  const own = await load(
    partial.flatMap(({ commit, set }) =>
      inMessage.has(idOf(commit, set[0]!.seq))
        ? []
        : set.flatMap((member) => (isPending(member) ? [] : [idOf(commit, member.seq)])),
    ),
  );
  const factsOf = (commit: ContactCommit, set: ChangeSet, seq: number): StoredScoreChange | undefined => {
    const message = inMessage.get(idOf(commit, set[0]!.seq));
    if (message) return message.get(seq);
    const row = own.get(idOf(commit, seq));
    return row && storedChanges(row)[0];
  };
  return (commit) =>
    commit.sets.map((set) =>
      set.map((member) => {
        if (isPending(member)) return member;
        const facts = factsOf(commit, set, member.seq);
        if (!facts?.msgId) {
          throw new Error(
            `score change ${idOf(commit, member.seq)} was promised by a write but is not stored with its message id: ` +
              'its message cannot be published again whole',
          );
        }
        return storedChangeOf(commit.contact, member, facts);
      }),
    );
}

/** In order, per contact (publishInOrder): lifecycle evaluates phases in this order. One message per set. */
async function publishChanges(
  deps: CommitDeps,
  contact: Pick<ContactScoreDoc, 'workspaceId' | 'contactId'>,
  sets: readonly PendingChange[][],
): Promise<void> {
  const subject = deps.topology.subjects.scoreChanged(contact.workspaceId, contact.contactId);
  await publishInOrder(
    deps.nats.js,
    sets.map((set) => ({ subject, ...setMessage(set) })),
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
