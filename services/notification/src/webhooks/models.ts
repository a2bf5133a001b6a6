// Webhook collections. Who writes what (DESIGN.md: one writer per document, no bulk updates):
//   webhook_endpoints  one document per endpoint (`<ws>:<endpoint>`), written by the admin
//                      mutations only (create, update, rotate the secret);
//   webhook_health     one per endpoint, written only by the delivery consumer that owns the
//                      endpoint's partition (failing since, disabled by failures);
//   webhook_attempts   insert-only: one per attempt (`<delivery>:<run>:<n>`), the delivery log;
//   webhook_outcomes   insert-only: one per finished delivery run (`<delivery>:<run>`): delivered
//                      or dead-lettered. A redelivered message whose run has an outcome is skipped.
import { Schema, type Connection, type Model } from 'mongoose';

/**
 * Contact events (phase, qualification, owner, score), notifications rules created, and
 * WEBHOOK_ENDPOINT_DISABLED: another endpoint of the workspace was disabled by failures.
 */
export const WEBHOOK_EVENT_KINDS = [
  'PHASE_CHANGED',
  'QUALIFICATION_CHANGED',
  'OWNER_ASSIGNED',
  'SCORE_CHANGED',
  'NOTIFICATION_CREATED',
  'WEBHOOK_ENDPOINT_DISABLED',
] as const;
export type WebhookEventKind = (typeof WEBHOOK_EVENT_KINDS)[number];

/** An endpoint's filter: contact ids for every kind, each other part for its kind (empty/absent: all). */
export interface WebhookFilterDoc {
  contactIds?: string[];
  phases?: string[];
  qualifications?: string[];
  ownerIds?: string[];
  tags?: string[];
  minDelta?: number | null;
}

export interface EndpointSecret {
  secret: string;
  createdAt: Date;
  /** Set when rotated out: it keeps signing (beside the new one) until then. */
  expiresAt: Date | null;
}

export interface WebhookEndpointDoc {
  _id: string;
  workspaceId: string;
  id: string;
  url: string;
  description: string;
  kinds: WebhookEventKind[];
  filter: WebhookFilterDoc;
  enabled: boolean;
  /** When an admin last enabled it: a disable by failures before this no longer counts. */
  enabledAt: Date;
  secrets: EndpointSecret[];
  createdAt: Date;
  updatedAt: Date;
}

export interface WebhookHealthDoc {
  _id: string;
  workspaceId: string;
  endpointId: string;
  failingSince: Date | null;
  consecutiveFailures: number;
  lastSuccessAt: Date | null;
  disabledAt: Date | null;
  disabledReason: string | null;
}

export type AttemptOutcome = 'DELIVERED' | 'FAILED' | 'DEAD_LETTERED' | 'SKIPPED_DISABLED';

export interface WebhookAttemptDoc {
  _id: string;
  workspaceId: string;
  endpointId: string;
  deliveryId: string;
  run: string;
  attempt: number;
  type: string;
  contactId: string;
  eventId: string;
  at: Date;
  outcome: AttemptOutcome;
  statusCode: number | null;
  latencyMs: number;
  responseExcerpt: string;
  error: string | null;
  /** The signed body, kept so that a delivery can be replayed exactly. */
  body: string;
}

export interface WebhookOutcomeDoc {
  _id: string;
  workspaceId: string;
  endpointId: string;
  deliveryId: string;
  outcome: AttemptOutcome;
  at: Date;
}

export interface WebhookModels {
  WebhookEndpoints: Model<WebhookEndpointDoc>;
  WebhookHealth: Model<WebhookHealthDoc>;
  WebhookAttempts: Model<WebhookAttemptDoc>;
  WebhookOutcomes: Model<WebhookOutcomeDoc>;
}

const opts = { versionKey: false, _id: false } as const;

export function webhookModels(connection: Connection): WebhookModels {
  const secret = new Schema<EndpointSecret>({ secret: String, createdAt: Date, expiresAt: Date }, { _id: false });
  const endpoint = new Schema<WebhookEndpointDoc>(
    {
      _id: String,
      workspaceId: { type: String, required: true },
      id: { type: String, required: true },
      url: { type: String, required: true },
      description: { type: String, default: '' },
      kinds: { type: [String], default: [] },
      filter: {
        phases: { type: [String], default: [] },
        contactIds: { type: [String], default: [] },
        qualifications: { type: [String], default: [] },
        ownerIds: { type: [String], default: [] },
        tags: { type: [String], default: [] },
        minDelta: { type: Number, default: null },
      },
      enabled: { type: Boolean, required: true },
      enabledAt: { type: Date, required: true },
      secrets: { type: [secret], default: [] },
      createdAt: Date,
      updatedAt: Date,
    },
    opts,
  );
  const health = new Schema<WebhookHealthDoc>(
    {
      _id: String,
      workspaceId: String,
      endpointId: String,
      failingSince: Date,
      consecutiveFailures: Number,
      lastSuccessAt: Date,
      disabledAt: Date,
      disabledReason: String,
    },
    opts,
  );
  const attempt = new Schema<WebhookAttemptDoc>(
    {
      _id: String,
      workspaceId: String,
      endpointId: String,
      deliveryId: String,
      run: String,
      attempt: Number,
      type: String,
      contactId: String,
      eventId: String,
      at: Date,
      outcome: String,
      statusCode: Number,
      latencyMs: Number,
      responseExcerpt: String,
      error: String,
      body: String,
    },
    opts,
  );
  const outcome = new Schema<WebhookOutcomeDoc>(
    { _id: String, workspaceId: String, endpointId: String, deliveryId: String, outcome: String, at: Date },
    opts,
  );
  return {
    WebhookEndpoints: connection.model<WebhookEndpointDoc>('WebhookEndpoints', endpoint, 'webhook_endpoints'),
    WebhookHealth: connection.model<WebhookHealthDoc>('WebhookHealth', health, 'webhook_health'),
    WebhookAttempts: connection.model<WebhookAttemptDoc>('WebhookAttempts', attempt, 'webhook_attempts'),
    WebhookOutcomes: connection.model<WebhookOutcomeDoc>('WebhookOutcomes', outcome, 'webhook_outcomes'),
  };
}
