// `Contact.scoreHistory`: a contact's explanation entries, newest first, paged by
// an opaque cursor (generation, record, entry). Reads only the buckets a page needs,
// by _id. The first page starts with the decay pending since the last stored change,
// so the entries always add up to the score as read now.
import { invalidFields, type InteractionKind } from '@cei/contracts';
import type { Database } from '@cei/mongo';
import { BUCKET_SIZE, type ContactScoreDoc, type ScoringModels } from '../models';
import { decayTo, type Entry, type ScoreRecord } from '../domain/score-state';
import type { TagPoints } from '../domain/rules';
import type { ScoredText } from '../domain/sentiment';
import { readRecords, recordCount } from './contact-history';

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

interface Position {
  generation: number;
  record: number;
  entry: number;
}

const encode = (p: Position) => Buffer.from(`${p.generation}:${p.record}:${p.entry}`).toString('base64url');

function decode(cursor: string): Position {
  const [generation, record, entry] = Buffer.from(cursor, 'base64url').toString('utf8').split(':').map(Number);
  if (![generation, record, entry].every((n) => Number.isInteger(n) && n! >= 0)) {
    throw invalidFields([{ path: 'after', message: 'not a cursor of this history' }]);
  }
  return { generation: generation!, record: record!, entry: entry! };
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
  let record = recordCount(doc) - 1;
  let entry = Number.MAX_SAFE_INTEGER;
  if (opts.after) {
    const from = decode(opts.after);
    if (from.generation !== doc.generation) {
      throw invalidFields([
        { path: 'after', message: 'the history was rebuilt by a recompute since; start again without after' },
      ]);
    }
    ({ record, entry } = from);
    entry -= 1;
    if (entry < 0) {
      record -= 1;
      entry = Number.MAX_SAFE_INTEGER;
    }
  } else {
    const pending = pendingDecay(doc, opts.halfLifeDays, opts.now);
    if (pending) entries.push(pending);
  }

  // Walk back through records, reading one window of buckets at a time.
  while (record >= 0 && entries.length <= opts.first) {
    const from = Math.max(0, record - BUCKET_SIZE + 1);
    const window = await readRecords(db, models, doc, from, record + 1);
    for (let r = window.length - 1; r >= 0 && entries.length <= opts.first; r--, record--) {
      const shown = entriesOf(window[r]!);
      for (let e = Math.min(entry, shown.length - 1); e >= 0 && entries.length <= opts.first; e--) {
        entries.push(toEntry(window[r]!, shown[e]!, { generation: doc.generation, record, entry: e }));
      }
      entry = Number.MAX_SAFE_INTEGER;
    }
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
    cursor: encode({ generation: doc.generation, record: recordCount(doc), entry: 0 }),
  };
}
