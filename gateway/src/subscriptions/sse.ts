// The same operations over Server-Sent Events, for clients without WebSocket
// (graphql-sse, "distinct connections" mode: one POST with `accept: text/event-stream`
// per operation). Authenticated like HTTP (`Authorization: Bearer`), bound to the key's
// workspace, prepared exactly as over graphql-ws. graphql-sse buffers what it reads from
// a subscription without bound, so it reads only while the response is not backed up:
// a client that reads too slowly fills the hub's buffer and its stream is cut. A stream
// whose key stops working (revoked, expired, rotated out, workspace suspended) ends within
// seconds with one UNAUTHENTICATED result (auth/api-keys.ts `watch`), as graphql-ws
// sockets are closed with 4403.
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

/**
 * Reads the next result only once the response has room: backpressure graphql-sse lacks.
 * Once `lost()` names why the stream's key stopped working (the stream was ended for it),
 * that is the last result.
 */
function paced(
  stream: AsyncGenerator<SubscriptionResult, undefined, unknown>,
  res: ServerResponse,
  lost: () => SubscriptionResult | undefined,
): AsyncGenerator<SubscriptionResult, undefined, unknown> {
  let told = false;
  return {
    async next() {
      while (res.writableLength > BACKED_UP_BYTES && !res.destroyed) {
        await Promise.race([once(res, 'drain'), once(res, 'close')]);
      }
      const result = await stream.next();
      const reason = lost();
      if (!reason) return result;
      if (told) return { value: undefined, done: true };
      told = true;
      return { value: reason, done: false };
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
  const callers = new WeakMap<IncomingMessage, { caller: CallerContext; bearer: string }>();
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
      callers.set(req.raw, { caller: authentication.caller, bearer: header! });
      return undefined;
    },
    onSubscribe: async (req, params) => {
      const { caller, bearer } = callers.get(req.raw)!;
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
      let lost: SubscriptionResult | undefined;
      const unwatch = options.authenticator.watch(bearer, (reason, message) => {
        log.info(
          { workspaceId: caller.workspaceId, traceId: caller.traceId, reason },
          'SSE stream ended: its API key stopped working',
        );
        lost = { errors: [ERRORS.UNAUTHENTICATED.err(message).toJSON()] };
        void prepared.stream.return(undefined);
      });
      res.once('close', () => {
        unwatch();
        void prepared.stream.return(undefined);
      });
      return paced(prepared.stream, res, () => lost) as never;
    },
  });
  return handler;
}
