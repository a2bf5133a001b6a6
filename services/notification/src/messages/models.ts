// The collections of phase-tailored messages. Who writes what (one writer per document):
// - rules, workspace settings, feed states: the mutations (by _id, one request at a time per document);
// - contact projections: each by the partition consumer of the stream it projects
//   (phases: phase/qualification/owner; scores: score/tags/likelihoods; interactions: email/name);
// - messages and deliveries: insert-only, by the consumer whose event triggered them.
import { Schema, type Connection, type Model } from 'mongoose';

export const TRIGGERS = [
  'PHASE_ENTERED',
  'QUALIFICATION_BECAME',
  'SCORE_CROSSES',
  'CHURN_ABOVE',
  'TAG_SCORE_ABOVE',
] as const;
export type TriggerKind = (typeof TRIGGERS)[number];
export const ACTIONS = ['IN_APP', 'EMAIL_CONTACT', 'EMAIL_OWNER', 'TASK_OWNER', 'WEBHOOK'] as const;
export type ActionKind = (typeof ACTIONS)[number];
export const CONDITION_FIELDS = [
  'PHASE',
  'QUALIFICATION',
  'SCORE',
  'EMAIL',
  'OWNER',
  'CHURN_LIKELIHOOD',
  'PURCHASE_LIKELIHOOD',
  'TAG',
] as const;
export type ConditionField = (typeof CONDITION_FIELDS)[number];
export const CONDITION_OPS = ['EQ', 'NEQ', 'GT', 'GTE', 'LT', 'LTE', 'SET', 'UNSET'] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

export interface Trigger {
  kind: TriggerKind;
  /** PHASE_ENTERED */
  phase?: string | null;
  /** QUALIFICATION_BECAME */
  qualification?: string | null;
  /** SCORE_CROSSES (general score), TAG_SCORE_ABOVE (the tag's score), CHURN_ABOVE (0–1) */
  threshold?: number | null;
  /** TAG_SCORE_ABOVE */
  tag?: string | null;
}

export interface Condition {
  field: ConditionField;
  op: ConditionOp;
  /** For TAG: which tag's score. */
  tag?: string | null;
  value?: string | null;
}

export interface Action {
  kind: ActionKind;
  subject: string;
  body: string;
  /** WEBHOOK: the endpoint of the workspace it posts to. */
  endpointId?: string | null;
}

/** Actions whose message is an email (sent over SMTP after it is stored). */
export const isEmail = (kind: ActionKind) => kind === 'EMAIL_CONTACT' || kind === 'EMAIL_OWNER';

