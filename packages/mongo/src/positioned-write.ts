// The one write of a contact's state document by its partition's owner (writeAtPosition), fenced
// by the stream position the owner last saw stored: the document is replaced only if it
// still records `expectedSeq`; at `expectedSeq` 0 it is created, and only if it does not exist.
// Every written document records the position of an event (≥ 1), so 0 means "never written".
// The creation is a plain insert: an upsert costs FerretDB v1 a query and a transaction around
// the insert, and every new contact is created this way by several consumers.
// If another writer moved it meanwhile (which one writer per partition rules out; the
// fence makes that rule checked, not assumed), nothing is written and StaleStateError
// is thrown: the batch fails, the owner forgets what it remembered (see OwnedState in
// @cei/nats), and the redelivered batch starts again from what is stored.
import type { Collection, Document, Filter, UpdateFilter } from 'mongodb';
import type { Model, Schema } from 'mongoose';
import { appendNew } from './append';
import type { Database } from './connection';

export class StaleStateError extends Error {
  constructor(collection: string, key: string, expectedSeq: number) {
    super(
      `${collection} ${key} is no longer at stream position ${expectedSeq}: another writer moved it; ` +
        'the batch is applied again from what is stored',
    );
    this.name = 'StaleStateError';
  }
}

/** One caller's documents waiting for their collection's next insert (see appendShared). */
interface Append extends Queued<Set<number>> {
  docs: { _id: string }[];
}

/** Per collection: the appends waiting, and whether an insert of them is under way. */
interface AppendGroup {
  waiting: Append[];
  inserting: boolean;
}

const groups = new WeakMap<object, AppendGroup>();

/** Most documents in one insert (appendNew's chunk: both databases take 1,000 comfortably). */
const GROUP_MAX = 1_000;

/**
 * appendNew in a turn of the database's limit, sharing the insert: the appends to a collection that
 * arrive while one is being inserted go together in the next `insertMany` (unordered). A batch's
 * owner appends what each contact adds beside its document (qualification steps, transition
 * buckets) while it writes the others, and FerretDB v1 spends ~2 ms on each insert command and a
 * few hundredths of that per document of an insertMany (../shared/FERRETDB.md §3b): alone, that
 * was one insert command per contact. The first append finds the collection idle and is inserted
 * at once: no timer, no wait added at low load. Each caller learns its own outcome: the indexes
 * (into its `docs`) of those that existed (an `_id` appended by another caller of the same insert
 * counts as existing for the later one), or its own error: when the server refuses a shared insert,
 * each caller's documents are inserted again alone (what the shared one stored is then found
 * existing), so a document the database refuses fails its caller and no other. An insert without
 * an answer fails every caller. Documents whose `signal` fires before their insert starts are not
 * written.
 */
export function appendShared<T extends { _id: string }>(
  db: Pick<Database, 'limit'>,
  model: Model<T>,
  docs: T[],
  signal?: AbortSignal,
): Promise<Set<number>> {
  if (docs.length === 0) return Promise.resolve(new Set());
  let group = groups.get(model.collection);
  if (!group) groups.set(model.collection, (group = { waiting: [], inserting: false }));
  const appends = group;
  return queued<Set<number>, Append>(appends.waiting, { docs }, signal, () => {
    if (!appends.inserting) void insertWaiting(db, model, appends);
  });
}

/** A write waiting in its collection's queue until a command takes it, and how it is told its outcome. */
interface Queued<R> {
  resolve(outcome: R): void;
  reject(err: unknown): void;
}

/**
 * Queues a write in `waiting` (then calls `start`) and settles when the command that takes it settles
 * it; one whose `signal` fires while it still waits leaves the queue and is not written.
 */
