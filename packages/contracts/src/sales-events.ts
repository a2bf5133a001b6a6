// Lead qualification and owner assignment on NATS: the requests lifecycle's contact
// owner applies (LifecycleRequested variants, in the contact's partition of the scores
// stream), the request a contact owner sends to the owner of a team's round-robin
// (LEAD_ROUTE, in the team's partition), and the events lifecycle publishes (in the
// phases stream, ordered per contact, exactly once by message id).
import { z } from 'zod';

const isoDate = z.string().datetime({ offset: true });

/** Where a lead stands: NONE (never qualified), MQL → SAL → SQL; NURTURE after sales rejected or disqualified it. */
export const QUALIFICATIONS = ['NONE', 'MQL', 'SAL', 'SQL', 'NURTURE'] as const;
export type Qualification = (typeof QUALIFICATIONS)[number];

/** What sales does to a lead (the automatic step, NONE/NURTURE → MQL, is `MARKETING_QUALIFY`). */
export const QUALIFICATION_ACTIONS = ['MARKETING_QUALIFY', 'ACCEPT', 'QUALIFY', 'REJECT', 'DISQUALIFY'] as const;
export type QualificationAction = (typeof QUALIFICATION_ACTIONS)[number];

/**
 * Interaction properties that describe the contact (not the interaction) and that lead routing
 * rules match on: scoring passes them on with the score change, lifecycle keeps the latest.
 */
export const ROUTING_PROPERTIES = ['country', 'territory'] as const;
export type RoutingProperty = (typeof ROUTING_PROPERTIES)[number];
/** The longest routing property value passed on (longer ones are not routing data). */
export const MAX_ROUTING_VALUE = 100;

export const ASSIGNMENT_METHODS = ['ROUND_ROBIN', 'MANUAL'] as const;
export type AssignmentMethod = (typeof ASSIGNMENT_METHODS)[number];

/** The lifecycle requests of lead qualification and owners (spread into LifecycleRequestedV1). */
export const SALES_REQUESTS = [
  /** A sales step on a lead, by a caller (`actor`), valid only if the lead took `expectedSteps` steps so far. */
  z.object({
    v: z.literal(1),
    request: z.literal('QUALIFICATION_STEP'),
    workspaceId: z.string(),
    contactId: z.string(),
    action: z.enum(['ACCEPT', 'QUALIFY', 'REJECT', 'DISQUALIFY']),
    expectedSteps: z.number().int().min(0),
    reason: z.string().nullable(),
    actor: z.string(),
  }),
  /**
   * Gives the contact an owner: MANUAL by a caller, or ROUND_ROBIN, the answer of the team's
   * round-robin to the contact's LEAD_ROUTE (ownerId null: the team had no active owner).
   */
  z.object({
    v: z.literal(1),
    request: z.literal('OWNER_ASSIGN'),
    workspaceId: z.string(),
    contactId: z.string(),
    ownerId: z.string().nullable(),
    method: z.enum(ASSIGNMENT_METHODS),
    teamId: z.string().nullable(),
    actor: z.string().nullable(),
  }),
  /**
   * To the owner of a team's round-robin (published in the partition of the team's routing key,
   * `contactId` being the lead): pick the team's next active owner for the lead.
   */
  z.object({
    v: z.literal(1),
    request: z.literal('LEAD_ROUTE'),
    workspaceId: z.string(),
    contactId: z.string(),
    teamId: z.string(),
  }),
] as const;

export const QualificationChangedV1 = z.object({
  v: z.literal(1),
  workspaceId: z.string(),
  contactId: z.string(),
  /** `<contact>~q<n>`: the contact's n-th qualification step. */
  stepId: z.string(),
  action: z.enum(QUALIFICATION_ACTIONS),
  from: z.enum(QUALIFICATIONS),
  to: z.enum(QUALIFICATIONS),
  reason: z.string().nullable(),
  /** The API key's public id behind the step; null for the automatic MQL. */
  actor: z.string().nullable(),
  at: isoDate,
});
export type QualificationChanged = z.infer<typeof QualificationChangedV1>;

export const OwnerAssignedV1 = z.object({
  v: z.literal(1),
  workspaceId: z.string(),
  contactId: z.string(),
  /** `<contact>~o<n>`: the contact's n-th assignment. */
  assignmentId: z.string(),
  ownerId: z.string(),
  previousOwnerId: z.string().nullable(),
  teamId: z.string().nullable(),
  method: z.enum(ASSIGNMENT_METHODS),
  actor: z.string().nullable(),
  at: isoDate,
});
export type OwnerAssigned = z.infer<typeof OwnerAssignedV1>;

/** Message ids of the above (see `messageIds`): from their cause, never from a clock. */
export const salesMessageIds = {
  /** A sales step asked for on a lead that took `steps` steps: the same click twice is one request. */
  qualificationRequested: (ws: string, contactId: string, action: string, steps: number) =>
    `qr:${ws}:${contactId}:${steps}:${action}`,
  /** A manual assignment asked for when the contact had `assignments` assignments. */
  ownerRequested: (ws: string, contactId: string, assignments: number, ownerId: string) =>
    `or:${ws}:${contactId}:${assignments}:${ownerId}`,
  /** The route of a lead that the score change at `seq` (scores stream) took over the sales threshold. */
  leadRouted: (ws: string, contactId: string, seq: number) => `rt:${ws}:${contactId}:${seq}`,
  /** The round-robin's answer to the LEAD_ROUTE at `seq`. */
  leadAssigned: (ws: string, teamId: string, seq: number) => `la:${ws}:${teamId}:${seq}`,
  qualificationChanged: (ws: string, stepId: string) => `qc:${ws}:${stepId}`,
  ownerAssigned: (ws: string, assignmentId: string) => `oa:${ws}:${assignmentId}`,
};
