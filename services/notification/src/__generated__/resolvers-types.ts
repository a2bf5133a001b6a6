import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { ContactRef } from '@cei/contracts';
import type { AuditEntry } from '../messages/service';
import type { NotificationContext } from '../server';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An ISO-8601 date-time in UTC. */
  DateTime: { input: Date; output: Date | string; }
  _FieldSet: { input: unknown; output: unknown; }
};

export type ConditionOp =
  | 'EQ'
  | 'GT'
  | 'GTE'
  | 'LT'
  | 'LTE'
  | 'NEQ'
  | 'SET'
  | 'UNSET';

export type Contact = {
  __typename?: 'Contact';
  id: Scalars['ID']['output'];
  /** What automation was told about this contact, most recent first (the last 50). */
  notifications: Array<Notification>;
};

export type ContactCondition = {
  __typename?: 'ContactCondition';
  field: ContactField;
  op: ConditionOp;
  tag?: Maybe<Scalars['String']['output']>;
  value?: Maybe<Scalars['String']['output']>;
};

export type ContactConditionInput = {
  field: ContactField;
  op: ConditionOp;
  /** For TAG: which tag's score. */
  tag?: InputMaybe<Scalars['String']['input']>;
  value?: InputMaybe<Scalars['String']['input']>;
};

export type ContactField =
  | 'CHURN_LIKELIHOOD'
  | 'EMAIL'
  | 'OWNER'
  | 'PHASE'
  | 'PURCHASE_LIKELIHOOD'
  | 'QUALIFICATION'
  | 'SCORE'
  | 'TAG';

export type CreateWebhookEndpointInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  filter?: InputMaybe<WebhookFilterInput>;
  kinds: Array<WebhookEventKind>;
  url: Scalars['String']['input'];
};

export type InAppMessage = {
  __typename?: 'InAppMessage';
  at: Scalars['DateTime']['output'];
  body: Scalars['String']['output'];
  contactId: Scalars['ID']['output'];
  dismissedAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  readAt?: Maybe<Scalars['DateTime']['output']>;
  ruleId: Scalars['ID']['output'];
  subject: Scalars['String']['output'];
};

export type InAppMessagePage = {
  __typename?: 'InAppMessagePage';
  items: Array<InAppMessage>;
  /** Pass as `after` for the next page; null at the end. */
  next?: Maybe<Scalars['String']['output']>;
};

/**
 * A message a rule decided. Those that go out (an in-app message, an owner's task, an email queued for
 * SMTP, a webhook queued for its endpoint: outcome DELIVERED, PENDING or QUEUED when decided) are the
 * notifications of Subscription.notificationCreated; skipped ones are only audited.
 */
export type MessageAuditEntry = {
  __typename?: 'MessageAuditEntry';
  action: NotificationActionKind;
  at: Scalars['DateTime']['output'];
  contact: Contact;
  contactId: Scalars['ID']['output'];
  detail?: Maybe<Scalars['String']['output']>;
  /** The triggering event (`phase:<transition>`, `qualification:<step>`, `scores:<position>`). */
  eventId: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  outcome: MessageOutcome;
  ruleId: Scalars['ID']['output'];
  /** When the SMTP server accepted the email. */
  sentAt?: Maybe<Scalars['DateTime']['output']>;
  subject: Scalars['String']['output'];
  to?: Maybe<Scalars['String']['output']>;
};

export type MessageAuditPage = {
  __typename?: 'MessageAuditPage';
  items: Array<MessageAuditEntry>;
  next?: Maybe<Scalars['String']['output']>;
};

export type MessageOutcome =
  /** In a feed (in-app, task), or an email accepted by the SMTP server. */
  | 'DELIVERED'
  | 'FAILED_TEMPLATE'
  /** An email stored, not yet accepted by the SMTP server. */
  | 'PENDING'
  /** A webhook handed to its endpoint's delivery queue (see webhookDeliveryLog). */
  | 'QUEUED'
  /** The SMTP server refused the email for good (a 5xx reply): not retried. */
  | 'REJECTED'
  | 'SKIPPED_CAP'
  | 'SKIPPED_NO_RECIPIENT'
  /** No SMTP server configured (SMTP_URL). */
  | 'SKIPPED_NO_SMTP'
  | 'SKIPPED_QUIET_HOURS';

