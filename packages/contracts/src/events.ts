// Event payloads on NATS, versioned. Consumers parse with these schemas at the edge
// (a payload that does not parse can never succeed: it is terminated and logged).
import { z } from 'zod';
import { INTERACTION_KINDS, PHASES, INDEX_HALVES } from './domain';

const isoDate = z.string().datetime({ offset: true });

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
});
export type InteractionRecorded = z.infer<typeof InteractionRecordedV1>;

export const ScoreChangedV1 = z.object({
  v: z.literal(1),
  workspaceId: z.string(),
  contactId: z.string(),
  /** The interaction this change comes from (scores change once per interaction). */
  interactionId: z.string(),
  kind: z.enum(INTERACTION_KINDS),
  occurredAt: isoDate,
  delta: z.number(),
  general: z.number(),
  engagementIndex: z.number(),
  at: isoDate,
});
export type ScoreChanged = z.infer<typeof ScoreChangedV1>;

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
});
export type PhaseChanged = z.infer<typeof PhaseChangedV1>;

/** JetStream message ids: deterministic, so a re-publish is dropped by the stream. */
export const messageIds = {
  interactionRecorded: (ws: string, interactionId: string) => `ir:${ws}:${interactionId}`,
  scoreChanged: (ws: string, interactionId: string) => `sc:${ws}:${interactionId}`,
  phaseChanged: (ws: string, transitionId: string) => `pc:${ws}:${transitionId}`,
};
