// Plans a subscription (pure, no I/O): which event source feeds it, the subscriber's
// filter, and the query that turns one event into the subscriber's payload —
// `query CEI_SubscriptionEvent($__eventId: ID!, …) { phaseTransition(id: $__eventId) { <selection> } }`.
// The stock gateway plans that query across every subgraph, so a subscription can
// select fields of any subgraph. A plan is plain data, like a federation QueryPlan.
import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getOperationAST,
  getVariableValues,
  print,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { ERRORS, MAX_CHANGES_PER_MESSAGE } from '@cei/contracts';
import { EVENT_SOURCES, FilterError, type EventSource } from './sources';

export const EVENT_ID_VARIABLE = '__eventId';
export const EVENT_QUERY_NAME = 'CEI_SubscriptionEvent';

export interface SubscriptionPlan {
  /** Key of the source in EVENT_SOURCES (the root field's name). */
  source: string;
  /** Where the payload goes in each result: the root field's alias or name. */
  responseKey: string;
  /** Where the event query's result holds the payload (no alias, so it counts against no limit). */
  payloadKey: string;
  /** The root field's arguments, coerced with the operation's variables (the filter). */
  arguments: Record<string, unknown>;
  /** Run once per matching event with `{ ...variables, __eventId }`. */
  query: string;
  /** The operation's variables the query still uses (those only the filter used are dropped). */
  variables: Record<string, unknown>;
  /** Resume after this event id (a stream position): the root field's `after` argument. */
  after: number | null;
}

export class PlanError extends Error {
  override name = 'PlanError';
  readonly code = ERRORS.BAD_USER_INPUT.code;
}

export interface PlanInput {
  schema: GraphQLSchema;
  /** Already validated against `schema`. */
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  sources?: Readonly<Record<string, EventSource>>;
}

export function planSubscription(input: PlanInput): SubscriptionPlan {
  const { schema, document, sources = EVENT_SOURCES } = input;
  const operation = getOperationAST(document, input.operationName ?? undefined);
  if (!operation) {
    throw new PlanError(
      input.operationName
        ? `the document has no operation named ${input.operationName}`
        : 'the document has several operations: name the one to run in operationName',
    );
  }
  if (operation.operation !== 'subscription')
    throw new PlanError(`${operation.operation} operations are not subscriptions`);

  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const rawVariables = input.variables ?? {};
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables);
  if (coerced.errors) throw new PlanError(coerced.errors.map((error) => error.message).join('; '));
  const variableValues = coerced.coerced;

  const [responseKey, fieldNodes] = singleRootField(operation, fragments, variableValues);
  const firstField = fieldNodes[0]!;
  const fieldName = firstField.name.value;
  const source = sources[fieldName];
  if (!source) throw new PlanError(`Subscription.${fieldName} has no event source in this gateway`);

  const subscriptionField = schema.getSubscriptionType()?.getFields()[fieldName];
  if (!subscriptionField) throw new PlanError(`Subscription.${fieldName} is not in the schema`);
  const payloadType = getNamedType(subscriptionField.type);
  const entityField = schema.getQueryType()?.getFields()[source.entityField];
  if (!entityField || getNamedType(entityField.type) !== payloadType) {
    // A gateway/subgraph mismatch, not the caller's fault; say exactly what is missing.
    throw new PlanError(
      `Subscription.${fieldName} cannot be resolved: the graph needs Query.${source.entityField}(${source.entityArgument}: ID!): ${payloadType.name}`,
    );
  }
  const fieldArguments = getArgumentValues(subscriptionField, firstField, variableValues);
  try {
    source.compileFilter(fieldArguments);
  } catch (err) {
    if (err instanceof FilterError) throw new PlanError(`${fieldName}(${err.message})`);
    throw err;
  }

  const after = resumePosition(fieldArguments.after, fieldName);

  const selectionSet: SelectionSetNode = {
    kind: Kind.SELECTION_SET,
    selections: fieldNodes.flatMap((node) => node.selectionSet?.selections ?? []),
  };
  const usedFragments = fragmentsUsedBy(selectionSet, fragments);
  const usedVariables = variablesUsedBy([selectionSet, ...usedFragments]);
  const ownDefinitions = operation.variableDefinitions ?? [];
  if (ownDefinitions.some((definition) => definition.variable.name.value === EVENT_ID_VARIABLE)) {
    throw new PlanError(`$${EVENT_ID_VARIABLE} is reserved by the gateway: rename that variable`);
  }
  // Variables only the filter used would fail validation as unused in the event query.
  const keptDefinitions = ownDefinitions.filter((definition) => usedVariables.has(definition.variable.name.value));

  const eventQuery: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: 'query' as OperationDefinitionNode['operation'],
        name: { kind: Kind.NAME, value: EVENT_QUERY_NAME },
        variableDefinitions: [
          {
            kind: Kind.VARIABLE_DEFINITION,
            variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: EVENT_ID_VARIABLE } },
            type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } } },
          },
          ...keptDefinitions,
        ],
        selectionSet: {
          kind: Kind.SELECTION_SET,
          selections: [
            {
              kind: Kind.FIELD,
              name: { kind: Kind.NAME, value: source.entityField },
              arguments: [
                {
                  kind: Kind.ARGUMENT,
                  name: { kind: Kind.NAME, value: source.entityArgument },
                  value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: EVENT_ID_VARIABLE } },
                },
              ],
              selectionSet,
            },
          ],
        },
      },
      ...usedFragments,
    ],
  };

  const kept = new Set(keptDefinitions.map((definition) => definition.variable.name.value));
  return {
    source: fieldName,
    responseKey,
    payloadKey: source.entityField,
    arguments: fieldArguments,
    query: print(eventQuery),
    variables: Object.fromEntries(Object.entries(rawVariables).filter(([name]) => kept.has(name))),
    after,
  };
}

