// The event-driven root fields of the graph: which NATS subject feeds a subscription
// field, how its events are decoded and filtered, and which query field resolves the
// event's payload by id — so the stock gateway can plan that payload across every
// subgraph (the way EDFS routers map an event to an entity fetch).
import { PHASES, PhaseChangedV1, type Phase, type PhaseChanged, type Topology } from '@cei/contracts';

/** An event, decoded and reduced to what the hub needs to route it. */
export interface SourceEvent {
  workspaceId: string;
  /** Argument of the resolving query field (`phaseTransition(id:)`). */
  entityId: string;
  /** Predicates of subscriber filters run on this. */
  payload: unknown;
}

export type Decoded = { ok: true; event: SourceEvent } | { ok: false; reason: string };

export interface EventSource {
  /** `Subscription.<rootField>` in the API schema. */
  rootField: string;
  /** `Query.<entityField>(<entityArgument>: ID!)` returns the subscription field's type. */
  entityField: string;
  entityArgument: string;
  /** Core NATS subject with every event of one workspace for this field. */
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

export const phaseChangedSource: EventSource = {
  rootField: 'phaseChanged',
  entityField: 'phaseTransition',
  entityArgument: 'id',
  subject: (topology, workspaceId) => topology.subjects.workspacePhaseChanges(workspaceId),
  decode(data) {
    const decoded = decodeWith(PhaseChangedV1, data);
    if (!decoded.ok) return decoded;
    const event = decoded.value;
    return { ok: true, event: { workspaceId: event.workspaceId, entityId: event.transitionId, payload: event } };
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

/** Every event-driven root field the gateway serves. Add `scoreChanged` here once a subgraph resolves it by id. */
export const EVENT_SOURCES: Readonly<Record<string, EventSource>> = {
  [phaseChangedSource.rootField]: phaseChangedSource,
};
