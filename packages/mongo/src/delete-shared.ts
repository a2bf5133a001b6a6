// Deletes by `_id` that share a command: the deletes of a collection that arrive while one of its
// deletes is under way go together in the next `deleteMany({ _id: { $in } })`. The first finds the
// collection idle and goes at once: no timer, no wait added at low load. Made for small collections
// whose entries are removed one by one as their work ends (ingestion's outbox: one entry per accepted
// call, removed once its interactions are published), where a burst of single-interaction calls
// otherwise spends a database command on each removal. FerretDB v1 serves `$in` with a scan of the
// collection (../shared/FERRETDB.md): keep it to collections that stay small.
import type { Collection, Document } from 'mongodb';
import type { Model } from 'mongoose';

/** Most ids in one delete command. */
export const DELETE_GROUP_MAX = 1_000;

interface Waiting {
  id: string;
  resolve(): void;
  reject(err: unknown): void;
}

interface DeleteGroup {
  waiting: Waiting[];
  deleting: boolean;
}

const groups = new WeakMap<object, DeleteGroup>();

/**
 * Deletes the document `id` of `model`'s collection (none there: nothing happens), in a command
 * shared with the deletes that arrive meanwhile. Settles when that command has: a failed command
 * fails every delete it held (each caller's document may or may not be gone, as after any failed
 * delete), and the next command takes whatever waits then.
 */
export function deleteShared<T extends { _id: string }>(model: Model<T>, id: string): Promise<void> {
  let group = groups.get(model.collection);
  if (!group) groups.set(model.collection, (group = { waiting: [], deleting: false }));
  const deletes = group;
  return new Promise<void>((resolve, reject) => {
    deletes.waiting.push({ id, resolve, reject });
    if (!deletes.deleting) void deleteWaiting(model, deletes);
  });
}

async function deleteWaiting<T extends { _id: string }>(model: Model<T>, group: DeleteGroup): Promise<void> {
  // The raw driver collection: a filter on `_id` alone, nothing for mongoose to cast.
  const collection = model.collection as unknown as Collection<Document & { _id: string }>;
  group.deleting = true;
  try {
    while (group.waiting.length > 0) {
      const taken = group.waiting.splice(0, DELETE_GROUP_MAX);
      const ids = [...new Set(taken.map((waiting) => waiting.id))];
      try {
        await (ids.length === 1
          ? collection.deleteOne({ _id: ids[0]! })
          : collection.deleteMany({ _id: { $in: ids } }));
        for (const waiting of taken) waiting.resolve();
      } catch (err) {
        for (const waiting of taken) waiting.reject(err);
      }
    }
  } finally {
    group.deleting = false;
  }
}