function queued<R, W extends Queued<R>>(
  waiting: W[],
  write: Omit<W, keyof Queued<R>>,
  signal: AbortSignal | undefined,
  start: () => void,
): Promise<R> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<R>((resolve, reject) => {
    const abandon = () => {
      const at = waiting.indexOf(item);
      if (at < 0) return; // its command has started: it ends, done or failed, as any write does
      waiting.splice(at, 1);
      reject(signal!.reason);
    };
    const settled = () => signal?.removeEventListener('abort', abandon);
    const item = {
      ...write,
      resolve: (outcome: R) => {
        settled();
        resolve(outcome);
      },
      reject: (err: unknown) => {
        settled();
        reject(err);
      },
    } as W;
    signal?.addEventListener('abort', abandon, { once: true });
    waiting.push(item);
    start();
  });
}

/**
 * The fenced write of the header above, with writes shared: a creation (`expectedSeq` 0) shares its
 * collection's next insert with the creations and appends that arrive meanwhile (appendShared),
 * and a replacement its collection's next update command with the replacements that arrive
 * meanwhile (replaceShared). A fresh contact is created by every consumer that keeps state about
 * it, and a batch creates and rewrites hundreds at once. A write whose document is not where the
 * caller saw it fails with StaleStateError, alone; one whose `signal` fires before its command
 * starts is not written.
 */
export function writeAtPosition<T extends { _id: string; lastSeq: number }>(
  db: Pick<Database, 'limit'>,
  model: Model<T>,
  doc: T,
  expectedSeq: number,
  signal?: AbortSignal,
): Promise<void> {
  if (expectedSeq !== 0) return replaceShared(db, model, doc, expectedSeq, signal);
  return appendShared(db, model, [doc], signal).then((existed) => {
    if (existed.size > 0) throw new StaleStateError(model.collection.collectionName, doc._id, 0);
  });
}

/** One caller's replacement waiting for its collection's next update command (see replaceShared). */
interface Replacement extends Queued<void> {
  doc: { _id: string; lastSeq: number };
  expectedSeq: number;
}

/** Per collection: the replacements waiting, and how many update commands of them are under way. */
interface ReplaceGroup {
  waiting: Replacement[];
  running: number;
  /** A command started and still waiting for its turn of the limit: it takes whatever waits then. */
  starting: boolean;
}

const replaceGroups = new WeakMap<object, ReplaceGroup>();

/**
 * Most statements in one update command. Each is a document's own read and transaction in
 * FerretDB v1 (one after the other), so a command of 100 takes some tens of milliseconds.
 */
export const REPLACE_GROUP_MAX = 100;
/** Update commands of one collection under way at once: a second overlaps the first's round trips. */
const REPLACE_LANES = 2;

/**
 * A fenced replacement as one statement of an update command shared with the replacements of the
 * collection that arrive while its commands are under way (as appendShared shares inserts; the
 * first finds the collection idle and goes at once). FerretDB v1 spends about as much on a
 * command as on the document it updates (measured: ~0.66–0.77 ms of FerretDB, PostgreSQL and
 * driver CPU per replaceOne of a 3.4 KB state document against ~0.45 ms per statement in
 * commands of 40), and a batch's owner rewrites every contact it touched.
 *
 * Each statement is an update of the document's fields (`$set`, and `$unset` of the model's
 * other top-level paths, which a replacement would drop) with `multi: true` on the fence
 * `{ _id, lastSeq: expectedSeq }`, which matches one document at most. `multi`, because of the
 * FerretDB v1 hang (../shared/FERRETDB.md §0 and §4): an update statement limited to one
 * document keeps its query's PostgreSQL connection until the whole command returns, so a
 * command of as many matched statements as the pool has connections waits forever; a
 * multi-document statement reads its query to the end and gives the connection back (§4:
 * updateMany × 60 against a pool of 50 went through; FerretDB's internal/handler/msg_update.go
 * wraps the query in a LimitIterator only when `multi` is false). This is the one place that
 * departs from the letter of DESIGN.md rule 4 ("one update per command", written for
 * updateOne/replaceOne statements) and keeps its reason: the test that issues more statements at
 * once than FerretDB has connections wedges the server with single-document statements and goes
 * through with these. Do not turn these statements into updateOne or replaceOne.
 *
 * The command answers only how many statements matched in all. When that is all of them, every
 * write landed; when it is fewer, or the server refused a statement, each statement's outcome is its
 * own (settleAlone): landed, moved by another writer (StaleStateError), or
 * written alone, so a document the database refuses fails its own write and no other. A command
 * without an answer (the connection failed) fails all of its callers: any of them may have landed,
 * and each batch is applied again from what is stored (see OwnedState).
 */
