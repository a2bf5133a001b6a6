// Score changes as published, one insert-only document each: `Query.scoreChange(id)`
// (the payload of the scoreChanged subscription) reads one by _id. The contact's owner
// inserts them before the write of the score document that promises them, so a change
// is stored before anyone can hear of it; a redelivery inserts them again (refused as
// duplicates) and publishes them again with the same id.
import { Schema, type Connection, type Model } from 'mongoose';
import { contactKey, type InteractionKind, type ScoreChanged, type ScoreChangeCause } from '@cei/contracts';

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

export function scoreChangeDoc(change: ScoreChanged & { changeId: string }, msgId: string): ScoreChangeDoc {
  return {
    msgId,
    occurredAt: change.occurredAt,
    ...(change.contactProperties ? { contactProperties: change.contactProperties } : {}),
    ...(change.first ? { first: true } : {}),
    _id: contactKey(change.workspaceId, change.changeId),
    workspaceId: change.workspaceId,
    contactId: change.contactId,
    changeId: change.changeId,
    cause: change.cause,
    interactionId: change.interactionId,
    kind: change.kind,
    delta: change.delta,
    general: change.general,
    stage: change.stage,
    engagementIndex: change.engagementIndex,
    at: new Date(change.at),
  };
}

export function scoreChangeModel(connection: Connection): Model<ScoreChangeDoc> {
  const schema = new Schema<ScoreChangeDoc>(
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
    },
    { versionKey: false, _id: false, minimize: false },
  );
  return connection.model<ScoreChangeDoc>('ScoreChange', schema, 'score_changes');
}
