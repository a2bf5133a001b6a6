// How a contact's records are sealed into history buckets: by count and by size, the same way
// whether they come in one write or in several (a replay after a crash seals the buckets it
// sealed before, under the same ids), and an open bucket written before buckets were sealed by
// size, larger than one may be now, sealed on the next write.
import { BUCKET_CHARS, BUCKET_SIZE, type ContactScoreDoc } from '../models';
import type { ScoreRecord } from '../domain/score-state';
import { nextGeneration, recordCount, sealRecords } from './contact-history';

const contact = { _id: 'ws:ann', workspaceId: 'ws' };
const empty = { ...contact, generation: 0, sealed: 0, tail: [] as ScoreRecord[] };

/** A visit whose properties carry `noteChars` characters (0: none). */
function visit(n: number, noteChars = 0): ScoreRecord {
  return {
    type: 'INTERACTION',
    at: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
    seq: n,
    interaction: {
      interactionId: `i${n}`,
      kind: 'PAGE_VISIT',
      variant: null,
      occurredAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
      properties: noteChars > 0 ? { note: 'x'.repeat(noteChars) } : {},
    },
    entries: [{ ruleId: 'visit', general: 1, stage: 1, tags: [] }],
  };
}

/**
 * A note that makes a visit a third of 300 characters short of BUCKET_CHARS: three large visits
 * leave room for one small one (~190 characters), not two.
 */
const LARGE =
  Math.floor((BUCKET_CHARS - 300) / 3) - JSON.stringify(visit(20)).length - JSON.stringify({ note: '' }).length + 2;

const chars = (records: readonly ScoreRecord[]) => records.reduce((n, r) => n + JSON.stringify(r).length, 0);

/** Seals `records` write by write, `perWrite` at a time; returns the document's fields and every bucket. */
function sealInWrites(records: readonly ScoreRecord[], perWrite: number) {
  let doc: Pick<
    ContactScoreDoc,
    '_id' | 'workspaceId' | 'generation' | 'sealed' | 'sealedRecords' | 'tail' | 'tailChars'
  > = empty;
  const buckets = [];
  for (let i = 0; i < records.length; i += perWrite) {
    const { fields, sealedBuckets } = sealRecords(doc, records.slice(i, i + perWrite));
    doc = { ...doc, ...fields };
    buckets.push(...sealedBuckets);
  }
  return { doc, buckets };
}

describe('history buckets', () => {
  // Small visits, then large ones, then small again: buckets close by count and by size.
  const records = [
    ...Array.from({ length: 20 }, (_, i) => visit(i)),
    ...Array.from({ length: 20 }, (_, i) => visit(20 + i, LARGE)),
    ...Array.from({ length: 20 }, (_, i) => visit(40 + i)),
  ];

  it('closes a bucket at BUCKET_SIZE records or BUCKET_CHARS characters, the open one below both', () => {
    const { doc, buckets } = sealInWrites(records, records.length);
    for (const bucket of buckets) {
      const held = JSON.parse(bucket.records) as ScoreRecord[];
      expect(held.length).toBeLessThanOrEqual(BUCKET_SIZE);
      // Past BUCKET_CHARS only by its last record.
      expect(chars(held.slice(0, -1))).toBeLessThan(BUCKET_CHARS);
    }
    // A small visit is ~190 characters, a large one just under a third of BUCKET_CHARS.
    const sizes = buckets.map((b) => (JSON.parse(b.records) as ScoreRecord[]).length);
    expect(sizes).toEqual([16, 4 + 2, 3, 3, 3, 3, 3, 3 + 1, 16]);
    expect(buckets.map((b) => b.first)).toEqual([0, 16, 22, 25, 28, 31, 34, 37, 41]);
    const ids = (tail: readonly ScoreRecord[]) =>
      tail.map((r) => r.type === 'INTERACTION' && r.interaction.interactionId);
    expect(ids(doc.tail)).toEqual(['i57', 'i58', 'i59']);
    expect(doc.tailChars).toBe(chars(doc.tail));
    expect(doc.sealedRecords).toBe(57);
    expect(recordCount(doc)).toBe(60);
  });

  it('seals the same buckets whether the records come in one write or one by one', () => {
    const once = sealInWrites(records, records.length);
    for (const perWrite of [1, 3, 7]) expect(sealInWrites(records, perWrite)).toEqual(once);
  });

  it('rebuilds a history as the buckets the same records were sealed in', () => {
    const { doc, buckets } = sealInWrites(records, 5);
    const rebuilt = nextGeneration({ ...contact, generation: 0 }, records);
    const { sealed, sealedRecords, tail, tailChars } = doc;
    expect(rebuilt.fields).toEqual({ generation: 1, sealed, sealedRecords, tail, tailChars });
    expect(rebuilt.generationBuckets.map((b) => [b._id, b.records, b.first])).toEqual(
      buckets.map((b) => [b._id.replace(/:0:(\d+)$/, ':1:$1'), b.records, b.first]),
    );
  });

  it('seals an open bucket written before buckets were sealed by size, past BUCKET_CHARS, on its next write', () => {
    // As written then: 15 large records open, no characters recorded.
    const before = { ...empty, sealed: 2, tail: Array.from({ length: 15 }, (_, i) => visit(32 + i, LARGE)) };
    const { fields, sealedBuckets } = sealRecords(before, [visit(47)]);
    // Regrouped from its first record: three large records a bucket, the last three and the new
    // small one open (below BUCKET_CHARS together).
    expect(sealedBuckets.map((b) => [b._id, b.first, (JSON.parse(b.records) as ScoreRecord[]).length])).toEqual([
      ['ws:ann:0:2', 32, 3],
      ['ws:ann:0:3', 35, 3],
      ['ws:ann:0:4', 38, 3],
      ['ws:ann:0:5', 41, 3],
    ]);
    expect(fields).toMatchObject({ sealed: 6, sealedRecords: 44 });
    expect(fields.tail).toEqual([...before.tail.slice(12), visit(47)]);
    expect(fields.tailChars).toBe(chars(fields.tail));
    expect(fields.tailChars).toBeLessThan(BUCKET_CHARS);
  });
});
