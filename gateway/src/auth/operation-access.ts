// Which operations a key's role may run, checked once the operation is known and
// before anything executes — for HTTP, /collect and WebSocket queries alike (they
// all run through the Apollo server). Field-level rules stay in the subgraphs.
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ErrorCode, type CallerContext } from '@cei/contracts';

export interface GatewayContext {
  caller: CallerContext;
}

export function operationRefusal(caller: CallerContext, operation: string): GraphQLError | undefined {
  if (operation === 'mutation' && caller.role === 'read') {
    return new GraphQLError('this API key has the read role and cannot run mutations: use a write or admin key', {
      extensions: { code: ErrorCode.FORBIDDEN, http: { status: 403 } },
    });
  }
  if (operation === 'subscription') {
    return new GraphQLError('subscriptions are served over WebSocket (graphql-ws) on this same /graphql endpoint', {
      extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } },
    });
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
