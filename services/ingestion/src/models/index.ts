// Ingestion's collections: contacts (identity, one writer), interactions
// (append-only, deterministic ids) and the outbox of interactions not yet published.
import { Schema, type Connection, type Model } from 'mongoose';

export interface ContactDoc {
  _id: string; // <workspace>:<contact>
  workspaceId: string;
  contactId: string;
  email: string | null;
  firstSeenAt: Date;
  lastInteractionAt: Date | null;
  interactionCount: number;
  /** INTERACTIONS stream position of the last interaction applied to this document. */
  lastSeq: number;
}

export interface InteractionDoc {
  _id: string; // <workspace>:<interaction id>
  workspaceId: string;
  interactionId: string;
  contactId: string;
  email: string | null;
  kind: string;
  variant: string | null;
  occurredAt: Date;
  recordedAt: Date;
  properties: Record<string, unknown>;
}

/**
 * One accepted batch whose events are not all confirmed published yet: written before the
 * batch's interactions are appended, removed once they are published (the sweeper publishes
 * what a crash or an outage left). One small document per batch, not one per interaction,
 * so the outbox stays a handful of rows that the sweeper may scan.
 */
export interface OutboxDoc {
  _id: string; // <workspace>:<random batch id>
  workspaceId: string;
  /** Ids (as sent) of the batch's interactions not yet published; those never stored are skipped. */
  interactionIds: string[];
  createdAt: Date;
}

const options = { versionKey: false, _id: false } as const;

export interface IngestionModels {
  Contact: Model<ContactDoc>;
  Interaction: Model<InteractionDoc>;
  Outbox: Model<OutboxDoc>;
}

export function ingestionModels(connection: Connection): IngestionModels {
  const contact = new Schema<ContactDoc>(
    {
      _id: String,
      workspaceId: { type: String, required: true },
      contactId: { type: String, required: true },
      email: { type: String, default: null },
      firstSeenAt: { type: Date, required: true },
      lastInteractionAt: { type: Date, default: null },
      interactionCount: { type: Number, default: 0 },
      lastSeq: { type: Number, default: 0 },
    },
    options,
  );
  const interaction = new Schema<InteractionDoc>(
    {
      _id: String,
      workspaceId: { type: String, required: true },
      interactionId: { type: String, required: true },
      contactId: { type: String, required: true },
      email: { type: String, default: null },
      kind: { type: String, required: true },
      variant: { type: String, default: null },
      occurredAt: { type: Date, required: true },
      recordedAt: { type: Date, required: true },
      properties: { type: Schema.Types.Mixed, default: {} },
    },
    { ...options, minimize: false },
  );
  const outbox = new Schema<OutboxDoc>(
    {
      _id: String,
      workspaceId: { type: String, required: true },
      interactionIds: { type: [String], required: true },
      createdAt: { type: Date, required: true },
    },
    options,
  );
  return {
    Contact: connection.model<ContactDoc>('Contact', contact, 'contacts'),
    Interaction: connection.model<InteractionDoc>('Interaction', interaction, 'interactions'),
    Outbox: connection.model<OutboxDoc>('Outbox', outbox, 'outbox'),
  };
}
