// Event payloads on NATS, versioned. Consumers parse with these schemas at the edge
// (a payload that does not parse can never succeed: it is terminated and logged).
import { z } from 'zod';
import { CONTACT_EVENT_KINDS, INTERACTION_KINDS, PHASES, INDEX_HALVES } from './domain';
import type { InteractionRoute } from './subjects';
import { SALES_REQUESTS, salesMessageIds } from './sales-events';
import { eventDecoder, eventJson } from './event-json';

const isoDate = z.string().datetime({ offset: true });

/** The most events one message carries (see ScoreChangesV1 and memberPosition). */
export const MAX_CHANGES_PER_MESSAGE = 1024;

export const InteractionRecordedV1 = z.object({
  v: z.literal(1),
  workspaceId: z.string(),
  /** The client's id for the interaction: the idempotency key within the workspace. */
  interactionId: z.string(),
  contactId: z.string(),
  /** The email the interaction gave for its contact, if any (ingestion keeps the latest). */
  email: z.string().nullable(),
  kind: z.enum(INTERACTION_KINDS),
  /** PAGE_VISIT source or EMAIL_* channel, when the kind has one. */
  variant: z.string().nullable(),
  occurredAt: isoDate,
  recordedAt: isoDate,
  properties: z.record(z.string(), z.unknown()),
  /**
   * The first interaction ingestion accepted for the contact: the consumers that keep state per
   * contact (scoring, the contact projector) have none for it yet and need not look. A hint only
   * (absent: unknown, as on an interaction published again from what is stored); a wrong one is
   * caught by the consumer's fenced first write, as ScoreChanged.first.
   */
  first: z.boolean().optional(),
});
export type InteractionRecorded = z.infer<typeof InteractionRecordedV1>;
export const decodeInteractionRecorded = eventDecoder(InteractionRecordedV1);

/**
 * Several interactions of one workspace and partition in one message, each of a different contact,
 * in the order they were stored: what ingestion publishes for an accept call's interactions that go
 * to scoring alone (the `recorded` route). A message costs the NATS server and scoring about as much
 * as the work it carries: 200,000 interactions of a bulk load were 200,000 messages; packed, a few
 * thousand. One contact at most once keeps each member at its message's own stream position (its
 * contact's "last applied"), so a redelivered pack applies only what its contacts have not.
 */
export const InteractionsRecordedV1 = z
  .object({
    v: z.literal(1),
    workspaceId: z.string(),
    interactions: z.array(InteractionRecordedV1).min(2).max(MAX_CHANGES_PER_MESSAGE),
  })
  .superRefine(({ workspaceId, interactions }, ctx) => {
    const contacts = new Set<string>();
    for (const [i, interaction] of interactions.entries()) {
      if (interaction.workspaceId !== workspaceId) {
        ctx.addIssue({
          code: 'custom',
          path: ['interactions', i, 'workspaceId'],
          message: "not the message's workspace",
        });
      }
      if (contacts.has(interaction.contactId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['interactions', i, 'contactId'],
          message: `contact ${interaction.contactId} is in the message twice (one interaction per contact)`,
        });
      }
      contacts.add(interaction.contactId);
    }
  });
export type InteractionsRecorded = z.infer<typeof InteractionsRecordedV1>;

/** The interactions an interactions-stream message carries, in order (its payload as JSON, not checked). */
export function interactionsIn(payload: unknown): InteractionRecorded[] {
  const message = payload as InteractionRecorded | InteractionsRecorded;
  return 'interactions' in message ? message.interactions : [message];
}

/**
 * A message of the interactions stream: one interaction, or a pack of several contacts' (parsed by
 * the form the payload says it has, so a dead letter names what is wrong in that form).
 */
export function decodeInteractionMessage(data: Uint8Array): InteractionRecorded | InteractionRecorded[] {
  const json = eventJson(data);
  if (typeof json === 'object' && json !== null && 'interactions' in json) {
    return InteractionsRecordedV1.parse(json).interactions;
  }
  return InteractionRecordedV1.parse(json);
}

/**
 * Whether the interaction names its contact (an email, or a `name` property): published under
 * `interactions.identified` (interactionRoute), so that a consumer that keeps only who a contact is
 * (notification's addresses) is sent these alone, not every visit and click.
 */
export function identifiesContact(event: Pick<InteractionRecorded, 'email' | 'properties'>): boolean {
  return event.email != null || typeof event.properties['name'] === 'string';
}