export type MessageSettings = {
  __typename?: 'MessageSettings';
  quietHours?: Maybe<QuietHours>;
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Write: completes an owner's task. */
  completeTask: OwnerTask;
  /** Admin: a new rule, disabled unless input.enabled. */
  createNotificationRule: NotificationRule;
  createWebhookEndpoint: WebhookEndpointWithSecret;
  /** Admin: deletes a rule (its messages stay in the audit). */
  deleteNotificationRule: Scalars['Boolean']['output'];
  /** Write: dismisses an in-app message (it leaves the feed). */
  dismissMessage: InAppMessage;
  /** Write: marks an in-app message read. */
  markMessageRead: InAppMessage;
  /** Sends again every delivery of the endpoint first attempted in [from, to) (at most 1000). Returns how many. */
  replayWebhookDeliveries: Scalars['Int']['output'];
  /** Sends one delivery again (a new run, the same webhook-id). Returns the run. */
  replayWebhookDelivery: Scalars['String']['output'];
  /**
   * A new secret, shown once. The previous one keeps signing beside it for
   * `overlapSeconds` (default 24 h, 0: stops at once), so receivers can switch.
   */
  rotateWebhookSecret: WebhookEndpointWithSecret;
  /** Admin: quiet hours of the workspace (null: none). */
  setQuietHours: MessageSettings;
  /** Admin: replaces a rule's definition. */
  updateNotificationRule: NotificationRule;
  updateWebhookEndpoint: WebhookEndpoint;
};


export type MutationCompleteTaskArgs = {
  id: Scalars['ID']['input'];
};


export type MutationCreateNotificationRuleArgs = {
  input: NotificationRuleInput;
};


export type MutationCreateWebhookEndpointArgs = {
  input: CreateWebhookEndpointInput;
};


export type MutationDeleteNotificationRuleArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDismissMessageArgs = {
  id: Scalars['ID']['input'];
};


export type MutationMarkMessageReadArgs = {
  id: Scalars['ID']['input'];
};


export type MutationReplayWebhookDeliveriesArgs = {
  endpointId: Scalars['ID']['input'];
  from: Scalars['DateTime']['input'];
  to: Scalars['DateTime']['input'];
};


export type MutationReplayWebhookDeliveryArgs = {
  deliveryId: Scalars['ID']['input'];
  endpointId: Scalars['ID']['input'];
};


export type MutationRotateWebhookSecretArgs = {
  id: Scalars['ID']['input'];
  overlapSeconds?: InputMaybe<Scalars['Int']['input']>;
};


export type MutationSetQuietHoursArgs = {
  input?: InputMaybe<QuietHoursInput>;
};


export type MutationUpdateNotificationRuleArgs = {
  id: Scalars['ID']['input'];
  input: NotificationRuleInput;
};


export type MutationUpdateWebhookEndpointArgs = {
  id: Scalars['ID']['input'];
  input: UpdateWebhookEndpointInput;
};

export type Notification = {
  __typename?: 'Notification';
  at: Scalars['DateTime']['output'];
  /** Where it went: live GraphQL subscribers for now; webhooks come next. */
  channel: NotificationChannel;
  event: NotificationEvent;
  id: Scalars['ID']['output'];
  /** For PHASE_CHANGED: the phase entered. */
  phase?: Maybe<Scalars['String']['output']>;
};

export type NotificationAction = {
  __typename?: 'NotificationAction';
  body: Scalars['String']['output'];
  endpointId?: Maybe<Scalars['ID']['output']>;
  kind: NotificationActionKind;
  subject: Scalars['String']['output'];
};

export type NotificationActionInput = {
  body: Scalars['String']['input'];
  /** WEBHOOK: the workspace's endpoint to post to (required for WEBHOOK, refused otherwise). */
  endpointId?: InputMaybe<Scalars['ID']['input']>;
  kind: NotificationActionKind;
  /** Liquid template (contact.name, email, phase, qualification, score, topTags, owner.id, owner.name, owner.email, likelihoods). */
  subject: Scalars['String']['input'];
};

export type NotificationActionKind =
  /** An email to the contact's last known email address. */
  | 'EMAIL_CONTACT'
  /** An email to the contact owner's email address (as lifecycle's owner record has it). */
  | 'EMAIL_OWNER'
  /** A message in the contact's in-app feed. */
  | 'IN_APP'
  /** A task in the contact owner's feed. */
  | 'TASK_OWNER'
  /**
   * A signed webhook (type `rule.message`, the rendered subject and body) to the workspace's endpoint
   * `endpointId`, whatever kinds it lists; queued on its delivery queue (retries, log, replay as any delivery).
   */
  | 'WEBHOOK';

export type NotificationChannel =
  | 'SUBSCRIPTION';

