// Reputation figures per workspace, UTC day and partition (see domain/reputation): small
// documents, each written only by its partition's owner, read by _id on the event path
// and by workspace (then filtered by day in code) by the reputation query.
import { Schema, type Connection, type Model } from 'mongoose';
import { reputationKey, type ChannelFigures, type ReputationDay } from '../domain/reputation';

export interface ReputationDayDoc {
  _id: string; // <workspace>:<day>:<partition>
  workspaceId: string;
  day: string;
  partition: number;
  channels: ChannelFigures[];
  /** The counted interactions' hashes, space-separated (one string: FerretDB converts arrays slowly). */
  counted: string;
  /** The latest stream position counted: the fence of the owner's write (writeAtPosition). */
  lastSeq: number;
  updatedAt: Date;
}

export function reputationDoc(day: ReputationDay, now: Date): ReputationDayDoc {
  return {
    _id: reputationKey(day.workspaceId, day.day, day.partition),
    workspaceId: day.workspaceId,
    day: day.day,
    partition: day.partition,
    channels: day.channels.map((c) => ({ ...c })),
    counted: [...day.counted].join(' '),
    lastSeq: day.lastSeq,
    updatedAt: now,
  };
}

export function reputationDay(doc: ReputationDayDoc): ReputationDay {
  return {
    workspaceId: doc.workspaceId,
    day: doc.day,
    partition: doc.partition,
    channels: doc.channels.map((c) => ({ ...c })),
    counted: new Set(doc.counted ? doc.counted.split(' ') : []),
    lastSeq: doc.lastSeq,
  };
}

export function reputationModel(connection: Connection): Model<ReputationDayDoc> {
  const schema = new Schema<ReputationDayDoc>(
    {
      _id: String,
      workspaceId: { type: String, required: true },
      day: { type: String, required: true },
      partition: { type: Number, required: true },
      channels: { type: Schema.Types.Mixed, required: true },
      counted: { type: String, default: '' },
      lastSeq: { type: Number, required: true },
      updatedAt: { type: Date, required: true },
    },
    { versionKey: false, _id: false, minimize: false },
  );
  return connection.model<ReputationDayDoc>('ReputationDay', schema, 'reputation_days');
}
