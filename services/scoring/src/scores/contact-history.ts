// A contact's records (its explanation, and the archive recompute replays) kept
// reachable by _id: the open bucket inside the score document, full buckets as
// their own documents <workspace>:<contact>:<generation>:<n>. Only the contact's
// owner writes them; a rebuild writes a new generation and the score document
// switches to it in its one write, so readers never see half a rebuild.
import { loadByIds, type Database } from '@cei/mongo';
import { BUCKET_CHARS, BUCKET_SIZE, type ContactScoreDoc, type HistoryBucketDoc, type ScoringModels } from '../models';
import type { ScoreRecord } from '../domain/score-state';

export type HistoryFields = Pick<ContactScoreDoc, 'generation' | 'sealed' | 'sealedRecords' | 'tail' | 'tailChars'>;

export function bucketId(doc: Pick<ContactScoreDoc, '_id'>, generation: number, n: number): string {
  return `${doc._id}:${generation}:${n}`;
}

/** The records the sealed buckets hold (see ContactScoreDoc.sealedRecords). */
export function sealedCount(doc: Pick<ContactScoreDoc, 'sealed' | 'sealedRecords'>): number {
  return doc.sealedRecords ?? doc.sealed * BUCKET_SIZE;
}

export function recordCount(doc: Omit<HistoryFields, 'generation'>): number {
  return sealedCount(doc) + doc.tail.length;
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

/**
 * Bucket `n` of the contact's history, with the index of its first record: a sealed bucket
 * (none where it is missing), or the open one at n = sealed.
 */
export async function readBucket(
  db: Database,
  models: ScoringModels,
  doc: ContactScoreDoc,
  n: number,
): Promise<{ first: number; records: ScoreRecord[] }> {
  if (n >= doc.sealed) return { first: sealedCount(doc), records: doc.tail };
  const id = bucketId(doc, doc.generation, n);
  const bucket = (await loadByIds(db, models.HistoryBucket, [id])).get(id);
  if (!bucket) return { first: n * BUCKET_SIZE, records: [] };
  return { first: bucket.first ?? n * BUCKET_SIZE, records: JSON.parse(bucket.records) as ScoreRecord[] };
}

/** A bucket's records and the characters of JSON they hold. */
interface Group {
  records: ScoreRecord[];
  chars: number;
}

/** A record's size as a bucket counts it: its characters of JSON. */
const charsOf = (record: ScoreRecord) => JSON.stringify(record).length;

/**
 * Records as buckets, after an open bucket: each closes at BUCKET_SIZE records or BUCKET_CHARS
 * characters of JSON (before a record that would take it past them, or after one that alone
 * does). What reached neither stays open. An open bucket is always below both, so its records
 * start the first bucket whatever follows: the same records group the same way whether they
 * came in one batch or several, and a replay seals the buckets it sealed before, under the same ids.
 */
function groupRecords(records: readonly ScoreRecord[], open: Group): { sealed: ScoreRecord[][]; open: Group } {
  const sealed: ScoreRecord[][] = [];
  let group: Group = { records: [...open.records], chars: open.chars };
  for (const record of records) {
    const size = charsOf(record);
    if (group.records.length > 0 && group.chars + size > BUCKET_CHARS) {
      sealed.push(group.records);
      group = { records: [], chars: 0 };
    }
    group.records.push(record);
    group.chars += size;
    if (group.records.length === BUCKET_SIZE || group.chars >= BUCKET_CHARS) {
      sealed.push(group.records);
      group = { records: [], chars: 0 };
    }
  }
  return { sealed, open: group };
}

const EMPTY: Group = { records: [], chars: 0 };

/** `groups` sealed as buckets `from`, `from + 1`, … of a generation, their first record at `first`. */
function bucketsOf(
  doc: Pick<ContactScoreDoc, '_id' | 'workspaceId'>,
  generation: number,
  groups: readonly ScoreRecord[][],
  from: number,
  first: number,
): { buckets: HistoryBucketDoc[]; records: number } {
  let records = first;
  const buckets = groups.map((group, i) => {
    const bucket = {
      _id: bucketId(doc, generation, from + i),
      workspaceId: doc.workspaceId,
      records: JSON.stringify(group),
      first: records,
    };
    records += group.length;
    return bucket;
  });
  return { buckets, records };
}

/**
 * Appends records: full buckets are sealed (to be inserted insert-only, by deterministic
 * ids, so a replay after a crash re-inserts nothing), the rest stays in the open bucket.
 * Returns the history fields the score document must be written with, and the buckets to
 * insert before it.
 */
export function sealRecords(
  doc: Pick<ContactScoreDoc, '_id' | 'workspaceId' | 'generation' | 'sealed' | 'sealedRecords' | 'tail' | 'tailChars'>,
  records: readonly ScoreRecord[],
): { fields: HistoryFields; sealedBuckets: HistoryBucketDoc[] } {
  const tail = { records: doc.tail, chars: doc.tailChars ?? doc.tail.reduce((n, r) => n + charsOf(r), 0) };
  // An open bucket written before buckets were sealed by size may be past BUCKET_CHARS: regrouped.
  const { sealed, open } =
    tail.chars < BUCKET_CHARS ? groupRecords(records, tail) : groupRecords([...doc.tail, ...records], EMPTY);
  const { buckets, records: sealedRecords } = bucketsOf(doc, doc.generation, sealed, doc.sealed, sealedCount(doc));
  return {
    fields: {
      generation: doc.generation,
      sealed: doc.sealed + buckets.length,
      sealedRecords,
      tail: open.records,
      tailChars: open.chars,
    },
    sealedBuckets: buckets,
  };
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
  const { sealed, open } = groupRecords(records, EMPTY);
  const { buckets, records: sealedRecords } = bucketsOf(doc, generation, sealed, 0, 0);
  return {
    fields: { generation, sealed: buckets.length, sealedRecords, tail: open.records, tailChars: open.chars },
    generationBuckets: buckets,
  };
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
