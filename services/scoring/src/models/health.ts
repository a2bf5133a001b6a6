// The workspace's health policy: thresholds and weights of the health measures (domain/health).
import { Schema, type Connection, type Model } from 'mongoose';
import type { HealthPolicy } from '../domain/health';

export interface HealthPolicyDoc {
  _id: string; // <workspace>
  workspaceId: string;
  /** Every measure's thresholds and weight (a whole policy: what was never set is the default). */
  measures: HealthPolicy;
  /** 1 for the first change, one more per change. */
  version: number;
  updatedAt: Date;
}

export function healthPolicyModel(connection: Connection): Model<HealthPolicyDoc> {
  const schema = new Schema<HealthPolicyDoc>(
    {
      _id: String,
      workspaceId: { type: String, required: true },
      measures: { type: Schema.Types.Mixed, required: true },
      version: { type: Number, required: true },
      updatedAt: Date,
    },
    { versionKey: false, _id: false, minimize: false },
  );
  return connection.model<HealthPolicyDoc>('HealthPolicy', schema, 'health_policies');
}
