// Scoring's collections: rules (small, per workspace) and one score document per
// contact, written only by the consumer that owns the contact's partition.
import { Schema, type Connection, type Model } from 'mongoose';

export interface ScoringRuleDoc {
  _id: string; // <workspace>:<rule id>
  workspaceId: string;
  ruleId: string; // <kind>:<variant or *>
  kind: string;
  variant: string | null;
  points: number;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface ContactScoreDoc {
  _id: string; // <workspace>:<contact>
  workspaceId: string;
  contactId: string;
  general: number;
  scoredInteractions: number;
  /** INTERACTIONS stream position of the last interaction applied. */
  lastSeq: number;
  /**
   * Ids of the last interactions applied: catches the rare re-publish that falls
   * outside the stream's duplicate window and so arrives with a new position.
   */
  recentInteractionIds: string[];
  updatedAt: Date;
}

export interface ScoringModels {
  ScoringRule: Model<ScoringRuleDoc>;
  ContactScore: Model<ContactScoreDoc>;
}

const options = { versionKey: false, _id: false } as const;

export function scoringModels(connection: Connection): ScoringModels {
  const rule = new Schema<ScoringRuleDoc>(
    {
      _id: String,
      workspaceId: { type: String, required: true, index: true },
      ruleId: { type: String, required: true },
      kind: { type: String, required: true },
      variant: { type: String, default: null },
      points: { type: Number, required: true },
      enabled: { type: Boolean, required: true },
      createdAt: { type: Date, required: true },
      updatedAt: { type: Date, required: true },
    },
    options,
  );
  const score = new Schema<ContactScoreDoc>(
    {
      _id: String,
      workspaceId: { type: String, required: true },
      contactId: { type: String, required: true },
      general: { type: Number, required: true },
      scoredInteractions: { type: Number, required: true },
      lastSeq: { type: Number, required: true },
      recentInteractionIds: { type: [String], default: [] },
      updatedAt: { type: Date, required: true },
    },
    options,
  );
  return {
    ScoringRule: connection.model<ScoringRuleDoc>('ScoringRule', rule, 'scoring_rules'),
    ContactScore: connection.model<ContactScoreDoc>('ContactScore', score, 'contact_scores'),
  };
}
