// The event-driven root fields of the graph: which NATS subject feeds a subscription
// field, how its events are decoded and filtered, and which query field resolves the
// event's payload by id — so the stock gateway can plan that payload across every
// subgraph (the way EDFS routers map an event to an entity fetch).
import {
  NOTIFICATION_ACTIONS,
  NotificationCreatedV1,
  OwnerAssignedV1,
  PHASES,
  PhaseChangedV1,
  QUALIFICATIONS,
  QualificationChangedV1,
  SCORE_CHANGE_CAUSES,
  ScoreChangeMessageV1,
  scoreChangesIn,
  type NotificationCreated,
  type OwnerAssigned,
  type Phase,
  type PhaseChanged,
  type QualificationChanged,
  type ScoreChanged,
  type Topology,
} from '@cei/contracts';

/** An event, decoded and reduced to what the hub needs to route it. */
export interface SourceEvent {
  workspaceId: string;
  /** Argument of the resolving query field (`phaseTransition(id:)`). */
  entityId: string;
  /** Predicates of subscriber filters run on this. */
  payload: unknown;
  /**
   * What the event itself says of the entity `Query.<entityField>(id)` returns, as its subgraph
   * answers it: the event query's first fetch is answered from this when it selects nothing else
   * (event-entity.ts).
   */
  entity?: Readonly<Record<string, unknown>>;
}

/**
 * A message's event, or its events when it carries several (of one contact, in order: `event` is
 * the first). Each has its own position (`memberPosition`).
 */
export type Decoded = { ok: true; event: SourceEvent; events?: SourceEvent[] } | { ok: false; reason: string };

export interface EventSource {
  /** `Subscription.<rootField>` in the API schema. */
  rootField: string;
  /** `Query.<entityField>(<entityArgument>: ID!)` returns the subscription field's type. */
  entityField: string;
  entityArgument: string;
  /** The JetStream stream holding these events (where a resume replays from). */
  stream(topology: Topology): string;
  /** The subject (in that stream) with every event of one workspace for this field. */
  subject(topology: Topology, workspaceId: string): string;
  decode(data: Uint8Array): Decoded;
  /**
   * Builds the subscriber's predicate from the root field's arguments, already
   * coerced by the schema. Throws a FilterError when they make no sense.
   */
  compileFilter(args: Record<string, unknown>): (event: SourceEvent) => boolean;
}

export class FilterError extends Error {
  override name = 'FilterError';
}

const json = new TextDecoder();

/** Decodes a JSON payload with a zod-like schema, naming what is wrong when it fails. */
function decodeWith<T>(
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: { message: string } } },
  data: Uint8Array,
): { ok: true; value: T } | { ok: false; reason: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(json.decode(data));
  } catch {
    return { ok: false, reason: 'payload is not JSON' };
  }
  const parsed = schema.safeParse(raw);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: parsed.error.message };
}

function optionalStringList(value: unknown, name: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new FilterError(`${name} must be a list of strings`);
  }
  if (value.length === 0)
    throw new FilterError(`${name} is empty, so nothing would ever match: omit it to receive every event`);
  return value;
}

/** As the subgraphs' DateTime scalar serializes it (an event's time may carry an offset). */
const asDateTime = (at: string) => new Date(at).toISOString();

/** An entity of `type` as its subgraph answers it: its id, its contact (a reference) and `fields`. */
const entityOf = (type: string, id: string, contactId: string, fields: Record<string, unknown>) => ({
  __typename: type,
  id,
  contact: { __typename: 'Contact', id: contactId },
  ...fields,
});

/** A PhaseTransition as lifecycle answers it, from its event: the fields older events lack are left out. */
function transitionOf(event: PhaseChanged): Record<string, unknown> {
  const carried = (value: unknown) => value !== undefined;
  return entityOf('PhaseTransition', event.transitionId, event.contactId, {
    from: event.from,
    to: event.to,
    at: asDateTime(event.at),
    reason: event.reason,
    ...(carried(event.score) ? { score: event.score } : {}),
    ...(carried(event.cause) ? { cause: event.cause } : {}),
    ...(carried(event.interactionId) ? { interactionId: event.interactionId } : {}),
  });
}

