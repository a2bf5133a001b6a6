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
import { isDuplicateKey } from './append';

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