/**
 * The verb an interaction is published under (subjects.interactionRecorded). The contact projector
 * creates a contact's document from the first of its interactions it is sent and then changes it only
 * for those that name the contact or are contact events (IDENTIFY, merges), so it is sent those and,
 * while `projected` is false, any other: `projected` says that an interaction of the same contact
 * went out to it before, as far as the publisher knows (its publish was acknowledged, so it is
 * earlier in the stream). Every other interaction is for scoring alone (`recorded`): before this,
 * the projector was sent every visit and click to ignore nearly all of them.
 */
export function interactionRoute(
  event: Pick<InteractionRecorded, 'email' | 'properties' | 'kind'>,
  projected: boolean,
): InteractionRoute {
  if (identifiesContact(event)) return 'identified';
  return projected && !CONTACT_EVENT_KINDS.has(event.kind) ? 'recorded' : 'profiled';
}

/** Why a score changed: an interaction's rules, time passing, a new phase, or a rebuild under new rules. */
export const SCORE_CHANGE_CAUSES = ['INTERACTION', 'DECAY', 'STAGE_RESET', 'RECOMPUTE'] as const;
export type ScoreChangeCause = (typeof SCORE_CHANGE_CAUSES)[number];

export const ScoreChangedV1 = z.object({
  v: z.literal(1),
  workspaceId: z.string(),
  contactId: z.string(),
  cause: z.enum(SCORE_CHANGE_CAUSES),
  /** The interaction this change comes from (null for decay, stage resets and recomputes). */
  interactionId: z.string().nullable(),
  kind: z.enum(INTERACTION_KINDS).nullable(),
  occurredAt: isoDate.nullable(),
  /** Change of the general score. */
  delta: z.number(),
  general: z.number(),
  stage: z.number(),
  engagementIndex: z.number(),
  /**
   * The contact's likelihoods (0–1) when the change was made, for lifecycle's likelihood rules
   * (absent on changes made before they were sent).
   */
  likelihoods: z.object({ churn: z.number(), purchase: z.number() }).optional(),
  at: isoDate,
  /**
   * Public id of the change (`Query.scoreChange(id)`), see scoreChangeId; stored before it is
   * published (absent on changes published before changes were stored).
   */
  changeId: z.string().optional(),
  /**
   * The contact's tag scores after the change: lifecycle routes leads on them and keeps them for lists
   * of contacts. Absent: the contact has none, or (with `lastInteractionAt` absent too) the producer is
   * older than the field.
   */
  tags: z.record(z.string(), z.number()).optional(),
  /** When the contact's latest interaction occurred (null: none yet; absent: older producer). */
  lastInteractionAt: isoDate.nullable().optional(),
  /** What the interaction said about its contact that lifecycle routes leads on (ROUTING_PROPERTIES). */
  contactProperties: z.record(z.string(), z.string()).optional(),
  /**
   * A merge (kind CONTACT_MERGED) that brought a purchase or subscription to a contact that had none:
   * the customer kind, so lifecycle moves the survivor into the customer half as that interaction would have.
   */
  customerKind: z.enum(INTERACTION_KINDS).optional(),
  /**
   * The first change scoring publishes for the contact (it had no score document before): a
   * consumer that keeps per-contact state from this stream has none for it yet, and need not look.
   * A hint only (absent: unknown); a wrong one is caught by the consumer's fenced first write.
   */
  first: z.boolean().optional(),
});
export type ScoreChanged = z.infer<typeof ScoreChangedV1>;

/**
 * Several changes of one contact in one message: the changes one write of its score document
 * made, in order (a write that made one publishes it alone, as a ScoreChanged). A message costs
 * the NATS server, and each consumer, about as much as the work it carries: a contact's backlog
 * of twenty interactions, scored in one batch, was twenty messages to each of three consumers.
 */
export const ScoreChangesV1 = z
  .object({
    v: z.literal(1),
    workspaceId: z.string(),
    contactId: z.string(),
    changes: z.array(ScoreChangedV1).min(2).max(MAX_CHANGES_PER_MESSAGE),
  })
  .refine(
    ({ workspaceId, contactId, changes }) =>
      changes.every((c) => c.workspaceId === workspaceId && c.contactId === contactId),
    { message: 'every change of a ScoreChanges message must be of its workspace and contact' },
  );
export type ScoreChanges = z.infer<typeof ScoreChangesV1>;

/** A message of the scores stream about a score: one change (ScoreChanged) or several of one contact. */
export const ScoreChangeMessageV1 = z.union([ScoreChangesV1, ScoreChangedV1]);

