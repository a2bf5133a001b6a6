// The first fetch of an event query, answered from the event itself. A subscription's payload is
// planned as `Query.<entityField>(id: $__eventId) { … }` (plan.ts), whose first fetch goes to the
// subgraph that published the event and reads back what the event already says (a phase change's
// transition: from, to, at, score, the contact's id). When every field that fetch selects is in
// the event, the gateway answers it here — no request, no database read — and the plan's later
// fetches (another subgraph's fields of the contact) run as before; a selection reaching beyond
// the event (a field the event does not carry, arguments, @skip/@include, a named fragment) is
// fetched from the subgraph as always. As event-driven federation routers (Cosmo's EDFS) treat an
// event's payload as the root entity's data and resolve only the rest through entity calls.
import { Kind, parse, type DocumentNode, type SelectionSetNode } from 'graphql';
import { LRUCache } from 'lru-cache';

/** What an event says of the entity its query field returns, as that field's subgraph would answer it. */
export interface EventEntity {
  /** `Query.<field>(id:)`: the event query's root field. */
  field: string;
  id: string;
  /**
   * The entity's fields the event carries, serialized as the subgraph serializes them (enums and
   * DateTime as strings), `__typename` included, nested entity references as `{ __typename, id }`.
   * A field left out is fetched from the subgraph when a subscriber selects it.
   */
  value: Readonly<Record<string, unknown>>;
}

type Data = Record<string, unknown>;

/** Fetch operations are few and repeat (one per plan): parsed once. */
const parsed = new LRUCache<string, { document: DocumentNode | null }>({ max: 500 });

function parseOnce(query: string): DocumentNode | null {
  let entry = parsed.get(query);
  if (!entry) {
    try {
      entry = { document: parse(query) };
    } catch {
      entry = { document: null };
    }
    parsed.set(query, entry);
  }
  return entry.document;
}

/**
 * The response to the fetch `query` if it asks only for `entity`'s root field by the event's id
 * and only for fields the event carries; otherwise undefined (send the fetch to the subgraph).
 */
export function answerFromEvent(
  query: string,
  variables: Readonly<Record<string, unknown>> | undefined,
  entity: EventEntity,
): { data: Data } | undefined {
  const document = parseOnce(query);
  if (!document || document.definitions.length !== 1) return undefined;
  const operation = document.definitions[0]!;
  if (operation.kind !== Kind.OPERATION_DEFINITION || operation.operation !== 'query') return undefined;
  if (operation.directives?.length) return undefined;
  const [root, ...others] = operation.selectionSet.selections;
  if (!root || others.length > 0 || root.kind !== Kind.FIELD || root.name.value !== entity.field) return undefined;
  if (root.directives?.length || !root.selectionSet || root.arguments?.length !== 1) return undefined;
  const [argument] = root.arguments;
  const id =
    argument!.value.kind === Kind.VARIABLE
      ? variables?.[argument!.value.name.value]
      : argument!.value.kind === Kind.STRING
        ? argument!.value.value
        : undefined;
  if (argument!.name.value !== 'id' || id !== entity.id) return undefined;
  const value = project(root.selectionSet, entity.value);
  return value === undefined ? undefined : { data: { [root.alias?.value ?? root.name.value]: value } };
}

/** `selectionSet` read from `object`; undefined when it selects anything `object` does not hold. */
function project(selectionSet: SelectionSetNode, object: Readonly<Data>): Data | undefined {
  const result: Data = {};
  for (const selection of selectionSet.selections) {
    if (selection.directives?.length) return undefined;
    if (selection.kind === Kind.FRAGMENT_SPREAD) return undefined;
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition?.name.value;
      if (type !== undefined && type !== object.__typename) continue;
      const part = project(selection.selectionSet, object);
      if (!part || !merge(result, part)) return undefined;
      continue;
    }
    const name = selection.name.value;
    if (selection.arguments?.length || !Object.hasOwn(object, name)) return undefined;
    const value = object[name];
    let answered: unknown;
    if (selection.selectionSet) {
      if (value === null) answered = null;
      else if (typeof value !== 'object' || Array.isArray(value)) return undefined;
      else {
        answered = project(selection.selectionSet, value as Data);
        if (answered === undefined) return undefined;
      }
    } else {
      if (value !== null && typeof value === 'object') return undefined;
      answered = value;
    }
    if (!merge(result, { [selection.alias?.value ?? name]: answered })) return undefined;
  }
  return result;
}

/** Adds `part` to `into`, merging the objects a response key is selected into twice. */
function merge(into: Data, part: Data): boolean {
  for (const [key, value] of Object.entries(part)) {
    const existing = into[key];
    if (existing === undefined) into[key] = value;
    else if (isData(existing) && isData(value)) {
      if (!merge(existing, value)) return false;
    } else if (existing !== value) return false;
  }
  return true;
}

const isData = (value: unknown): value is Data => value !== null && typeof value === 'object' && !Array.isArray(value);