/** Every condition given must hold; a list given must not be empty. */
export type NotificationCreatedFilter = {
  actions?: InputMaybe<Array<NotificationActionKind>>;
  contactIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  ruleIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type NotificationEvent =
  | 'PHASE_CHANGED';

export type NotificationPreview = {
  __typename?: 'NotificationPreview';
  actions: Array<RenderedAction>;
  ok: Scalars['Boolean']['output'];
  problems: Array<TemplateProblem>;
};

export type NotificationRule = {
  __typename?: 'NotificationRule';
  actions: Array<NotificationAction>;
  capHours?: Maybe<Scalars['Float']['output']>;
  conditions: Array<ContactCondition>;
  createdAt: Scalars['DateTime']['output'];
  enabled: Scalars['Boolean']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  trigger: NotificationTrigger;
  updatedAt: Scalars['DateTime']['output'];
};

export type NotificationRuleInput = {
  actions: Array<NotificationActionInput>;
  /** At most one message of the rule per contact per this many hours. */
  capHours?: InputMaybe<Scalars['Float']['input']>;
  conditions?: InputMaybe<Array<ContactConditionInput>>;
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  name: Scalars['String']['input'];
  trigger: NotificationTriggerInput;
};

export type NotificationTrigger = {
  __typename?: 'NotificationTrigger';
  kind: NotificationTriggerKind;
  phase?: Maybe<Scalars['String']['output']>;
  qualification?: Maybe<Scalars['String']['output']>;
  tag?: Maybe<Scalars['String']['output']>;
  threshold?: Maybe<Scalars['Float']['output']>;
};

export type NotificationTriggerInput = {
  kind: NotificationTriggerKind;
  phase?: InputMaybe<Scalars['String']['input']>;
  qualification?: InputMaybe<Scalars['String']['input']>;
  tag?: InputMaybe<Scalars['String']['input']>;
  threshold?: InputMaybe<Scalars['Float']['input']>;
};

export type NotificationTriggerKind =
  /** The churn likelihood goes from below `threshold` (0–1) to at or above it. */
  | 'CHURN_ABOVE'
  /** The contact enters `phase`. */
  | 'PHASE_ENTERED'
  /** The lead becomes `qualification` (MQL or SQL). */
  | 'QUALIFICATION_BECAME'
  /** The general score goes from below `threshold` to at or above it. */
  | 'SCORE_CROSSES'
  /** The score of `tag` goes from below `threshold` to at or above it. */
  | 'TAG_SCORE_ABOVE';

export type OwnerTask = {
  __typename?: 'OwnerTask';
  at: Scalars['DateTime']['output'];
  body: Scalars['String']['output'];
  completedAt?: Maybe<Scalars['DateTime']['output']>;
  contactId: Scalars['ID']['output'];
  id: Scalars['ID']['output'];
  ownerId: Scalars['ID']['output'];
  ruleId: Scalars['ID']['output'];
  subject: Scalars['String']['output'];
};

export type OwnerTaskPage = {
  __typename?: 'OwnerTaskPage';
  items: Array<OwnerTask>;
  next?: Maybe<Scalars['String']['output']>;
};

export type Query = {
  __typename?: 'Query';
  /** A contact's in-app messages, newest first (dismissed ones left out unless asked). */
  contactMessages: InAppMessagePage;
  /** Every message a rule decided (sent, delivered to a feed or skipped, with why), newest first. */
  messageAudit: MessageAuditPage;
  /** The workspace's message settings (quiet hours). */
  messageSettings: MessageSettings;
  notificationRule?: Maybe<NotificationRule>;
  /** The workspace's notification rules, oldest first. */
  notificationRules: Array<NotificationRule>;
  /** An owner's tasks, newest first (completed ones left out unless asked). */
  ownerTasks: OwnerTaskPage;
  /**
   * Renders a rule's templates (a stored rule by ruleId, or an unsaved one by input) against a contact
   * as notification knows it, without sending anything. Template errors come back by field.
   */
  previewNotificationRule: NotificationPreview;
  /** One message of the caller's workspace by id (the payload of notificationCreated; as in messageAudit). */
  ruleMessage?: Maybe<MessageAuditEntry>;
  /** The endpoint's attempts, most recent first. */
  webhookDeliveryLog: WebhookAttemptPage;
  webhookEndpoint?: Maybe<WebhookEndpoint>;
  webhookEndpoints: Array<WebhookEndpoint>;
};


export type QueryContactMessagesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  contactId: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  includeDismissed?: InputMaybe<Scalars['Boolean']['input']>;
};


export type QueryMessageAuditArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  contactId?: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  ruleId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryNotificationRuleArgs = {
  id: Scalars['ID']['input'];
};


export type QueryOwnerTasksArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  includeCompleted?: InputMaybe<Scalars['Boolean']['input']>;
  ownerId: Scalars['ID']['input'];
};


export type QueryPreviewNotificationRuleArgs = {
  contactId: Scalars['ID']['input'];
  input?: InputMaybe<NotificationRuleInput>;
  ruleId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryRuleMessageArgs = {
  id: Scalars['ID']['input'];
};


export type QueryWebhookDeliveryLogArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  endpointId: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryWebhookEndpointArgs = {
  id: Scalars['ID']['input'];
};

export type QuietHours = {
  __typename?: 'QuietHours';
  end: Scalars['String']['output'];
  start: Scalars['String']['output'];
  timeZone: Scalars['String']['output'];
};

export type QuietHoursInput = {
  end: Scalars['String']['input'];
  /** HH:MM, local to timeZone. */
  start: Scalars['String']['input'];
  /** An IANA time zone, e.g. Europe/Paris. */
  timeZone: Scalars['String']['input'];
};

export type RenderedAction = {
  __typename?: 'RenderedAction';
  body?: Maybe<Scalars['String']['output']>;
  kind: NotificationActionKind;
  subject?: Maybe<Scalars['String']['output']>;
  /** Who it would go to: the contact's or owner's email, the owner's id, the endpoint's id; null for in-app or when unknown. */
  to?: Maybe<Scalars['String']['output']>;
};

export type Subscription = {
  __typename?: 'Subscription';
  /**
   * Every notification a rule creates in the caller's workspace (see MessageAuditEntry), optionally
   * filtered; fields of any subgraph can be selected on contact. `after`: the id of the last event
   * received (each result's `extensions.eventId`) to receive what was missed first (the last 24 h or
   * 10,000 events at most, else the error REPLAY_WINDOW_EXCEEDED).
   */
  notificationCreated: MessageAuditEntry;
};


export type SubscriptionNotificationCreatedArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  filter?: InputMaybe<NotificationCreatedFilter>;
};