/** The changes a score message carries, in order (its payload as JSON, not checked). */
export function scoreChangesIn(payload: unknown): ScoreChanged[] {
  const message = payload as ScoreChanged | ScoreChanges;
  return 'changes' in message ? message.changes : [message];
}

/**
 * A ScoreChangeMessageV1, decoded: its one change, or its list. Parsed by the form the payload
 * says it has (a `changes` list or not), so a dead letter names what is wrong in that form.
 */
export function decodeScoreChangeMessage(data: Uint8Array): ScoreChanged | ScoreChanged[] {
  const json = eventJson(data);
  if (typeof json === 'object' && json !== null && 'changes' in json) return ScoreChangesV1.parse(json).changes;
  return ScoreChangedV1.parse(json);
}

/**
 * The position of the `index`th event of the message at stream position `seq`, for a consumer
 * that records positions per contact: the message's own for the first, then apart by 1/1024
 * (exact in binary floating point, and below the next message's), so each change of a message
 * is applied once, in order, even if its consumer stops between two of them.
 */
export function memberPosition(seq: number, index: number): number {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_CHANGES_PER_MESSAGE) {
    throw new RangeError(`member index ${index} is outside 0–${MAX_CHANGES_PER_MESSAGE - 1}`);
  }
  return seq + index / MAX_CHANGES_PER_MESSAGE;
}

/**
 * A score change's public id: its contact and the position in the interactions stream of the input
 * that caused the first change of its message (one input makes at most one change), and for a later
 * change of a message of several its place in it: `<contact>~<position>` for the first,
 * `<contact>~<position>.<k>` for the k-th after it. A message's changes are stored together, under
 * the first one's id (scoring's `score_changes`), and a redelivered input goes out again in the
 * same message (its write recorded which), so it makes the change again under the same id.
 */
export function scoreChangeId(contactId: string, firstInputSeq: number, member = 0): string {
  return member === 0 ? `${contactId}~${firstInputSeq}` : `${contactId}~${firstInputSeq}.${member}`;
}

/**
 * The id of the first change of the message a change id names, and the change's place in that
 * message; null if `id` is not a score change's id.
 */
export function scoreChangeMessageOf(id: string): { firstId: string; member: number } | null {
  const match = /^(.+~\d+)(?:\.(\d+))?$/.exec(id);
  if (!match) return null;
  const member = match[2] === undefined ? 0 : Number(match[2]);
  // `.0` is not an id this makes (the first change has none), and a message has at most 1,024 members.
  if (match[2] !== undefined && (member === 0 || member >= MAX_CHANGES_PER_MESSAGE)) return null;
  return { firstId: match[1]!, member };
}

/**
 * Work for the scoring consumer that owns a contact, sent into the same ordered
 * partition as the contact's interactions so that it applies in order with them:
 * a new phase (the stage score restarts), a rebuild under the current rules (a
 * recompute job), or a check whether decay has lowered the score enough to tell.
 */
export const ScoringRequestedV1 = z.discriminatedUnion('request', [
  z.object({
    v: z.literal(1),
    request: z.literal('PHASE_ENTERED'),
    workspaceId: z.string(),
    contactId: z.string(),
    transitionId: z.string(),
    phase: z.enum(PHASES),
    at: isoDate,
  }),
  z.object({
    v: z.literal(1),
    request: z.literal('RECOMPUTE'),
    workspaceId: z.string(),
    contactId: z.string(),
    jobId: z.string(),
  }),
  z.object({
    v: z.literal(1),
    request: z.literal('DECAY_CHECK'),
    workspaceId: z.string(),
    contactId: z.string(),
  }),
]);
export type ScoringRequested = z.infer<typeof ScoringRequestedV1>;

/**
 * Work for the lifecycle consumer that owns a contact, sent into the same ordered partition
 * as the contact's score changes (the scores stream) so that it applies in order with them.
 * Every change of a contact's lifecycle document goes through its owner this way.
 * - PHASE_CHECK: a time-based rule may have come due (a grace period or a dwell time ended):
 *   evaluate the contact's phase again with its stored score. Scheduled by the owner.
 * - QUALIFICATION_STEP, OWNER_ASSIGN, LEAD_ROUTE: lead qualification and owners (sales-events.ts).
 * - REEVALUATE: the workspace's lifecycle policy changed; evaluate the contact's phase under it
 *   with its stored figures and count it toward the policy job `jobId`.
 */
