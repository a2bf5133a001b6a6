// Which operations a key's role may run, checked once the operation is known and
// before anything executes — for HTTP, /collect and WebSocket queries alike (they
// all run through the Apollo server). Field-level rules stay in the subgraphs. The
// HTTP status of a refusal is its code's (see responseStatusPlugin).
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import { ERRORS, type CallerContext } from '@cei/contracts';

export interface GatewayContext {
  caller: CallerContext;
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
        const refusal = operation && operationRefusal(contextValue.caller, operation.operation);
        if (refusal) throw refusal;
      },
    };
  },
};