export type TemplateProblem = {
  __typename?: 'TemplateProblem';
  message: Scalars['String']['output'];
  /** The template field, e.g. actions[0].body. */
  path: Scalars['String']['output'];
};

export type UpdateWebhookEndpointInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  filter?: InputMaybe<WebhookFilterInput>;
  kinds?: InputMaybe<Array<WebhookEventKind>>;
  url?: InputMaybe<Scalars['String']['input']>;
};

export type WebhookAttempt = {
  __typename?: 'WebhookAttempt';
  at: Scalars['DateTime']['output'];
  attempt: Scalars['Int']['output'];
  contactId: Scalars['ID']['output'];
  /** The `webhook-id` header: the same on every attempt and replay of one delivery. */
  deliveryId: Scalars['ID']['output'];
  error?: Maybe<Scalars['String']['output']>;
  eventId: Scalars['ID']['output'];
  id: Scalars['ID']['output'];
  latencyMs: Scalars['Int']['output'];
  outcome: WebhookAttemptOutcome;
  responseExcerpt: Scalars['String']['output'];
  /** `first`, or the replay run it belongs to. */
  run: Scalars['String']['output'];
  statusCode?: Maybe<Scalars['Int']['output']>;
  type: Scalars['String']['output'];
};

export type WebhookAttemptOutcome =
  /** Failed on its last allowed attempt: given up, replayable. */
  | 'DEAD_LETTERED'
  | 'DELIVERED'
  /** Failed; retried with backoff. */
  | 'FAILED'
  /** Not sent: the endpoint was disabled or removed. */
  | 'SKIPPED_DISABLED';

export type WebhookAttemptPage = {
  __typename?: 'WebhookAttemptPage';
  attempts: Array<WebhookAttempt>;
  /** Pass as `after` for the next (older) page; null at the end. */
  nextCursor?: Maybe<Scalars['String']['output']>;
};

export type WebhookEndpoint = {
  __typename?: 'WebhookEndpoint';
  /** How many secrets sign right now (2 during a rotation's overlap). */
  activeSecrets: Scalars['Int']['output'];
  createdAt: Scalars['DateTime']['output'];
  description: Scalars['String']['output'];
  /** Set when deliveries failed for too long (WEBHOOK_DISABLE_AFTER_MS); enabling it again clears it. */
  disabledAt?: Maybe<Scalars['DateTime']['output']>;
  disabledReason?: Maybe<Scalars['String']['output']>;
  /** As an admin set it. */
  enabled: Scalars['Boolean']['output'];
  failingSince?: Maybe<Scalars['DateTime']['output']>;
  filter: WebhookFilter;
  id: Scalars['ID']['output'];
  kinds: Array<WebhookEventKind>;
  lastSuccessAt?: Maybe<Scalars['DateTime']['output']>;
  updatedAt: Scalars['DateTime']['output'];
  url: Scalars['String']['output'];
};

/** An endpoint with its signing secret: the only time the secret is shown. */
export type WebhookEndpointWithSecret = {
  __typename?: 'WebhookEndpointWithSecret';
  endpoint: WebhookEndpoint;
  /** `whsec_…`: give it to the receiver's Standard Webhooks library. */
  secret: Scalars['String']['output'];
};

/**
 * What an endpoint can subscribe to. (A notification rule's WEBHOOK action posts to the endpoint it
 * names whatever its kinds, type `rule.message`.)
 */
export type WebhookEventKind =
  /** A notification rule created a notification (type `notification.created`), as Subscription.notificationCreated. */
  | 'NOTIFICATION_CREATED'
  /** A contact got an owner (type `contact.owner_assigned`). */
  | 'OWNER_ASSIGNED'
  /** A contact changed phase (type `contact.phase_changed`). */
  | 'PHASE_CHANGED'
  /** A lead's qualification step: MQL, SAL, SQL, rejected, disqualified (type `contact.qualification_changed`). */
  | 'QUALIFICATION_CHANGED'
  /** A contact's general score changed (type `contact.score_changed`): one per scored interaction, so narrow it with filter.minDelta or filter.tags. */
  | 'SCORE_CHANGED'
  /** Another endpoint of the workspace was disabled after failing too long (type `webhook.endpoint_disabled`): the admins' notice. */
  | 'WEBHOOK_ENDPOINT_DISABLED';

