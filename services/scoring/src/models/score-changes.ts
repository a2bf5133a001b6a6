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
}

export function scoreChangeDoc(change: ScoreChanged & { changeId: string }): ScoreChangeDoc {
  return {
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
    },
    { versionKey: false, _id: false, minimize: false },
  );
  return connection.model<ScoreChangeDoc>('ScoreChange', schema, 'score_changes');
}