export const phaseChangedSource: EventSource = {
  rootField: 'phaseChanged',
  entityField: 'phaseTransition',
  entityArgument: 'id',
  stream: (topology) => topology.streams.phases.name,
  subject: (topology, workspaceId) => topology.subjects.workspacePhaseChanges(workspaceId),
  decode(data) {
    const decoded = decodeWith(PhaseChangedV1, data);
    if (!decoded.ok) return decoded;
    const event = decoded.value;
    return {
      ok: true,
      event: {
        workspaceId: event.workspaceId,
        entityId: event.transitionId,
        payload: event,
        entity: transitionOf(event),
      },
    };
  },
  compileFilter(args) {
    const filter = (args.filter ?? {}) as Record<string, unknown>;
    const phases = optionalStringList(filter.phases, 'filter.phases');
    const unknownPhase = phases?.find((phase) => !(PHASES as readonly string[]).includes(phase));
    if (unknownPhase) throw new FilterError(`filter.phases: ${unknownPhase} is not one of ${PHASES.join(', ')}`);
    const wantedPhases = phases ? new Set(phases as Phase[]) : undefined;
    const contactIds = optionalStringList(filter.contactIds, 'filter.contactIds');
    const wantedContacts = contactIds ? new Set(contactIds) : undefined;
    return (event) => {
      const change = event.payload as PhaseChanged;
      return (
        (!wantedPhases || wantedPhases.has(change.to)) && (!wantedContacts || wantedContacts.has(change.contactId))
      );
    };
  },
};

function optionalNumber(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new FilterError(`${name} must be a number`);
  return value;
}

export const scoreChangedSource: EventSource = {
  rootField: 'scoreChanged',
  entityField: 'scoreChange',
  entityArgument: 'id',
  stream: (topology) => topology.streams.scores.name,
  subject: (topology, workspaceId) => topology.subjects.workspaceScoreChanges(workspaceId),
  decode(data) {
    // One change, or several of one contact (ScoreChanges): each an event of its own.
    const decoded = decodeWith(ScoreChangeMessageV1, data);
    if (!decoded.ok) return decoded;
    const events: SourceEvent[] = [];
    for (const event of scoreChangesIn(decoded.value)) {
      // A change published before changes were stored has no id to resolve it by.
      if (!event.changeId) return { ok: false, reason: 'score change without changeId (published before ids)' };
      const entity = entityOf('ScoreChange', event.changeId, event.contactId, {
        cause: event.cause,
        interactionId: event.interactionId,
        kind: event.kind,
        delta: event.delta,
        general: event.general,
        stage: event.stage,
        engagementIndex: event.engagementIndex,
        at: asDateTime(event.at),
      });
      events.push({ workspaceId: event.workspaceId, entityId: event.changeId, payload: event, entity });
    }
    return { ok: true, event: events[0]!, ...(events.length > 1 ? { events } : {}) };
  },
  compileFilter(args) {
    const filter = (args.filter ?? {}) as Record<string, unknown>;
    const contactIds = optionalStringList(filter.contactIds, 'filter.contactIds');
    const wantedContacts = contactIds ? new Set(contactIds) : undefined;
    const causes = optionalStringList(filter.causes, 'filter.causes');
    const unknownCause = causes?.find((cause) => !(SCORE_CHANGE_CAUSES as readonly string[]).includes(cause));
    if (unknownCause) {
      throw new FilterError(`filter.causes: ${unknownCause} is not one of ${SCORE_CHANGE_CAUSES.join(', ')}`);
    }
    const wantedCauses = causes ? new Set(causes) : undefined;
    const minScore = optionalNumber(filter.minScore, 'filter.minScore');
    const maxScore = optionalNumber(filter.maxScore, 'filter.maxScore');
    if (minScore !== undefined && maxScore !== undefined && minScore > maxScore) {
      throw new FilterError(
        `filter.minScore (${minScore}) is above filter.maxScore (${maxScore}): nothing would match`,
      );
    }
    const tags = optionalStringList(filter.tags, 'filter.tags');
    const minDelta = optionalNumber(filter.minDelta, 'filter.minDelta');
    if (minDelta !== undefined && minDelta < 0) {
      throw new FilterError('filter.minDelta is a size (the absolute change): give 0 or more');
    }
    return (event) => {
      const change = event.payload as ScoreChanged;
      return (
        (!wantedContacts || wantedContacts.has(change.contactId)) &&
        (!wantedCauses || wantedCauses.has(change.cause)) &&
        (minScore === undefined || change.general >= minScore) &&
        (maxScore === undefined || change.general <= maxScore) &&
        (minDelta === undefined || Math.abs(change.delta) >= minDelta) &&
        (!tags || tags.some((tag) => (change.tags?.[tag] ?? 0) !== 0))
      );
    };
  },
};

