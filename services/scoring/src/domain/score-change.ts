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
  type ScoreChanges,
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
  const interaction = 'request' in input ? null : input;
  const [cause, msgId] = causeOf(input, figures.seq);
  return changeOf(input, figures, {
    msgId,
    cause,
    interactionId: interaction?.interactionId ?? null,
    kind: interaction?.kind ?? null,
    occurredAt: interaction?.occurredAt ?? null,
    ...contactPropertiesOf(interaction),
  });
}

/** A change from its contact, its figures and what it says beyond them: one shape for every path. */
function changeOf(
  contact: { workspaceId: string; contactId: string },
  figures: ChangeFigures,
  facts: StoredChangeFacts,
): PendingChange {
  const { seq, delta, general, stage, at, likelihoods, tags, lastInteractionAt, customerKind } = figures;
  const change: ScoreChanged = {
    v: 1,
    workspaceId: contact.workspaceId,
    contactId: contact.contactId,
    cause: facts.cause,
    interactionId: facts.interactionId,
    kind: facts.kind,
    occurredAt: facts.occurredAt,
    delta,
    general,
    stage,
    engagementIndex: engagementIndex(general),
    ...(likelihoods ? { likelihoods } : {}),
    at,
    changeId: scoreChangeId(contact.contactId, seq),
    ...(tags ? { tags } : {}),
    ...(lastInteractionAt !== undefined ? { lastInteractionAt } : {}),
    ...(facts.contactProperties ? { contactProperties: facts.contactProperties } : {}),
    ...(customerKind ? { customerKind } : {}),
    ...(facts.first ? { first: true } : {}),
  };
  return { seq, msgId: facts.msgId, change };
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
 * A change promised by a stored write whose input is not redelivered now: its figures are stored
 * with the write, the rest in its message's `score_changes` document (stored before the write).
 */
export interface UnreplayedChange {
  seq: number;
  figures: ChangeFigures;
}

/**
 * The changes of one message, in order: one write's changes of its contact (a write that made
 * more than CHANGES_PER_MESSAGE publishes several). One change goes out alone, as a
 * ScoreChanged under its own message id; several as ScoreChanges under the first one's.
 */
export type ChangeSet = (PendingChange | UnreplayedChange)[];

export const isPending = (member: PendingChange | UnreplayedChange): member is PendingChange => 'change' in member;

/**
 * The most changes scoring puts in one message: a change with many tag scores and routing
 * properties takes ~1–2 KB, and NATS refuses a message above its max_payload (1 MB by default).
 * Below MAX_CHANGES_PER_MESSAGE, which bounds what a consumer accepts.
 */
export const CHANGES_PER_MESSAGE = 256;

/** A write's new changes as the sets they go out in. */
export function setsOf(changes: readonly PendingChange[]): PendingChange[][] {
  const sets: PendingChange[][] = [];
  for (let i = 0; i < changes.length; i += CHANGES_PER_MESSAGE) sets.push(changes.slice(i, i + CHANGES_PER_MESSAGE));
  return sets;
}

/**
 * The sets a stored write promised that an input redelivered now belongs to, in order, each
 * whole: its redelivered members made again from their inputs and stored figures, the others
 * left to be read back (UnreplayedChange). A set goes out again whole under its message id, so
 * a copy of one that went out is dropped by the stream, even when only some of its inputs come
 * back (a batch's acks are sent together but need not all arrive). `sizes`: how the stored
 * figures divide into sets (absent, as written before sets: each change alone).
 */
export function promisedSets(
  stored: readonly ChangeFigures[],
  sizes: readonly number[] | undefined,
  redelivered: readonly { seq: number; event: ScoringInput }[],
): ChangeSet[] {
  const inputs = new Map(redelivered.map(({ seq, event }) => [seq, event]));
  const sets: ChangeSet[] = [];
  let at = 0;
  for (const size of sizes ?? stored.map(() => 1)) {
    const members = stored.slice(at, at + size);
    at += size;
    if (!members.some((figures) => inputs.has(figures.seq))) continue;
    sets.push(
      members.map((figures) => {
        const input = inputs.get(figures.seq);
        return input ? scoreChangeOf(input, figures) : { seq: figures.seq, figures };
      }),
    );
  }
  return sets;
}

/** What a change's `score_changes` document keeps of it beyond its figures (see UnreplayedChange). */
export interface StoredChangeFacts {
  msgId: string;
  cause: ScoreChanged['cause'];
  interactionId: string | null;
  kind: InteractionKind | null;
  occurredAt: string | null;
  contactProperties?: Record<string, string>;
  first?: boolean;
}

/** A promised change made again from its stored facts and figures: the change as it was published. */
export function storedChangeOf(
  contact: { workspaceId: string; contactId: string },
  { figures }: UnreplayedChange,
  facts: StoredChangeFacts,
): PendingChange {
  return changeOf(contact, figures, facts);
}

/**
 * A set with its changes' public ids as its message gives them (contracts' scoreChangeId): the
 * first keeps the id of its own position, a later one is named by the first one's position and its
 * place. Stored and published so; the same for a set made again on a redelivery (promisedSets).
 */
export function identified(set: readonly PendingChange[]): PendingChange[] {
  const [first, ...later] = set;
  if (!first) return [];
  return [
    first,
    ...later.map((member, k) => ({
      ...member,
      change: { ...member.change, changeId: scoreChangeId(member.change.contactId, first.seq, k + 1) },
    })),
  ];
}

/** A set as it is published: its message id and payload (`identified`). */
export function setMessage(set: readonly PendingChange[]): { msgId: string; payload: ScoreChanged | ScoreChanges } {
  const [first] = set;
  if (!first) throw new Error('an empty set of score changes');
  if (set.length === 1) return { msgId: first.msgId, payload: first.change };
  const { workspaceId, contactId } = first.change;
  return {
    msgId: messageIds.scoreChanges(first.msgId),
    payload: { v: 1, workspaceId, contactId, changes: identified(set).map(({ change }) => change) },
  };
}
