// Which operations a key's role may run, checked once the operation is known and
// before anything executes — for HTTP, /collect and WebSocket queries alike (they
// all run through the Apollo server). Field-level rules stay in the subgraphs. The
// HTTP status of a refusal is its code's (see responseStatusPlugin).
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type GraphQLError, type OperationDefinitionNode } from 'graphql';
import { ERRORS, type CallerContext } from '@cei/contracts';
import type { EventEntity } from '../subscriptions/event-entity';

/** The operator credential (CEI_OPERATOR_KEY): runs workspaces, belongs to none. */
export interface OperatorContext {
  actor: 'operator';
  traceId: string;
}

/** A workspace's API key (`caller`, signed into subgraph requests) or the operator (never signed). */
export type GatewayContext =
  | {
      caller: CallerContext;
      keyId?: string;
      operator?: undefined;
      /** An event query's: what the event says of its root entity (subscriptions/event-entity.ts). */
      eventEntity?: EventEntity;
    }
  | { operator: OperatorContext; caller?: undefined; eventEntity?: undefined };

/** The only root fields the operator credential may run (access/schema.graphql). */
export const OPERATOR_FIELDS = new Set([
  'workspaces',
  'createWorkspace',
  'suspendWorkspace',
  'resumeWorkspace',
  '__typename',
]);

export function operatorRefusal(operation: OperationDefinitionNode): GraphQLError | undefined {
  const fields = operation.selectionSet.selections.map((selection) =>
    selection.kind === Kind.FIELD ? selection.name.value : undefined,
  );
  if (operation.operation === 'subscription' || fields.some((field) => !field || !OPERATOR_FIELDS.has(field))) {
    return ERRORS.FORBIDDEN.err(
      'the operator credential only runs workspaces, createWorkspace, suspendWorkspace and resumeWorkspace: use a workspace API key for anything else',
    );
  }
  return undefined;
}

export function operationRefusal(caller: CallerContext, operation: string): GraphQLError | undefined {
  if (operation === 'mutation' && caller.role === 'read') {
    return ERRORS.FORBIDDEN.err('this API key has the read role and cannot run mutations: use a write or admin key', {
      extensions: { requiredRole: 'write' },
    });
  }
  if (operation === 'subscription') {
    return ERRORS.BAD_USER_INPUT.err(
      'subscriptions are served over WebSocket (graphql-ws) on this same /graphql endpoint',
    );
  }
  return undefined;
}

export const operationAccessPlugin: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, contextValue }) {
        if (!operation) return;
        const refusal = contextValue.operator
          ? operatorRefusal(operation)
          : operationRefusal(contextValue.caller, operation.operation);
        if (refusal) throw refusal;
      },
    };
  },
};
