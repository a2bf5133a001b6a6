// A contact's records (its explanation, and the archive recompute replays) kept
// reachable by _id: the open bucket inside the score document, full buckets as
// their own documents <workspace>:<contact>:<generation>:<n>. Only the contact's
// owner writes them; a rebuild writes a new generation and the score document
// switches to it in its one write, so readers never see half a rebuild.
import { loadByIds, type Database } from '@cei/mongo';
import { BUCKET_SIZE, type ContactScoreDoc, type HistoryBucketDoc, type ScoringModels } from '../models';
import type { ScoreRecord } from '../domain/score-state';

export type HistoryFields = Pick<ContactScoreDoc, 'generation' | 'sealed' | 'tail'>;

export function bucketId(doc: Pick<ContactScoreDoc, '_id'>, generation: number, n: number): string {
  return `${doc._id}:${generation}:${n}`;
}

export function recordCount(doc: HistoryFields): number {
  return doc.sealed * BUCKET_SIZE + doc.tail.length;
}

/** Every record of the contact, oldest first. */
export async function readAllRecords(
  db: Database,
  models: ScoringModels,
  doc: ContactScoreDoc,
): Promise<ScoreRecord[]> {
  const ids = Array.from({ length: doc.sealed }, (_, n) => bucketId(doc, doc.generation, n));
  const buckets = await loadByIds(db, models.HistoryBucket, ids);
  const records: ScoreRecord[] = [];
  for (const id of ids) {
    const bucket = buckets.get(id);
    if (!bucket) throw new Error(`history bucket ${id} is missing`);
    records.push(...(JSON.parse(bucket.records) as ScoreRecord[]));
  }
  return [...records, ...doc.tail];
}

/** Records `from`..`to` (exclusive), oldest first: what one page of history needs. */
export async function readRecords(
  db: Database,
  models: ScoringModels,
  doc: ContactScoreDoc,
  from: number,
  to: number,
): Promise<ScoreRecord[]> {
  const sealedCount = doc.sealed * BUCKET_SIZE;
  const first = Math.floor(from / BUCKET_SIZE);
  const last = Math.min(Math.floor((to - 1) / BUCKET_SIZE), doc.sealed - 1);
  const ids: string[] = [];
  for (let n = first; n <= last; n++) ids.push(bucketId(doc, doc.generation, n));
  const buckets = await loadByIds(db, models.HistoryBucket, ids);
  const records: { index: number; record: ScoreRecord }[] = [];
  for (let n = first; n <= last; n++) {
    const bucket = buckets.get(bucketId(doc, doc.generation, n));
    if (!bucket) continue;
    (JSON.parse(bucket.records) as ScoreRecord[]).forEach((record, i) =>
      records.push({ index: n * BUCKET_SIZE + i, record }),
    );
  }
  doc.tail.forEach((record, i) => records.push({ index: sealedCount + i, record }));
  return records.filter((r) => r.index >= from && r.index < to).map((r) => r.record);
}

/**
 * Appends records: full buckets are sealed (to be inserted insert-only, by deterministic
 * ids, so a replay after a crash re-inserts nothing), the rest stays in the open bucket.
 * Returns the history fields the score document must be written with, and the buckets to
 * insert before it.
 */
export function sealRecords(
  doc: Pick<ContactScoreDoc, '_id' | 'workspaceId' | 'generation' | 'sealed' | 'tail'>,
  records: readonly ScoreRecord[],
): { fields: HistoryFields; sealedBuckets: HistoryBucketDoc[] } {
  let tail = [...doc.tail, ...records];
  let sealed = doc.sealed;
  const sealedBuckets: HistoryBucketDoc[] = [];
  while (tail.length >= BUCKET_SIZE) {
    sealedBuckets.push({
      _id: bucketId(doc, doc.generation, sealed),
      workspaceId: doc.workspaceId,
      records: JSON.stringify(tail.slice(0, BUCKET_SIZE)),
    });
    tail = tail.slice(BUCKET_SIZE);
    sealed++;
  }
  return { fields: { generation: doc.generation, sealed, tail }, sealedBuckets };
}

/**
 * A whole new history (a rebuild) as the next generation: its buckets, written by
 * `writeGeneration` before the score document points at them (not visible until then); the
 * buckets it replaces are removed afterwards by `dropGeneration`.
 */
export function nextGeneration(
  doc: Pick<ContactScoreDoc, '_id' | 'workspaceId' | 'generation'>,
  records: readonly ScoreRecord[],
): { fields: HistoryFields; generationBuckets: HistoryBucketDoc[] } {
  const generation = doc.generation + 1;
  const sealed = Math.floor(records.length / BUCKET_SIZE);
  const generationBuckets = Array.from({ length: sealed }, (_, n) => ({
    _id: bucketId(doc, generation, n),
    workspaceId: doc.workspaceId,
    records: JSON.stringify(records.slice(n * BUCKET_SIZE, (n + 1) * BUCKET_SIZE)),
  }));
  return { fields: { generation, sealed, tail: records.slice(sealed * BUCKET_SIZE) }, generationBuckets };
}

export async function writeGeneration(models: ScoringModels, buckets: readonly HistoryBucketDoc[]): Promise<void> {
  // Replace, not insert: a rebuild retried after a crash may find its own earlier try.
  await Promise.all(
    buckets.map(({ _id, ...bucket }) => models.HistoryBucket.replaceOne({ _id }, bucket, { upsert: true }).exec()),
  );
}

export async function dropGeneration(
  models: ScoringModels,
  doc: Pick<ContactScoreDoc, '_id' | 'generation' | 'sealed'>,
): Promise<void> {
  await Promise.all(
    Array.from({ length: doc.sealed }, (_, n) =>
      models.HistoryBucket.deleteOne({ _id: bucketId(doc, doc.generation, n) }).exec(),
    ),
  );
}