function replaceShared<T extends { _id: string; lastSeq: number }>(
  db: Pick<Database, 'limit'>,
  model: Model<T>,
  doc: T,
  expectedSeq: number,
  signal?: AbortSignal,
): Promise<void> {
  let group = replaceGroups.get(model.collection);
  if (!group) replaceGroups.set(model.collection, (group = { waiting: [], running: 0, starting: false }));
  const replacements = group;
  return queued<void, Replacement>(replacements.waiting, { doc, expectedSeq }, signal, () =>
    startReplacing(db, model, replacements),
  );
}

/**
 * Starts the collection's next command, unless one is already waiting for its turn (it takes what
 * waits when its turn comes) or REPLACE_LANES are under way (the first to end starts the next).
 */
function startReplacing<T extends { _id: string; lastSeq: number }>(
  db: Pick<Database, 'limit'>,
  model: Model<T>,
  group: ReplaceGroup,
): void {
  if (group.starting || group.running >= REPLACE_LANES || group.waiting.length === 0) return;
  group.running++;
  group.starting = true;
  void db
    .limit(async () => {
      group.starting = false;
      const taken = takeWaiting(group);
      // What this command leaves waiting (more than it holds) goes in the other lane.
      startReplacing(db, model, group);
      if (taken.length === 0) return;
      try {
        await replaceTaken(model, taken);
      } catch (err) {
        // Whatever failed unforeseen fails the callers not settled yet (a settled one stays as it is).
        for (const replacement of taken) replacement.reject(err);
      }
    })
    .catch(() => undefined) // every replacement taken is settled above
    .finally(() => {
      group.running--;
      startReplacing(db, model, group);
    });
}

/** The statements waiting, in order, one per document (a second of one waits for the next command). */
function takeWaiting(group: ReplaceGroup): Replacement[] {
  const taken: Replacement[] = [];
  const ids = new Set<string>();
  for (let i = 0; i < group.waiting.length && taken.length < REPLACE_GROUP_MAX;) {
    const replacement = group.waiting[i]!;
    if (ids.has(replacement.doc._id)) {
      i++;
      continue;
    }
    ids.add(replacement.doc._id);
    taken.push(replacement);
    group.waiting.splice(i, 1);
  }
  return taken;
}

/** Writes the replacements as one update command and settles each with its own outcome. */
async function replaceTaken<T extends { _id: string; lastSeq: number }>(
  model: Model<T>,
  taken: readonly Replacement[],
): Promise<void> {
  const collection = model.collection as unknown as Collection<Document & { _id: string }>;
  const paths = topLevelPaths(model.schema);
  const statements = taken.map(({ doc, expectedSeq }) => updateOf(doc, expectedSeq, paths));
  try {
    const result = await collection.bulkWrite(
      statements.map((updateMany) => ({ updateMany })),
      { ordered: false },
    );
    if (result.matchedCount === taken.length) {
      for (const replacement of taken) replacement.resolve();
      return;
    }
  } catch (err) {
    // No answer from the server (the connection failed, …): any of them may have landed.
    // By name, not instanceof: the driver may be a different copy than the caller's.
    if (!(err instanceof Error) || !SERVER_ERRORS.has(err.name)) {
      for (const replacement of taken) replacement.reject(err);
      return;
    }
    // The server refused a statement. FerretDB v1 then stops the whole command there and names
    // its first statement whichever it was (measured), so each one's outcome is found below.
  }
  await Promise.all(taken.map((replacement, i) => settleAlone(collection, replacement, statements[i]!)));
}

const SERVER_ERRORS = new Set(['MongoBulkWriteError', 'MongoServerError']);