export const LifecycleRequestedV1 = z.discriminatedUnion('request', [
  z.object({
    v: z.literal(1),
    request: z.literal('PHASE_CHECK'),
    workspaceId: z.string(),
    contactId: z.string(),
  }),
  ...SALES_REQUESTS,
  z.object({
    v: z.literal(1),
    request: z.literal('REEVALUATE'),
    workspaceId: z.string(),
    contactId: z.string(),
    jobId: z.string(),
  }),
]);
export type LifecycleRequested = z.infer<typeof LifecycleRequestedV1>;

export const PhaseChangedV1 = z.object({
  v: z.literal(1),
  workspaceId: z.string(),
  contactId: z.string(),
  /** Public id of the transition (`Query.phaseTransition(id)`), unique per workspace. */
  transitionId: z.string(),
  from: z.enum(PHASES),
  to: z.enum(PHASES),
  half: z.enum(INDEX_HALVES),
  reason: z.string(),
  at: isoDate,
  /**
   * The general score the transition was decided at (absent on changes published before it was
   * sent): notification renders it, as its own view of the scores stream may lag behind.
   */
  score: z.number().optional(),
  /**
   * What changed the score (`PhaseTransition.cause`; null: not recorded) and the interaction scored,
   * so a subscriber's payload can be answered from the event (absent on changes published before).
   */
  cause: z.enum(SCORE_CHANGE_CAUSES).nullable().optional(),
  interactionId: z.string().nullable().optional(),
  /**
   * The contact's first phase change (transition number 1): a consumer that keeps per-contact
   * state from phase changes has none for it yet. A hint, as ScoreChanged.first (a consumer that
   * also keeps qualification steps or owners, which may come before it, is told by its fence).
   */
  first: z.boolean().optional(),
});
export type PhaseChanged = z.infer<typeof PhaseChangedV1>;
export const decodePhaseChanged = eventDecoder(PhaseChangedV1);

/**
 * JetStream message ids: derived from the cause of the message (a client's id, a
 * stream position, a transition or job id), never from a clock or a random number,
 * so a re-publish after a redelivery carries the same id and the stream drops it.
 * Each kind has its own prefix: ids of different kinds can never collide.
 */
export const messageIds = {
  interactionRecorded: (ws: string, interactionId: string) => `ir:${ws}:${interactionId}`,
  /** The `index`th pack of interactions of an accept call, named by its outbox entry (`<ws>:<uuid>`). */
  interactionsPacked: (outboxEntryId: string, index: number) => `ip:${outboxEntryId}:${index}`,
  /** The score change an interaction caused. */
  scoreChanged: (ws: string, interactionId: string) => `sc:${ws}:${interactionId}`,
  /** Several changes of one contact, published together: named after the first one's id. */
  scoreChanges: (firstChangeMsgId: string) => `sm:${firstChangeMsgId}`,
  /** The stage score restarting on a phase transition (transition ids are unique per workspace). */
  stageReset: (ws: string, transitionId: string) => `ss:${ws}:${transitionId}`,
  /** A significant decay, found by the decay check at stream position `seq`. */
  scoreDecayed: (ws: string, contactId: string, seq: number) => `sd:${ws}:${contactId}:${seq}`,
  /** A contact's score rebuilt by a recompute job. */
  scoreRecomputed: (ws: string, jobId: string, contactId: string) => `sr:${ws}:${jobId}:${contactId}`,
  phaseEntered: (ws: string, transitionId: string) => `pe:${ws}:${transitionId}`,
  recompute: (ws: string, jobId: string, contactId: string) => `rc:${ws}:${jobId}:${contactId}`,
  phaseChanged: (ws: string, transitionId: string) => `pc:${ws}:${transitionId}`,
  ...salesMessageIds,
  /** A notification (a rule's message) created: its id is derived from rule, event and action. */
  notificationCreated: (ws: string, notificationId: string) => `nc:${ws}:${notificationId}`,
  /**
   * An owner's record after one save (`save`: drawn once per save, so the publish's own retries are
   * dropped as copies while two saves in the same millisecond both land, the last one kept).
   */
  ownerRecord: (ws: string, ownerId: string, save: string) => `ow:${ws}:${ownerId}:${save}`,
  /** A contact asked to be evaluated again by a lifecycle policy job. */
  policyReevaluation: (ws: string, jobId: string, contactId: string) => `lr:${ws}:${jobId}:${contactId}`,
};
