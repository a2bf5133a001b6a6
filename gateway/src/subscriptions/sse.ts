// The same operations over Server-Sent Events, for clients without WebSocket
// (graphql-sse, "distinct connections" mode: one POST with `accept: text/event-stream`
// per operation). Authenticated like HTTP (`Authorization: Bearer`), bound to the key's
// workspace, prepared exactly as over graphql-ws. graphql-sse buffers what it reads from
// a subscription without bound, so it reads only while the response is not backed up:
// a client that reads too slowly fills the hub's buffer and its stream is cut.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { once } from 'node:events';
import { createHandler } from 'graphql-sse/lib/use/http';
import type { GraphQLSchema } from 'graphql';
import { ERRORS, errorBody, type CallerContext } from '@cei/contracts';
import type { Logger } from '@cei/config';
import type { Authenticator } from '../auth/api-keys';
import type { OperationLimits } from '../operation-limits';
import type { SubscriptionHub, SubscriptionResult } from './hub';
import { prepareOperation, validationRulesFor, type OperationRequest } from './prepare';

/** Bytes written to a response and not yet taken by the client before the gateway stops reading results. */
const BACKED_UP_BYTES = 64 * 1024;

export interface SseOptions {
  limits: OperationLimits;
  authenticator: Authenticator;
  apiSchema(): GraphQLSchema | undefined;
  hub: SubscriptionHub;
  executeOperation(caller: CallerContext, request: OperationRequest): Promise<SubscriptionResult>;
  log: Logger;
}

export function isEventStreamRequest(req: IncomingMessage): boolean {
  return req.headers.accept === 'text/event-stream';
}

/** Reads the next result only once the response has room: backpressure graphql-sse lacks. */
function paced(
  stream: AsyncGenerator<SubscriptionResult, undefined, unknown>,
  res: ServerResponse,
): AsyncGenerator<SubscriptionResult, undefined, unknown> {
  return {
    async next() {
      while (res.writableLength > BACKED_UP_BYTES && !res.destroyed) {
        await Promise.race([once(res, 'drain'), once(res, 'close')]);
      }
      return stream.next();
    },
    return: () => stream.return(undefined),
    throw: (err: unknown) => stream.throw(err),
    [Symbol.asyncIterator]() {
      return this;
    },
    [Symbol.asyncDispose]: async () => void (await stream.return(undefined)),
  };
}

export function createSseHandler(options: SseOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const log = options.log.child({ component: 'graphql-sse' });
  const rules = validationRulesFor(options.limits);
  const callers = new WeakMap<IncomingMessage, CallerContext>();
  const handler = createHandler({
    // Distinct connections only: no stream tokens; the API key authenticates every request.
    authenticate: async (req) => {
      const header = req.headers.get('authorization') ?? undefined;
      const authentication = await options.authenticator.authenticate(header);
      if (!authentication.ok) {
        return [
          errorBody('UNAUTHENTICATED', authentication.message),
          {
            status: 401,
            statusText: 'Unauthorized',
            headers: { 'content-type': 'application/json; charset=utf-8', 'www-authenticate': 'Bearer' },
          },
        ];
      }
      callers.set(req.raw, authentication.caller);
      return undefined;
    },
    onSubscribe: async (req, params) => {
      const caller = callers.get(req.raw)!;
      const schema = options.apiSchema();
      if (!schema) return { errors: [ERRORS.SERVICE_UNAVAILABLE.err('the gateway is not ready; retry shortly')] };
      const res = req.context.res;
      const prepared = await prepareOperation(
        { ...options, rules, log },
        schema,
        caller,
        { query: params.query as string, variables: params.variables, operationName: params.operationName },
        () => {
          log.warn({ workspaceId: caller.workspaceId, traceId: caller.traceId }, 'slow SSE subscriber: stream cut');
          res.destroy();
        },
      );
      if (Array.isArray(prepared)) return { errors: prepared };
      if (prepared.kind === 'operation') {
        return (await options.executeOperation(caller, prepared.request)) as never;
      }
      res.once('close', () => void prepared.stream.return(undefined));
      return paced(prepared.stream, res) as never;
    },
  });
  return handler;
}
