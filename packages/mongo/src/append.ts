// Appends with deterministic ids: the unique `_id` makes the database refuse a
// second copy (atomic on MongoDB and FerretDB alike), which is how CEI stays
// exactly-once without transactions.
import type { MongoBulkWriteError, Collection, Document } from 'mongodb';
import type { Model } from 'mongoose';

const DUPLICATE_KEY = 11000;
/** FerretDB and MongoDB both take 1000 documents per insert comfortably (DESIGN.md rule 4). */
const CHUNK = 1000;

/**
 * Inserts every document whose `_id` is new; returns the indexes (into `docs`) of
 * those that already existed. Any other write error is thrown.
 */
export async function appendNew<T extends { _id: string }>(model: Model<T>, docs: T[]): Promise<Set<number>> {
  // The raw driver collection: no casting or defaults; our documents are complete.
  const collection = model.collection as unknown as Collection<Document & { _id: string }>;
  const duplicates = new Set<number>();
  for (let start = 0; start < docs.length; start += CHUNK) {
    const chunk = docs.slice(start, start + CHUNK);
    try {
      await collection.insertMany(chunk, { ordered: false });
    } catch (err) {
      // By name, not instanceof: the driver may be a different copy than the caller's.
      if (!(err instanceof Error) || err.name !== 'MongoBulkWriteError') throw err;
      const bulk = err as MongoBulkWriteError;
      const writeErrors = Array.isArray(bulk.writeErrors) ? bulk.writeErrors : [bulk.writeErrors];
      // No document named: the command failed as a whole (FerretDB v1 stops an insert there when
      // PostgreSQL refuses a document, e.g. U+0000 in a string, some of the chunk stored and the rest
      // not). Not a duplicate: nothing here says which of them are stored.
      if (writeErrors.length === 0) throw err;
      for (const writeError of writeErrors) {
        if (writeError.code !== DUPLICATE_KEY) throw err;
        duplicates.add(start + writeError.index);
      }
    }
  }
  return duplicates;
}

export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === DUPLICATE_KEY;
}
