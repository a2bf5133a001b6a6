// The one write of a contact's state document by its partition's owner, fenced by
// the stream position the owner last saw stored: the document is replaced only if it
// still records `expectedSeq`; at `expectedSeq` 0 it is created, and only if it does not exist.
// Every written document records the position of an event (≥ 1), so 0 means "never written".
// The creation is a plain insert: an upsert costs FerretDB v1 a query and a transaction around
// the insert, and every new contact is created this way by several consumers.
// If another writer moved it meanwhile (which one writer per partition rules out; the
// fence makes that rule checked, not assumed), nothing is written and StaleStateError
// is thrown: the batch fails, the owner forgets what it remembered (see OwnedState in
// @cei/nats), and the redelivered batch starts again from what is stored.
import type { Collection, Document } from 'mongodb';
import type { Model } from 'mongoose';
import { appendNew, isDuplicateKey } from './append';
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

export async function replaceAtPosition<T extends { _id: string; lastSeq: number }>(
  model: Model<T>,
  doc: T,
  expectedSeq: number,
): Promise<void> {
  // The raw driver collection: no casting or defaults; our documents are complete.
  const collection = model.collection as unknown as Collection<Document & { _id: string }>;
  try {
    if (expectedSeq === 0) {
      // Exists already (at any position): the unique _id refuses it (below).
      await collection.insertOne(doc);
      return;
    }
    const result = await collection.replaceOne({ _id: doc._id, lastSeq: expectedSeq }, doc);
    if (result.matchedCount === 0) {
      throw new StaleStateError(collection.collectionName, doc._id, expectedSeq);
    }
  } catch (err) {
    // The creation of a document that exists collides on _id.
    if (isDuplicateKey(err)) throw new StaleStateError(collection.collectionName, doc._id, expectedSeq);
    throw err;
  }
}

/** One caller's documents waiting for their collection's next insert (see appendShared). */
interface Append {
  docs: { _id: string }[];
  resolve(existed: Set<number>): void;
  reject(err: unknown): void;
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
 * counts as existing for the later one), or the insert's error, which fails every caller of that
 * insert. Documents whose `signal` fires before their insert starts are not written.
 */
export function appendShared<T extends { _id: string }>(
  db: Pick<Database, 'limit'>,
  model: Model<T>,
  docs: T[],
  signal?: AbortSignal,
): Promise<Set<number>> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (docs.length === 0) return Promise.resolve(new Set());
  let group = groups.get(model.collection);
  if (!group) groups.set(model.collection, (group = { waiting: [], inserting: false }));
  const waiting = group.waiting;
  return new Promise<Set<number>>((resolve, reject) => {
    const abandon = () => {
      const at = waiting.indexOf(append);
      if (at < 0) return; // its insert has started: it ends, done or failed, as any write does
      waiting.splice(at, 1);
      reject(signal!.reason);
    };
    const settled = () => signal?.removeEventListener('abort', abandon);
    const append: Append = {
      docs,
      resolve: (existed) => {
        settled();
        resolve(existed);
      },
      reject: (err) => {
        settled();
        reject(err);
      },
    };
    signal?.addEventListener('abort', abandon, { once: true });
    waiting.push(append);
    if (!group.inserting) void insertWaiting(db, model, group);
  });
}

/**
 * replaceAtPosition in a turn of the database's limit, with one difference: a creation
 * (`expectedSeq` 0) shares its collection's next insert with the creations and appends that
 * arrive meanwhile (appendShared). A fresh contact is created by every consumer that keeps state
 * about it, and a batch creates hundreds at once. A creation whose document exists fails with
 * StaleStateError, alone; one whose `signal` fires before its insert starts is not written.
 */
export function writeAtPosition<T extends { _id: string; lastSeq: number }>(
  db: Pick<Database, 'limit'>,
  model: Model<T>,
  doc: T,
  expectedSeq: number,
  signal?: AbortSignal,
): Promise<void> {
  if (expectedSeq !== 0) return db.limit(() => replaceAtPosition(model, doc, expectedSeq), signal);
  return appendShared(db, model, [doc], signal).then((existed) => {
    if (existed.size > 0) throw new StaleStateError(model.collection.collectionName, doc._id, 0);
  });
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
          for (const append of appends) append.reject(err);
        }
      });
    }
  } finally {
    group.inserting = false;
  }
}
