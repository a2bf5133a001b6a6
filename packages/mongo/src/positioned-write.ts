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

/** One creation waiting for its collection's next insert (see writeAtPosition). */
interface Creation {
  doc: { _id: string };
  resolve(): void;
  reject(err: unknown): void;
}

/** Per collection: the creations waiting, and whether an insert of them is under way. */
interface CreationGroup {
  waiting: Creation[];
  inserting: boolean;
}

const groups = new WeakMap<object, CreationGroup>();

/** Most creations in one insert (appendNew's chunk: both databases take 1,000 comfortably). */
const GROUP_MAX = 1_000;

/**
 * replaceAtPosition in a turn of the database's limit, with one difference: the creations
 * (`expectedSeq` 0) of a collection that arrive while one is being inserted share the next
 * insert — one `insertMany` (unordered) instead of one `insertOne` each. A fresh contact is
 * created by every consumer that keeps state about it, and a batch creates hundreds at once;
 * FerretDB v1 spends ~2 ms on each insert command and a few hundredths of that per document
 * of an insertMany (../shared/FERRETDB.md §3b). The first creation finds the collection idle
 * and is inserted at once: no timer, no wait added at low load. Each caller still learns its
 * own outcome: StaleStateError when its document exists already (the duplicate `_id` of that
 * one document), the insert's error when the insert failed; the others of the insert are
 * written. A creation whose `signal` fires before its insert starts is not written.
 */
export function writeAtPosition<T extends { _id: string; lastSeq: number }>(
  db: Pick<Database, 'limit'>,
  model: Model<T>,
  doc: T,
  expectedSeq: number,
  signal?: AbortSignal,
): Promise<void> {
  if (expectedSeq !== 0) return db.limit(() => replaceAtPosition(model, doc, expectedSeq), signal);
  if (signal?.aborted) return Promise.reject(signal.reason);
  let group = groups.get(model.collection);
  if (!group) groups.set(model.collection, (group = { waiting: [], inserting: false }));
  const waiting = group.waiting;
  return new Promise<void>((resolve, reject) => {
    const abandon = () => {
      const at = waiting.indexOf(creation);
      if (at < 0) return; // its insert has started: it ends, done or failed, as any write does
      waiting.splice(at, 1);
      reject(signal!.reason);
    };
    const settled = () => signal?.removeEventListener('abort', abandon);
    const creation: Creation = {
      doc,
      resolve: () => {
        settled();
        resolve();
      },
      reject: (err) => {
        settled();
        reject(err);
      },
    };
    signal?.addEventListener('abort', abandon, { once: true });
    waiting.push(creation);
    if (!group.inserting) void insertWaiting(db, model, group);
  });
}

/** Inserts the group's waiting creations, as many as there are when a turn of the limit comes. */
async function insertWaiting<T extends { _id: string }>(
  db: Pick<Database, 'limit'>,
  model: Model<T>,
  group: CreationGroup,
): Promise<void> {
  group.inserting = true;
  try {
    while (group.waiting.length > 0) {
      await db.limit(async () => {
        const creations = group.waiting.splice(0, GROUP_MAX);
        if (creations.length === 0) return;
        try {
          const duplicates = await appendNew(
            model,
            creations.map((creation) => creation.doc as T),
          );
          creations.forEach((creation, i) => {
            if (!duplicates.has(i)) return creation.resolve();
            creation.reject(new StaleStateError(model.collection.collectionName, creation.doc._id, 0));
          });
        } catch (err) {
          for (const creation of creations) creation.reject(err);
        }
      });
    }
  } finally {
    group.inserting = false;
  }
}