export interface RuleDoc {
  _id: string;
  workspaceId: string;
  name: string;
  enabled: boolean;
  trigger: Trigger;
  conditions: Condition[];
  actions: Action[];
  /** At most one message of this rule per contact per this many hours (null: no cap). */
  capHours: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface QuietHours {
  /** Minutes after local midnight, [start, end); end < start spans midnight. */
  startMinute: number;
  endMinute: number;
  timeZone: string;
}

export interface WorkspaceSettingsDoc {
  _id: string; // workspace id
  quietHours: QuietHours | null;
}

/** A contact as one stream told it; `sentByRule`: when each rule (triggered from this stream) last sent. */
export interface ProjectionDoc {
  _id: string; // <workspace>:<contact>
  workspaceId: string;
  contactId: string;
  lastSeq: number;
  sentByRule: Record<string, Date>;
  // phases stream
  phase?: string | null;
  qualification?: string | null;
  ownerId?: string | null;
  // scores stream
  score?: number | null;
  tags?: Record<string, number> | null;
  likelihoods?: { churn: number; purchase: number } | null;
  // interactions stream
  email?: string | null;
  name?: string | null;
}

export const OUTCOMES = [
  'PENDING',
  'DELIVERED',
  'QUEUED',
  'SKIPPED_CAP',
  'SKIPPED_QUIET_HOURS',
  'SKIPPED_NO_RECIPIENT',
  'SKIPPED_NO_SMTP',
  'FAILED_TEMPLATE',
  'REJECTED',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** A message decided by a rule for an event: insert-only, its id from the rule, the event and the action. */
export interface MessageDoc {
  _id: string;
  workspaceId: string;
  contactId: string;
  ruleId: string;
  /** The triggering event: `<stream>:<its id>` (a transition, a step, a stream position). */
  eventId: string;
  action: ActionKind;
  /** Email recipient (EMAIL_*), owner (TASK_OWNER), endpoint (WEBHOOK), null otherwise. */
  to: string | null;
  ownerId: string | null;
  subject: string;
  body: string;
  /** What was decided at insert (PENDING for an email to send; DELIVERED for feeds; QUEUED for a webhook; SKIPPED_* ). */
  outcome: Outcome;
  detail: string | null;
  at: Date;
}

/** An email accepted by the SMTP server (insert-only; its _id is the message's). */
export interface DeliveryDoc {
  _id: string;
  workspaceId: string;
  at: Date;
  response: string;
  /** The server refused it for good (5xx): not retried. */
  rejected?: boolean;
}

/** The reader's marks on a feed item (in-app message or task): written by the mutations only. */
export interface FeedStateDoc {
  _id: string; // message id
  workspaceId: string;
  readAt: Date | null;
  dismissedAt: Date | null;
  completedAt: Date | null;
}

export interface MessageModels {
  NotificationRule: Model<RuleDoc>;
  MessageSettings: Model<WorkspaceSettingsDoc>;
  PhaseProjection: Model<ProjectionDoc>;
  ScoreProjection: Model<ProjectionDoc>;
  AddressProjection: Model<ProjectionDoc>;
  Message: Model<MessageDoc>;
  MessageDelivery: Model<DeliveryDoc>;
  FeedState: Model<FeedStateDoc>;
}

const loose = { versionKey: false, _id: false, strict: false } as const;

export function messageModels(connection: Connection): MessageModels {
  const projection = () =>
    new Schema<ProjectionDoc>(
      { _id: String, workspaceId: String, contactId: String, lastSeq: Number, sentByRule: Schema.Types.Mixed },
      { ...loose, minimize: false },
    );
  return {
    NotificationRule: connection.model<RuleDoc>(
      'NotificationRule',
      new Schema<RuleDoc>(
        {
          _id: String,
          workspaceId: { type: String, required: true },
          name: String,
          enabled: Boolean,
          trigger: Schema.Types.Mixed,
          conditions: Schema.Types.Mixed,
          actions: Schema.Types.Mixed,
          capHours: Number,
          createdAt: Date,
          updatedAt: Date,
        },
        loose,
      ),
      'notification_rules',
    ),
    MessageSettings: connection.model<WorkspaceSettingsDoc>(
      'MessageSettings',
      new Schema<WorkspaceSettingsDoc>({ _id: String, quietHours: Schema.Types.Mixed }, loose),
      'message_settings',
    ),
    PhaseProjection: connection.model<ProjectionDoc>('PhaseProjection', projection(), 'message_contacts_phases'),
    ScoreProjection: connection.model<ProjectionDoc>('ScoreProjection', projection(), 'message_contacts_scores'),
    AddressProjection: connection.model<ProjectionDoc>('AddressProjection', projection(), 'message_contacts_addresses'),
    Message: connection.model<MessageDoc>(
      'Message',
      new Schema<MessageDoc>(
        {
          _id: String,
          workspaceId: String,
          contactId: String,
          ruleId: String,
          eventId: String,
          action: String,
          to: String,
          ownerId: String,
          subject: String,
          body: String,
          outcome: String,
          detail: String,
          at: Date,
        },
        loose,
      ),
      'messages',
    ),
    MessageDelivery: connection.model<DeliveryDoc>(
      'MessageDelivery',
      new Schema<DeliveryDoc>(
        { _id: String, workspaceId: String, at: Date, response: String, rejected: Boolean },
        loose,
      ),
      'message_deliveries',
    ),
    FeedState: connection.model<FeedStateDoc>(
      'FeedState',
      new Schema<FeedStateDoc>(
        { _id: String, workspaceId: String, readAt: Date, dismissedAt: Date, completedAt: Date },
        loose,
      ),
      'message_feed_states',
    ),
  };
}