export const qualificationChangedSource: EventSource = {
  rootField: 'qualificationChanged',
  entityField: 'qualificationStep',
  entityArgument: 'id',
  stream: (topology) => topology.streams.phases.name,
  subject: (topology, workspaceId) => topology.subjects.workspaceQualificationChanges(workspaceId),
  decode(data) {
    const decoded = decodeWith(QualificationChangedV1, data);
    if (!decoded.ok) return decoded;
    const event = decoded.value;
    // Every QualificationStep field: the step's record is insert-only, so the event is all of it.
    const entity = entityOf('QualificationStep', event.stepId, event.contactId, {
      action: event.action,
      from: event.from,
      to: event.to,
      at: asDateTime(event.at),
      actor: event.actor,
      reason: event.reason,
    });
    return { ok: true, event: { workspaceId: event.workspaceId, entityId: event.stepId, payload: event, entity } };
  },
  compileFilter(args) {
    const filter = (args.filter ?? {}) as Record<string, unknown>;
    const contactIds = optionalStringList(filter.contactIds, 'filter.contactIds');
    const wantedContacts = contactIds ? new Set(contactIds) : undefined;
    const to = optionalStringList(filter.to, 'filter.to');
    const unknown = to?.find((q) => !(QUALIFICATIONS as readonly string[]).includes(q));
    if (unknown) throw new FilterError(`filter.to: ${unknown} is not one of ${QUALIFICATIONS.join(', ')}`);
    const wantedTo = to ? new Set(to) : undefined;
    return (event) => {
      const step = event.payload as QualificationChanged;
      return (!wantedContacts || wantedContacts.has(step.contactId)) && (!wantedTo || wantedTo.has(step.to));
    };
  },
};

export const ownerAssignedSource: EventSource = {
  rootField: 'ownerAssigned',
  entityField: 'ownerAssignment',
  entityArgument: 'id',
  stream: (topology) => topology.streams.phases.name,
  subject: (topology, workspaceId) => topology.subjects.workspaceOwnerAssignments(workspaceId),
  decode(data) {
    const decoded = decodeWith(OwnerAssignedV1, data);
    if (!decoded.ok) return decoded;
    const event = decoded.value;
    return { ok: true, event: { workspaceId: event.workspaceId, entityId: event.assignmentId, payload: event } };
  },
  compileFilter(args) {
    const filter = (args.filter ?? {}) as Record<string, unknown>;
    const contactIds = optionalStringList(filter.contactIds, 'filter.contactIds');
    const wantedContacts = contactIds ? new Set(contactIds) : undefined;
    const ownerIds = optionalStringList(filter.ownerIds, 'filter.ownerIds');
    const wantedOwners = ownerIds ? new Set(ownerIds) : undefined;
    return (event) => {
      const assignment = event.payload as OwnerAssigned;
      return (
        (!wantedContacts || wantedContacts.has(assignment.contactId)) &&
        (!wantedOwners || wantedOwners.has(assignment.ownerId))
      );
    };
  },
};

export const notificationCreatedSource: EventSource = {
  rootField: 'notificationCreated',
  entityField: 'ruleMessage',
  entityArgument: 'id',
  stream: (topology) => topology.streams.notifications.name,
  subject: (topology, workspaceId) => topology.subjects.workspaceNotificationsCreated(workspaceId),
  decode(data) {
    const decoded = decodeWith(NotificationCreatedV1, data);
    if (!decoded.ok) return decoded;
    const event = decoded.value;
    return { ok: true, event: { workspaceId: event.workspaceId, entityId: event.notificationId, payload: event } };
  },
  compileFilter(args) {
    const filter = (args.filter ?? {}) as Record<string, unknown>;
    const contactIds = optionalStringList(filter.contactIds, 'filter.contactIds');
    const wantedContacts = contactIds ? new Set(contactIds) : undefined;
    const actions = optionalStringList(filter.actions, 'filter.actions');
    const unknown = actions?.find((a) => !(NOTIFICATION_ACTIONS as readonly string[]).includes(a));
    if (unknown) throw new FilterError(`filter.actions: ${unknown} is not one of ${NOTIFICATION_ACTIONS.join(', ')}`);
    const wantedActions = actions ? new Set(actions) : undefined;
    const ruleIds = optionalStringList(filter.ruleIds, 'filter.ruleIds');
    const wantedRules = ruleIds ? new Set(ruleIds) : undefined;
    return (event) => {
      const created = event.payload as NotificationCreated;
      return (
        (!wantedContacts || wantedContacts.has(created.contactId)) &&
        (!wantedActions || wantedActions.has(created.action)) &&
        (!wantedRules || wantedRules.has(created.ruleId))
      );
    };
  },
};

/**
 * Every event-driven root field the gateway serves. A new one is an EventSource: its stream
 * and workspace subject, a decoder naming the entity id, a filter, and the Query field that
 * resolves the entity by id (see the README, "Adding a subscription").
 */
export const EVENT_SOURCES: Readonly<Record<string, EventSource>> = {
  [phaseChangedSource.rootField]: phaseChangedSource,
  [scoreChangedSource.rootField]: scoreChangedSource,
  [qualificationChangedSource.rootField]: qualificationChangedSource,
  [ownerAssignedSource.rootField]: ownerAssignedSource,
  [notificationCreatedSource.rootField]: notificationCreatedSource,
};
