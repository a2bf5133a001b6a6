// A score change is its input plus a few figures: the input (an interaction, a new
// phase, a decay check, a recompute) says why, where and under which message id; the
// figures say what the scores became and when. So a score document need only keep
// the figures of the changes its last write was about to publish: when the inputs of
// that write are redelivered, input and figures make the very same changes again.
import {
  MAX_ROUTING_VALUE,
  messageIds,
  ROUTING_PROPERTIES,
  scoreChangeId,
  type InteractionKind,
  type InteractionRecorded,
  type ScoreChanged,
  type ScoringRequested,
} from '@cei/contracts';
import { engagementIndex } from './engagement-index';

export type ScoringInput = InteractionRecorded | ScoringRequested;

/** What a change says beyond its input. */
export interface ChangeFigures {
  /** Stream position of the input that caused it. */
  seq: number;
  delta: number;
  general: number;
  stage: number;
  at: string;
  /** The contact's tag scores after the change, when it has any (lifecycle routes leads on them). */
  tags?: Record<string, number>;
  /** Churn and purchase likelihoods when the change was made (absent in figures stored before them). */
  likelihoods?: { churn: number; purchase: number };
  /** When the latest interaction occurred, for lists of contacts (absent in figures stored before it). */
  lastInteractionAt?: string | null;
  /** A merge brought the contact its first purchase or subscription (see ScoreChanged.customerKind). */
  customerKind?: InteractionKind;
}

/** A score change to publish, with the stream position of the input that caused it. */
export interface PendingChange {
  seq: number;
  msgId: string;
  change: ScoreChanged;
}

/** The score change `input` caused: the same for the same input and figures, message id included. */
export function scoreChangeOf(input: ScoringInput, figures: ChangeFigures): PendingChange {
  const { seq, delta, general, stage, at, likelihoods, tags, lastInteractionAt, customerKind } = figures;
  const { workspaceId: ws, contactId } = input;
  const interaction = 'request' in input ? null : input;
  const [cause, msgId] = causeOf(input, seq);
  const change: ScoreChanged = {
    v: 1,
    workspaceId: ws,
    contactId,
    cause,
    interactionId: interaction?.interactionId ?? null,
    kind: interaction?.kind ?? null,
    occurredAt: interaction?.occurredAt ?? null,
    delta,
    general,
    stage,
    engagementIndex: engagementIndex(general),
    ...(likelihoods ? { likelihoods } : {}),
    at,
    changeId: scoreChangeId(contactId, seq),
    ...(tags ? { tags } : {}),
    ...(lastInteractionAt !== undefined ? { lastInteractionAt } : {}),
    ...contactPropertiesOf(interaction),
    ...(customerKind ? { customerKind } : {}),
  };
  return { seq, msgId, change };
}

/** Why a change happened and its message id: from its input, never from a clock. */
function causeOf(input: ScoringInput, seq: number): [ScoreChanged['cause'], string] {
  const { workspaceId: ws, contactId } = input;
  if (!('request' in input)) return ['INTERACTION', messageIds.scoreChanged(ws, input.interactionId)];
  switch (input.request) {
    case 'PHASE_ENTERED':
      return ['STAGE_RESET', messageIds.stageReset(ws, input.transitionId)];
    case 'DECAY_CHECK':
      // Two checks are two positions; a redelivered check keeps its position.
      return ['DECAY', messageIds.scoreDecayed(ws, contactId, seq)];
    case 'RECOMPUTE':
      return ['RECOMPUTE', messageIds.scoreRecomputed(ws, input.jobId, contactId)];
  }
}

export function figuresOf({ seq, change }: PendingChange): ChangeFigures {
  const { delta, general, stage, at, likelihoods, tags, lastInteractionAt, customerKind } = change;
  return {
    seq,
    delta,
    general,
    stage,
    at,
    ...(likelihoods ? { likelihoods } : {}),
    ...(tags ? { tags } : {}),
    ...(lastInteractionAt !== undefined ? { lastInteractionAt } : {}),
    ...(customerKind ? { customerKind } : {}),
  };
}

/** The routing properties the interaction gave (strings only), from the input: the same on a redelivery. */
function contactPropertiesOf(interaction: InteractionRecorded | null): Pick<ScoreChanged, 'contactProperties'> {
  const found: Record<string, string> = {};
  for (const name of ROUTING_PROPERTIES) {
    const value = interaction?.properties[name];
    if (typeof value === 'string' && value.length > 0 && value.length <= MAX_ROUTING_VALUE) found[name] = value;
  }
  return Object.keys(found).length > 0 ? { contactProperties: found } : {};
}

/**
 * The changes a stored write promised for the inputs redelivered now (in their
 * order): each input with the figures stored at its position; an input that
 * changed nothing has none.
 */
export function promisedChanges(
  stored: readonly ChangeFigures[],
  redelivered: readonly { seq: number; event: ScoringInput }[],
): PendingChange[] {
  const bySeq = new Map(stored.map((figures) => [figures.seq, figures]));
  return redelivered.flatMap(({ seq, event }) => {
    const figures = bySeq.get(seq);
    return figures ? [scoreChangeOf(event, figures)] : [];
  });
}