/** Each part applies to the kinds it names; empty lists and null match everything. */
export type WebhookFilter = {
  __typename?: 'WebhookFilter';
  /** Only these contacts (empty: all), for every kind. */
  contactIds: Array<Scalars['ID']['output']>;
  /** SCORE_CHANGED: only changes of the general score at least this large, up or down. */
  minDelta?: Maybe<Scalars['Float']['output']>;
  /** OWNER_ASSIGNED: only assignments to these owners. */
  ownerIds: Array<Scalars['ID']['output']>;
  /** PHASE_CHANGED: only changes into these phases. */
  phases: Array<Scalars['String']['output']>;
  /** QUALIFICATION_CHANGED: only steps into these qualifications (MQL, SAL, SQL, NURTURE, NONE). */
  qualifications: Array<Scalars['String']['output']>;
  /** SCORE_CHANGED: only contacts with points on at least one of these tags after the change. */
  tags: Array<Scalars['String']['output']>;
};

export type WebhookFilterInput = {
  contactIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  minDelta?: InputMaybe<Scalars['Float']['input']>;
  ownerIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  phases?: InputMaybe<Array<Scalars['String']['input']>>;
  qualifications?: InputMaybe<Array<Scalars['String']['input']>>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
};



export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = {
  Contact: Contact;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  Contact:
    ( { __typename: 'Contact' }
    & GraphQLRecursivePick<FederationTypes['Contact'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  ConditionOp: ConditionOp;
  Contact: ResolverTypeWrapper<ContactRef>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  ContactCondition: ResolverTypeWrapper<ContactCondition>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  ContactConditionInput: ContactConditionInput;
  ContactField: ContactField;
  CreateWebhookEndpointInput: CreateWebhookEndpointInput;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  InAppMessage: ResolverTypeWrapper<InAppMessage>;
  InAppMessagePage: ResolverTypeWrapper<InAppMessagePage>;
  MessageAuditEntry: ResolverTypeWrapper<AuditEntry>;
  MessageAuditPage: ResolverTypeWrapper<Omit<MessageAuditPage, 'items'> & { items: Array<ResolversTypes['MessageAuditEntry']> }>;
  MessageOutcome: MessageOutcome;
  MessageSettings: ResolverTypeWrapper<MessageSettings>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Notification: ResolverTypeWrapper<Notification>;
  NotificationAction: ResolverTypeWrapper<NotificationAction>;
  NotificationActionInput: NotificationActionInput;
  NotificationActionKind: NotificationActionKind;
  NotificationChannel: NotificationChannel;
  NotificationCreatedFilter: NotificationCreatedFilter;
  NotificationEvent: NotificationEvent;
  NotificationPreview: ResolverTypeWrapper<NotificationPreview>;
  NotificationRule: ResolverTypeWrapper<NotificationRule>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  NotificationRuleInput: NotificationRuleInput;
  NotificationTrigger: ResolverTypeWrapper<NotificationTrigger>;
  NotificationTriggerInput: NotificationTriggerInput;
  NotificationTriggerKind: NotificationTriggerKind;
  OwnerTask: ResolverTypeWrapper<OwnerTask>;
  OwnerTaskPage: ResolverTypeWrapper<OwnerTaskPage>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  QuietHours: ResolverTypeWrapper<QuietHours>;
  QuietHoursInput: QuietHoursInput;
  RenderedAction: ResolverTypeWrapper<RenderedAction>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  TemplateProblem: ResolverTypeWrapper<TemplateProblem>;
  UpdateWebhookEndpointInput: UpdateWebhookEndpointInput;
  WebhookAttempt: ResolverTypeWrapper<WebhookAttempt>;
  WebhookAttemptOutcome: WebhookAttemptOutcome;
  WebhookAttemptPage: ResolverTypeWrapper<WebhookAttemptPage>;
  WebhookEndpoint: ResolverTypeWrapper<WebhookEndpoint>;
  WebhookEndpointWithSecret: ResolverTypeWrapper<WebhookEndpointWithSecret>;
  WebhookEventKind: WebhookEventKind;
  WebhookFilter: ResolverTypeWrapper<WebhookFilter>;
  WebhookFilterInput: WebhookFilterInput;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Contact: ContactRef;
  ID: Scalars['ID']['output'];
  ContactCondition: ContactCondition;
  String: Scalars['String']['output'];
  ContactConditionInput: ContactConditionInput;
  CreateWebhookEndpointInput: CreateWebhookEndpointInput;
  Boolean: Scalars['Boolean']['output'];
  DateTime: Scalars['DateTime']['output'];
  InAppMessage: InAppMessage;
  InAppMessagePage: InAppMessagePage;
  MessageAuditEntry: AuditEntry;
  MessageAuditPage: Omit<MessageAuditPage, 'items'> & { items: Array<ResolversParentTypes['MessageAuditEntry']> };
  MessageSettings: MessageSettings;
  Mutation: Record<PropertyKey, never>;
  Int: Scalars['Int']['output'];
  Notification: Notification;
  NotificationAction: NotificationAction;
  NotificationActionInput: NotificationActionInput;
  NotificationCreatedFilter: NotificationCreatedFilter;
  NotificationPreview: NotificationPreview;
  NotificationRule: NotificationRule;
  Float: Scalars['Float']['output'];
  NotificationRuleInput: NotificationRuleInput;
  NotificationTrigger: NotificationTrigger;
  NotificationTriggerInput: NotificationTriggerInput;
  OwnerTask: OwnerTask;
  OwnerTaskPage: OwnerTaskPage;
  Query: Record<PropertyKey, never>;
  QuietHours: QuietHours;
  QuietHoursInput: QuietHoursInput;
  RenderedAction: RenderedAction;
  Subscription: Record<PropertyKey, never>;
  TemplateProblem: TemplateProblem;
  UpdateWebhookEndpointInput: UpdateWebhookEndpointInput;
  WebhookAttempt: WebhookAttempt;
  WebhookAttemptPage: WebhookAttemptPage;
  WebhookEndpoint: WebhookEndpoint;
  WebhookEndpointWithSecret: WebhookEndpointWithSecret;
  WebhookFilter: WebhookFilter;
  WebhookFilterInput: WebhookFilterInput;
};

export type ContactResolvers<ContextType = NotificationContext, ParentType extends ResolversParentTypes['Contact'] = ResolversParentTypes['Contact'], FederationReferenceType extends FederationReferenceTypes['Contact'] = FederationReferenceTypes['Contact']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Contact']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  notifications?: Resolver<Array<ResolversTypes['Notification']>, ParentType, ContextType>;
};

export type ContactConditionResolvers<ContextType = NotificationContext, ParentType extends ResolversParentTypes['ContactCondition'] = ResolversParentTypes['ContactCondition']> = {
  field?: Resolver<ResolversTypes['ContactField'], ParentType, ContextType>;
  op?: Resolver<ResolversTypes['ConditionOp'], ParentType, ContextType>;
  tag?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  value?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type InAppMessageResolvers<ContextType = NotificationContext, ParentType extends ResolversParentTypes['InAppMessage'] = ResolversParentTypes['InAppMessage']> = {
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  body?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  contactId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  dismissedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  readAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  ruleId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  subject?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type InAppMessagePageResolvers<ContextType = NotificationContext, ParentType extends ResolversParentTypes['InAppMessagePage'] = ResolversParentTypes['InAppMessagePage']> = {
  items?: Resolver<Array<ResolversTypes['InAppMessage']>, ParentType, ContextType>;
  next?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type MessageAuditEntryResolvers<ContextType = NotificationContext, ParentType extends ResolversParentTypes['MessageAuditEntry'] = ResolversParentTypes['MessageAuditEntry']> = {
  action?: Resolver<ResolversTypes['NotificationActionKind'], ParentType, ContextType>;
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  contact?: Resolver<ResolversTypes['Contact'], ParentType, ContextType>;
  contactId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  detail?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  eventId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  outcome?: Resolver<ResolversTypes['MessageOutcome'], ParentType, ContextType>;
  ruleId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  sentAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  subject?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  to?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type MessageAuditPageResolvers<ContextType = NotificationContext, ParentType extends ResolversParentTypes['MessageAuditPage'] = ResolversParentTypes['MessageAuditPage']> = {
  items?: Resolver<Array<ResolversTypes['MessageAuditEntry']>, ParentType, ContextType>;
  next?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type MessageSettingsResolvers<ContextType = NotificationContext, ParentType extends ResolversParentTypes['MessageSettings'] = ResolversParentTypes['MessageSettings']> = {
  quietHours?: Resolver<Maybe<ResolversTypes['QuietHours']>, ParentType, ContextType>;
};

export type MutationResolvers<ContextType = NotificationContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  completeTask?: Resolver<ResolversTypes['OwnerTask'], ParentType, ContextType, RequireFields<MutationCompleteTaskArgs, 'id'>>;
  createNotificationRule?: Resolver<ResolversTypes['NotificationRule'], ParentType, ContextType, RequireFields<MutationCreateNotificationRuleArgs, 'input'>>;
  createWebhookEndpoint?: Resolver<ResolversTypes['WebhookEndpointWithSecret'], ParentType, ContextType, RequireFields<MutationCreateWebhookEndpointArgs, 'input'>>;
  deleteNotificationRule?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteNotificationRuleArgs, 'id'>>;
  dismissMessage?: Resolver<ResolversTypes['InAppMessage'], ParentType, ContextType, RequireFields<MutationDismissMessageArgs, 'id'>>;
  markMessageRead?: Resolver<ResolversTypes['InAppMessage'], ParentType, ContextType, RequireFields<MutationMarkMessageReadArgs, 'id'>>;
  replayWebhookDeliveries?: Resolver<ResolversTypes['Int'], ParentType, ContextType, RequireFields<MutationReplayWebhookDeliveriesArgs, 'endpointId' | 'from' | 'to'>>;
  replayWebhookDelivery?: Resolver<ResolversTypes['String'], ParentType, ContextType, RequireFields<MutationReplayWebhookDeliveryArgs, 'deliveryId' | 'endpointId'>>;
  rotateWebhookSecret?: Resolver<ResolversTypes['WebhookEndpointWithSecret'], ParentType, ContextType, RequireFields<MutationRotateWebhookSecretArgs, 'id' | 'overlapSeconds'>>;
  setQuietHours?: Resolver<ResolversTypes['MessageSettings'], ParentType, ContextType, Partial<MutationSetQuietHoursArgs>>;
  updateNotificationRule?: Resolver<ResolversTypes['NotificationRule'], ParentType, ContextType, RequireFields<MutationUpdateNotificationRuleArgs, 'id' | 'input'>>;
  updateWebhookEndpoint?: Resolver<ResolversTypes['WebhookEndpoint'], ParentType, ContextType, RequireFields<MutationUpdateWebhookEndpointArgs, 'id' | 'input'>>;
};

export type NotificationResolvers<ContextType = NotificationContext, ParentType extends ResolversParentTypes['Notification'] = ResolversParentTypes['Notification']> = {
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  channel?: Resolver<ResolversTypes['NotificationChannel'], ParentType, ContextType>;
  event?: Resolver<ResolversTypes['NotificationEvent'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  phase?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type NotificationActionResolvers<ContextType = NotificationContext, ParentType extends ResolversParentTypes['NotificationAction'] = ResolversParentTypes['NotificationAction']> = {
  body?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  endpointId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['NotificationActionKind'], ParentType, ContextType>;
  subject?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type NotificationPreviewResolvers<ContextType = NotificationContext, ParentType extends ResolversParentTypes['NotificationPreview'] = ResolversParentTypes['NotificationPreview']> = {
  actions?: Resolver<Array<ResolversTypes['RenderedAction']>, ParentType, ContextType>;
  ok?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  problems?: Resolver<Array<ResolversTypes['TemplateProblem']>, ParentType, ContextType>;
};

export type NotificationRuleResolvers<ContextType = NotificationContext, ParentType extends ResolversParentTypes['NotificationRule'] = ResolversParentTypes['NotificationRule']> = {
  actions?: Resolver<Array<ResolversTypes['NotificationAction']>, ParentType, ContextType>;
  capHours?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  conditions?: Resolver<Array<ResolversTypes['ContactCondition']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  enabled?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  trigger?: Resolver<ResolversTypes['NotificationTrigger'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type NotificationTriggerResolvers<ContextType = NotificationContext, ParentType extends ResolversParentTypes['NotificationTrigger'] = ResolversParentTypes['NotificationTrigger']> = {
  kind?: Resolver<ResolversTypes['NotificationTriggerKind'], ParentType, ContextType>;
  phase?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  qualification?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  tag?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  threshold?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type OwnerTaskResolvers<ContextType = NotificationContext, ParentType extends ResolversParentTypes['OwnerTask'] = ResolversParentTypes['OwnerTask']> = {
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  body?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  completedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  contactId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  ownerId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  ruleId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  subject?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type OwnerTaskPageResolvers<ContextType = NotificationContext, ParentType extends ResolversParentTypes['OwnerTaskPage'] = ResolversParentTypes['OwnerTaskPage']> = {
  items?: Resolver<Array<ResolversTypes['OwnerTask']>, ParentType, ContextType>;
  next?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type QueryResolvers<ContextType = NotificationContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  contactMessages?: Resolver<ResolversTypes['InAppMessagePage'], ParentType, ContextType, RequireFields<QueryContactMessagesArgs, 'contactId' | 'first' | 'includeDismissed'>>;
  messageAudit?: Resolver<ResolversTypes['MessageAuditPage'], ParentType, ContextType, RequireFields<QueryMessageAuditArgs, 'first'>>;
  messageSettings?: Resolver<ResolversTypes['MessageSettings'], ParentType, ContextType>;
  notificationRule?: Resolver<Maybe<ResolversTypes['NotificationRule']>, ParentType, ContextType, RequireFields<QueryNotificationRuleArgs, 'id'>>;
  notificationRules?: Resolver<Array<ResolversTypes['NotificationRule']>, ParentType, ContextType>;
  ownerTasks?: Resolver<ResolversTypes['OwnerTaskPage'], ParentType, ContextType, RequireFields<QueryOwnerTasksArgs, 'first' | 'includeCompleted' | 'ownerId'>>;
  previewNotificationRule?: Resolver<ResolversTypes['NotificationPreview'], ParentType, ContextType, RequireFields<QueryPreviewNotificationRuleArgs, 'contactId'>>;
  ruleMessage?: Resolver<Maybe<ResolversTypes['MessageAuditEntry']>, ParentType, ContextType, RequireFields<QueryRuleMessageArgs, 'id'>>;
  webhookDeliveryLog?: Resolver<ResolversTypes['WebhookAttemptPage'], ParentType, ContextType, RequireFields<QueryWebhookDeliveryLogArgs, 'endpointId' | 'first'>>;
  webhookEndpoint?: Resolver<Maybe<ResolversTypes['WebhookEndpoint']>, ParentType, ContextType, RequireFields<QueryWebhookEndpointArgs, 'id'>>;
  webhookEndpoints?: Resolver<Array<ResolversTypes['WebhookEndpoint']>, ParentType, ContextType>;
};

export type QuietHoursResolvers<ContextType = NotificationContext, ParentType extends ResolversParentTypes['QuietHours'] = ResolversParentTypes['QuietHours']> = {
  end?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  start?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  timeZone?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type RenderedActionResolvers<ContextType = NotificationContext, ParentType extends ResolversParentTypes['RenderedAction'] = ResolversParentTypes['RenderedAction']> = {
  body?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['NotificationActionKind'], ParentType, ContextType>;
  subject?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  to?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type SubscriptionResolvers<ContextType = NotificationContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  notificationCreated?: SubscriptionResolver<ResolversTypes['MessageAuditEntry'], "notificationCreated", ParentType, ContextType, Partial<SubscriptionNotificationCreatedArgs>>;
};

export type TemplateProblemResolvers<ContextType = NotificationContext, ParentType extends ResolversParentTypes['TemplateProblem'] = ResolversParentTypes['TemplateProblem']> = {
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  path?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type WebhookAttemptResolvers<ContextType = NotificationContext, ParentType extends ResolversParentTypes['WebhookAttempt'] = ResolversParentTypes['WebhookAttempt']> = {
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  attempt?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  contactId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  deliveryId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  eventId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  latencyMs?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  outcome?: Resolver<ResolversTypes['WebhookAttemptOutcome'], ParentType, ContextType>;
  responseExcerpt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  run?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  statusCode?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  type?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type WebhookAttemptPageResolvers<ContextType = NotificationContext, ParentType extends ResolversParentTypes['WebhookAttemptPage'] = ResolversParentTypes['WebhookAttemptPage']> = {
  attempts?: Resolver<Array<ResolversTypes['WebhookAttempt']>, ParentType, ContextType>;
  nextCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type WebhookEndpointResolvers<ContextType = NotificationContext, ParentType extends ResolversParentTypes['WebhookEndpoint'] = ResolversParentTypes['WebhookEndpoint']> = {
  activeSecrets?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  disabledAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  disabledReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  enabled?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  failingSince?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  filter?: Resolver<ResolversTypes['WebhookFilter'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kinds?: Resolver<Array<ResolversTypes['WebhookEventKind']>, ParentType, ContextType>;
  lastSuccessAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type WebhookEndpointWithSecretResolvers<ContextType = NotificationContext, ParentType extends ResolversParentTypes['WebhookEndpointWithSecret'] = ResolversParentTypes['WebhookEndpointWithSecret']> = {
  endpoint?: Resolver<ResolversTypes['WebhookEndpoint'], ParentType, ContextType>;
  secret?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type WebhookFilterResolvers<ContextType = NotificationContext, ParentType extends ResolversParentTypes['WebhookFilter'] = ResolversParentTypes['WebhookFilter']> = {
  contactIds?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  minDelta?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  ownerIds?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  phases?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  qualifications?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  tags?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
};

export type Resolvers<ContextType = NotificationContext> = {
  Contact?: ContactResolvers<ContextType>;
  ContactCondition?: ContactConditionResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  InAppMessage?: InAppMessageResolvers<ContextType>;
  InAppMessagePage?: InAppMessagePageResolvers<ContextType>;
  MessageAuditEntry?: MessageAuditEntryResolvers<ContextType>;
  MessageAuditPage?: MessageAuditPageResolvers<ContextType>;
  MessageSettings?: MessageSettingsResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Notification?: NotificationResolvers<ContextType>;
  NotificationAction?: NotificationActionResolvers<ContextType>;
  NotificationPreview?: NotificationPreviewResolvers<ContextType>;
  NotificationRule?: NotificationRuleResolvers<ContextType>;
  NotificationTrigger?: NotificationTriggerResolvers<ContextType>;
  OwnerTask?: OwnerTaskResolvers<ContextType>;
  OwnerTaskPage?: OwnerTaskPageResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  QuietHours?: QuietHoursResolvers<ContextType>;
  RenderedAction?: RenderedActionResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  TemplateProblem?: TemplateProblemResolvers<ContextType>;
  WebhookAttempt?: WebhookAttemptResolvers<ContextType>;
  WebhookAttemptPage?: WebhookAttemptPageResolvers<ContextType>;
  WebhookEndpoint?: WebhookEndpointResolvers<ContextType>;
  WebhookEndpointWithSecret?: WebhookEndpointWithSecretResolvers<ContextType>;
  WebhookFilter?: WebhookFilterResolvers<ContextType>;
};