/**
 * One statement's own outcome, after a command that did not land them all: read back by _id (FerretDB
 * v1 scans the collection for `$in`), not in a turn of the database's limit (the command holds one).
 * At its new position it landed; somewhere else, another writer moved it (StaleStateError); still
 * where its writer saw it, it is written alone, so that it fails only with its own error (or lands:
 * the command stopped at another statement). Written again at an unmoved position, it changes nothing.
 */
async function settleAlone(
  collection: Collection<Document & { _id: string }>,
  { doc, expectedSeq, resolve, reject }: Replacement,
  statement: Statement,
): Promise<void> {
  try {
    const stored = await collection.findOne({ _id: doc._id }, { projection: { lastSeq: 1 } });
    if (stored?.lastSeq === expectedSeq) {
      const alone = await collection.updateMany(statement.filter, statement.update);
      if (alone.matchedCount === 0) throw new StaleStateError(collection.collectionName, doc._id, expectedSeq);
    } else if (stored?.lastSeq !== doc.lastSeq) {
      throw new StaleStateError(collection.collectionName, doc._id, expectedSeq);
    }
    resolve();
  } catch (err) {
    reject(err);
  }
}

/** An update statement (`multi: true`) of a shared command. */
interface Statement {
  filter: Filter<Document & { _id: string }>;
  update: UpdateFilter<Document & { _id: string }>;
}

/** The statement that makes the document at `expectedSeq` into `doc`, as a replacement would. */
function updateOf(doc: { _id: string }, expectedSeq: number, paths: readonly string[]): Statement {
  const { _id, ...fields } = doc as Record<string, unknown> & { _id: string };
  const absent = paths.filter((path) => !(path in fields));
  return {
    filter: { _id, lastSeq: expectedSeq },
    update:
      absent.length > 0
        ? { $set: fields, $unset: Object.fromEntries(absent.map((path) => [path, ''])) }
        : { $set: fields },
  };
}

const pathsOfSchemas = new WeakMap<Schema, string[]>();

/** The model's top-level fields besides `_id`: what a replacement without them would remove. */
function topLevelPaths(schema: Schema): string[] {
  let paths = pathsOfSchemas.get(schema);
  if (!paths) {
    paths = [...new Set(Object.keys(schema.paths).map((path) => path.split('.')[0]!))].filter((path) => path !== '_id');
    pathsOfSchemas.set(schema, paths);
  }
  return paths;
}

/** Inserts the group's waiting appends, as many as there are when a turn of the limit comes. */
async function insertWaiting<T extends { _id: string }>(
  db: Pick<Database, 'limit'>,
  model: Model<T>,
  group: AppendGroup,
): Promise<void> {
  group.inserting = true;
  try {
    while (group.waiting.length > 0) {
      await db.limit(async () => {
        let size = 0;
        let count = 0;
        while (count < group.waiting.length && (count === 0 || size + group.waiting[count]!.docs.length <= GROUP_MAX)) {
          size += group.waiting[count]!.docs.length;
          count++;
        }
        const appends = group.waiting.splice(0, count);
        if (appends.length === 0) return;
        try {
          const existed = await appendNew(
            model,
            appends.flatMap((append) => append.docs as T[]),
          );
          let offset = 0;
          for (const append of appends) {
            const mine = new Set<number>();
            for (let i = 0; i < append.docs.length; i++) if (existed.has(offset + i)) mine.add(i);
            offset += append.docs.length;
            append.resolve(mine);
          }
        } catch (err) {
          // The server refused a document of a shared insert (FerretDB v1 stops the insert there,
          // PostgreSQL having refused one, and names none): each caller's documents are inserted
          // alone, so that only the caller of the refused one fails. What the shared insert stored
          // meanwhile is found again as existing, as on a redelivery. Without an answer from the
          // server (the connection failed) every caller fails: a retry would fail the same way.
          if (appends.length === 1 || !(err instanceof Error) || !SERVER_ERRORS.has(err.name)) {
            for (const append of appends) append.reject(err);
            return;
          }
          for (const append of appends) {
            await appendNew(model, append.docs as T[]).then(append.resolve, append.reject);
          }
        }
      });
    }
  } finally {
    group.inserting = false;
  }
}