/**
 * `after`: an event id as results carry it (`extensions.eventId`): a stream position, with a
 * fraction for the later events of a message that carries several (`memberPosition`).
 */
function resumePosition(value: unknown, fieldName: string): number | null {
  if (value === undefined || value === null) return null;
  const position = typeof value === 'string' && /^[1-9][0-9]{0,15}(\.[0-9]{1,10})?$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(Math.floor(position)) || !isMemberPosition(position)) {
    throw new PlanError(
      `${fieldName}(after: ${JSON.stringify(value)}) is not an event id: give the extensions.eventId of a result received`,
    );
  }
  return position;
}

/** Whether `position` is a message's position plus a whole number of 1/MAX_CHANGES_PER_MESSAGE. */
function isMemberPosition(position: number): boolean {
  const fraction = (position - Math.floor(position)) * MAX_CHANGES_PER_MESSAGE;
  return Number.isInteger(fraction);
}

/**
 * The one root field of a subscription, with every node that selects it (GraphQL
 * merges same-key selections). Root-level @skip/@include are evaluated here.
 */
function singleRootField(
  operation: OperationDefinitionNode,
  fragments: Map<string, FragmentDefinitionNode>,
  variableValues: Record<string, unknown>,
): [string, FieldNode[]] {
  const byKey = new Map<string, FieldNode[]>();
  const collect = (selections: readonly SelectionNode[], visited: Set<string>) => {
    for (const selection of selections) {
      if (!included(selection, variableValues)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        byKey.set(key, [...(byKey.get(key) ?? []), selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        collect(selection.selectionSet.selections, visited);
      } else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment.selectionSet.selections, visited);
      }
    }
  };
  collect(operation.selectionSet.selections, new Set());
  const keys = [...byKey.keys()];
  if (keys.length !== 1) {
    throw new PlanError(
      keys.length === 0
        ? 'the subscription selects no root field'
        : `a subscription selects exactly one root field, this one selects ${keys.length} (${keys.join(', ')}): open one subscription per field`,
    );
  }
  return [keys[0]!, byKey.get(keys[0]!)!];
}

function included(selection: SelectionNode, variableValues: Record<string, unknown>): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, selection, variableValues)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, selection, variableValues)?.if !== false;
}

/** Fragments reachable from a selection set, in document order of first use. */
function fragmentsUsedBy(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
): FragmentDefinitionNode[] {
  const used = new Map<string, FragmentDefinitionNode>();
  const walk = (node: SelectionSetNode | FragmentDefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const fragment = fragments.get(name);
        if (fragment && !used.has(name)) {
          used.set(name, fragment);
          walk(fragment);
        }
      },
    });
  walk(selectionSet);
  return [...used.values()];
}

function variablesUsedBy(nodes: (SelectionSetNode | FragmentDefinitionNode)[]): Set<string> {
  const names = new Set<string>();
  for (const node of nodes) {
    visit(node, {
      Variable(variable) {
        names.add(variable.name.value);
      },
    });
  }
  return names;
}
