// `Contact.scoreHistory`: a contact's explanation entries, newest first, paged by
// an opaque cursor (generation, record, entry). Reads only the buckets a page needs,
// by _id. The first page starts with the decay pending since the last stored change,
// so the entries always add up to the score as read now.
import { invalidFields, type InteractionKind } from '@cei/contracts';
import type { Database } from '@cei/mongo';
import type { ContactScoreDoc, ScoringModels } from '../models';
import { decayTo, type Entry, type ScoreRecord } from '../domain/score-state';
import type { TagPoints } from '../domain/rules';
import type { ScoredText } from '../domain/sentiment';
import { readBucket, recordCount } from './contact-history';

export interface HistoryEntry {
  cause: 'INTERACTION' | 'DECAY' | 'STAGE_RESET' | 'RECOMPUTE';
  at: Date;
  interactionId: string | null;
  kind: InteractionKind | null;
  /** The sentiment of the interaction's text, when it had one. */
  sentiment: ScoredText | null;
  ruleId: string | null;
  general: number;
  stage: number;
  tags: TagPoints[];
  pending: boolean;
  cursor: string;
}

export interface HistoryPage {
  entries: HistoryEntry[];
  endCursor: string | null;
  hasNextPage: boolean;
}

/** An entry's place: its record's bucket (see contact-history), the record's index and the entry's. */
interface Position {
  generation: number;
  bucket: number;
  record: number;
  entry: number;
}

const encode = (p: Position) => Buffer.from(`${p.generation}:${p.record}:${p.entry}:${p.bucket}`).toString('base64url');

/** The place after the newest stored record: a page from it starts with the newest entry. */
const newest = (doc: ContactScoreDoc): Position => ({
  generation: doc.generation,
  bucket: doc.sealed,
  record: recordCount(doc),
  entry: 0,
});

const notACursor = () => invalidFields([{ path: 'after', message: 'not a cursor of this history' }]);

function decode(cursor: string, doc: ContactScoreDoc): Position {
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split(':').map(Number);
  if (!parts.every((n) => Number.isInteger(n) && n >= 0)) throw notACursor();
  if (parts.length === 3) {
    // Given before buckets were sealed by size, when a cursor did not say its bucket.
    throw invalidFields([
      { path: 'after', message: 'a cursor of an earlier version of CEI; start again without after' },
    ]);
  }
  if (parts.length !== 4) throw notACursor();
  const [generation, record, entry, bucket] = parts;
  if (generation !== doc.generation) {
    throw invalidFields([
      { path: 'after', message: 'the history was rebuilt by a recompute since; start again without after' },
    ]);
  }
  if (bucket! > doc.sealed) throw notACursor();
  return { generation, bucket: bucket!, record: record!, entry: entry! };
}

/** A record's entries as the API shows them; an interaction no rule scored still shows, with 0 points. */
function entriesOf(record: ScoreRecord): Entry[] {
  if (record.entries.length > 0 || record.type !== 'INTERACTION') return record.entries;
  return [{ ruleId: null, general: 0, stage: 0, tags: [] }];
}

function toEntry(record: ScoreRecord, entry: Entry, position: Position): HistoryEntry {
  return {
    cause: record.type,
    at: new Date(record.at),
    interactionId: record.type === 'INTERACTION' ? record.interaction.interactionId : null,
    // A stored interaction's kind was checked against INTERACTION_KINDS when it was decoded (events.ts).
    kind: record.type === 'INTERACTION' ? (record.interaction.kind as InteractionKind) : null,
    sentiment: record.type === 'INTERACTION' ? (record.sentiment ?? null) : null,
    ruleId: entry.ruleId,
    general: entry.general,
    stage: entry.stage,
    tags: entry.tags,
    pending: false,
    cursor: encode(position),
  };
}

export async function historyPage(
  db: Database,
  models: ScoringModels,
  doc: ContactScoreDoc | null,
  opts: { first: number; after: string | null; halfLifeDays: number | null; now: Date },
): Promise<HistoryPage> {
  if (!Number.isInteger(opts.first) || opts.first < 1 || opts.first > 200) {
    throw invalidFields([{ path: 'first', message: 'between 1 and 200' }]);
  }
  if (!doc) return { entries: [], endCursor: null, hasNextPage: false };
  const entries: HistoryEntry[] = [];
  // The page holds the entries before this place, newest first (one more, to tell a next page).
  let before = newest(doc);
  if (opts.after) {
    before = decode(opts.after, doc);
  } else {
    const pending = pendingDecay(doc, opts.halfLifeDays, opts.now);
    if (pending) entries.push(pending);
  }

  // From the bucket that holds the record now: the cursor's own, or a later one where an open
  // bucket written before buckets were sealed by size was regrouped since the cursor was given.
  let bucket = before.bucket;
  let window = await readBucket(db, models, doc, bucket);
  while (bucket < doc.sealed && window.first + window.records.length <= before.record) {
    window = await readBucket(db, models, doc, ++bucket);
  }
  // Then back through the buckets, reading one at a time.
  for (;;) {
    const { first, records } = window;
    for (let i = records.length - 1; i >= 0 && entries.length <= opts.first; i--) {
      const record = first + i;
      if (record > before.record) continue;
      const shown = entriesOf(records[i]!);
      const from = record === before.record ? before.entry : shown.length;
      for (let entry = from - 1; entry >= 0 && entries.length <= opts.first; entry--) {
        entries.push(toEntry(records[i]!, shown[entry]!, { generation: doc.generation, bucket, record, entry }));
      }
    }
    if (entries.length > opts.first || --bucket < 0) break;
    window = await readBucket(db, models, doc, bucket);
  }
  const page = entries.slice(0, opts.first);
  return {
    entries: page,
    endCursor: page.length > 0 ? page[page.length - 1]!.cursor : null,
    hasNextPage: entries.length > opts.first,
  };
}

function pendingDecay(doc: ContactScoreDoc, halfLifeDays: number | null, now: Date): HistoryEntry | null {
  // The decay record the next change would write first, shown now without being written.
  const decay = decayTo(doc.state, halfLifeDays, now.toISOString());
  const entry = decay?.entries[0];
  if (!entry) return null;
  return {
    cause: 'DECAY',
    at: now,
    interactionId: null,
    kind: null,
    sentiment: null,
    ruleId: null,
    general: entry.general,
    stage: entry.stage,
    tags: entry.tags,
    pending: true,
    // Paging on from the pending entry starts at the newest stored record.
    cursor: encode(newest(doc)),
  };
}
