// Score changes as published, insert-only, one document per message: a write's changes of its
// contact go out together (domain/score-change: a set) and are stored together, under the first
// one's id, as one JSON string (FerretDB v1 stores one field, not a row per change: the changes'
// inserts were the largest statement of the drain, ~200,000 rows for 200,000 interactions).
// `Query.scoreChange(id)` reads the message's document by _id and answers the change it names
// (contracts' scoreChangeId). The contact's owner inserts them before the write of the score
// document that promises them, so a change is stored before anyone can hear of it; a redelivery
// inserts them again (refused as a duplicate) and publishes them again with the same ids.
// Documents stored before messages were stored whole hold one change each (ScoreChangeDoc).
import { Schema, type Connection, type Model } from 'mongoose';
import { contactKey, type InteractionKind, type ScoreChanged, type ScoreChangeCause } from '@cei/contracts';

/** A message's changes of one contact, in order (see the top of this file). */
export interface ScoreChangeSetDoc {
  _id: string; // <workspace>:<the first change's id>
  workspaceId: string;
  contactId: string;
  /** JSON of StoredScoreChange[], in message order. */
  changes: string;
}

/** One change as its message's document keeps it. */
export interface StoredScoreChange {
  /** The stream position of its input. */
  seq: number;
  changeId: string;
  /** Its own message id (a message of several goes out under the first one's, see setMessage). */
  msgId: string;
  cause: ScoreChangeCause;
  interactionId: string | null;
  kind: InteractionKind | null;
  occurredAt: string | null;
  contactProperties?: Record<string, string>;
  first?: boolean;
  delta: number;
  general: number;
  stage: number;
  engagementIndex: number;
  at: string;
}

/** A change stored alone, before messages were stored whole (still read, never written). */
export interface ScoreChangeDoc {
  _id: string; // <workspace>:<change id> (the change id: <contact>~<input position>)
  workspaceId: string;
  contactId: string;
  changeId: string;
  cause: ScoreChangeCause;
  interactionId: string | null;
  kind: InteractionKind | null;
  delta: number;
  general: number;
  stage: number;
  engagementIndex: number;
  at: Date;
  /**
   * What the change says beyond its figures and the fields above, so it can be published again
   * whole when its input is not redelivered with the rest of its message (domain/score-change:
   * promisedSets). Absent in documents stored before changes went out several to a message.
   */
  msgId?: string;
  occurredAt?: string | null;
  contactProperties?: Record<string, string>;
  /** The contact's first change (ScoreChanged.first). */
  first?: boolean;
}

export type ScoreChangeRow = ScoreChangeDoc | ScoreChangeSetDoc;

/** The document of one message's changes (ids as published: see domain/score-change `identified`). */
export function scoreChangeSetDoc(
  set: readonly { seq: number; msgId: string; change: ScoreChanged }[],
): ScoreChangeSetDoc {
  const [first] = set;
  if (!first?.change.changeId) throw new Error('a set of score changes to store must start with an identified change');
  const { workspaceId, contactId } = first.change;
  const changes: StoredScoreChange[] = set.map(({ seq, msgId, change }) => ({
    seq,
    changeId: change.changeId ?? '',
    msgId,
    cause: change.cause,
    interactionId: change.interactionId,
    kind: change.kind,
    occurredAt: change.occurredAt,
    ...(change.contactProperties ? { contactProperties: change.contactProperties } : {}),
    ...(change.first ? { first: true } : {}),
    delta: change.delta,
    general: change.general,
    stage: change.stage,
    engagementIndex: change.engagementIndex,
    at: change.at,
  }));
  return {
    _id: contactKey(workspaceId, first.change.changeId),
    workspaceId,
    contactId,
    changes: JSON.stringify(changes),
  };
}

/** The changes a stored row holds, in message order (a row of one change, as stored before sets: that one). */
export function storedChanges(row: ScoreChangeRow): StoredScoreChange[] {
  if ('changes' in row && typeof row.changes === 'string') return JSON.parse(row.changes) as StoredScoreChange[];
  const doc = row as ScoreChangeDoc;
  return [
    {
      seq: Number(doc.changeId.slice(doc.changeId.lastIndexOf('~') + 1)),
      changeId: doc.changeId,
      msgId: doc.msgId ?? '',
      cause: doc.cause,
      interactionId: doc.interactionId,
      kind: doc.kind,
      occurredAt: doc.occurredAt ?? null,
      ...(doc.contactProperties ? { contactProperties: doc.contactProperties } : {}),
      ...(doc.first ? { first: true } : {}),
      delta: doc.delta,
      general: doc.general,
      stage: doc.stage,
      engagementIndex: doc.engagementIndex,
      at: new Date(doc.at).toISOString(),
    },
  ];
}

export function scoreChangeModel(connection: Connection): Model<ScoreChangeRow> {
  // Rows are written and read through the driver (appendNew, loadByIds): this only names the collection.
  const schema = new Schema<ScoreChangeRow>(
    {
      _id: String,
      workspaceId: { type: String, required: true },
      contactId: String,
      changeId: String,
      cause: String,
      interactionId: { type: String, default: null },
      kind: { type: String, default: null },
      delta: Number,
      general: Number,
      stage: Number,
      engagementIndex: Number,
      at: Date,
      msgId: String,
      occurredAt: { type: String, default: null },
      contactProperties: { type: Schema.Types.Mixed, default: undefined },
      first: { type: Boolean, default: undefined },
      changes: String,
    },
    { versionKey: false, _id: false, minimize: false },
  );
  return connection.model<ScoreChangeRow>('ScoreChange', schema, 'score_changes');
}
