// GraphQL over WebSocket (graphql-ws) on the gateway's /graphql: the connection is
// authenticated once in connection_init and bound to the key's workspace; every
// operation is validated against the API schema with the HTTP path's limits; subscriptions
// are planned and handed to the hub, queries and mutations run through the Apollo
// server exactly as over HTTP (same role rule, same error format).
import type { Server } from 'node:http';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { ExecutionResult } from 'graphql-ws';
import type { FormattedExecutionResult, GraphQLSchema } from 'graphql';
import { ERRORS, type CallerContext } from '@cei/contracts';
import type { Logger } from '@cei/config';
import type { Authenticator } from '../auth/api-keys';
import { formatError, withTraceId } from '../error-format';
import type { OperationLimits } from '../operation-limits';
import type { SubscriptionHub } from './hub';
import { prepareOperation, validationRulesFor, type OperationRequest, type PreparedOperation } from './prepare';
import { SocketWriter } from './socket-writer';

export type { OperationRequest } from './prepare';

/**
 * graphql-ws: the socket is closed with this when the key is missing, malformed or unknown,
 * and when an open socket's key stops working (revoked, expired, rotated past its overlap,
 * workspace suspended): on every gateway within seconds, with the reason in the close frame.
 */
export const CLOSE_FORBIDDEN = 4403;
/**
 * graphql-ws: the socket is closed with this when what the gateway holds for it, unsent,
 * reached its buffer (SUBSCRIPTION_BUFFER_BYTES beyond what the operating system's socket
 * buffers took): the client reads too slowly. Reconnect and resume with `after` (the last
 * extensions.eventId received) to lose nothing.
 */
export const CLOSE_SLOW_SUBSCRIBER = 4008;

export interface SubscriptionServerOptions {
  httpServer: Server;
  path: string;
  maxPayloadBytes: number;
  limits: OperationLimits;
  authenticator: Authenticator;
  /** The gateway's API schema, once loaded. */
  apiSchema(): GraphQLSchema | undefined;
  hub: SubscriptionHub;
  /** Bytes a socket may have queued in the gateway, unsent, before it is closed as slow (4008). */
  maxBufferedBytes: number;
  /** graphql-ws pings every so often and ends a socket that answers no ping within as long (0: never). */
  keepAliveMs?: number;
  /** Runs a query or mutation through the Apollo server as the caller (formatted result). */
  executeOperation(caller: CallerContext, request: OperationRequest): Promise<FormattedExecutionResult>;
  log: Logger;
}

type ConnectionExtra = {
  caller: CallerContext;
  /** Writes the connection's subscription results (batched per turn of the event loop, bounded in bytes). */
  writer?: SocketWriter;
  /** Stops watching the connection's key (auth/api-keys.ts `watch`). */
  unwatch?: () => void;
};

export function startSubscriptionServer(options: SubscriptionServerOptions): { close(): Promise<void> } {
  const log = options.log.child({ component: 'graphql-ws' });
  const wss = new WebSocketServer({
    server: options.httpServer,
    path: options.path,
    maxPayload: options.maxPayloadBytes,
    // ws then writes every frame synchronously, in call order: socket-writer.ts frames results itself.
    perMessageDeflate: false,
  });
  const rules = validationRulesFor(options.limits);

  const server = useServer<Record<string, unknown> | undefined, ConnectionExtra>(
    {
      // Never put an unexpected error's text into a close reason.
      isProd: true,
      async onConnect(ctx) {
        const params = ctx.connectionParams ?? {};
        const bearer =
          stringParam(params.authorization) ??
          stringParam(params.Authorization) ??
          stringParam(params.apiKey) ??
          ctx.extra.request.headers.authorization;
        const authentication = await options.authenticator.authenticate(bearer).catch((err: unknown) => {
          log.error({ err }, 'authentication failed: API key store unavailable');
          return undefined;
        });
        if (!authentication) {
          ctx.extra.socket.close(1011, 'authentication is unavailable; retry shortly');
          return false;
        }
        if (!authentication.ok) {
          log.info({ failure: authentication.failure }, 'websocket refused');
          // graphql-ws would close with a bare "Forbidden"; say what to fix instead.
          ctx.extra.socket.close(CLOSE_FORBIDDEN, wsMessage(authentication.failure, authentication.message));
          return false;
        }
        ctx.extra.caller = authentication.caller;
        const socket = ctx.extra.socket;
        ctx.extra.unwatch = options.authenticator.watch(bearer!, (reason, message) => {
          log.info(
            { workspaceId: authentication.caller.workspaceId, traceId: authentication.caller.traceId, reason },
            'websocket closed: its API key stopped working',
          );
          socket.close(CLOSE_FORBIDDEN, message.slice(0, 120));
        });
        log.info(
          {
            workspaceId: authentication.caller.workspaceId,
            role: authentication.caller.role,
            traceId: authentication.caller.traceId,
          },
          'websocket connected',
        );
        return { workspaceId: authentication.caller.workspaceId, role: authentication.caller.role };
      },
      async onSubscribe(ctx, id, payload) {
        const caller = ctx.extra.caller;
        const schema = options.apiSchema();
        if (!caller || !schema) return [ERRORS.SERVICE_UNAVAILABLE.err('the gateway is not ready; retry shortly')];
        const socket = ctx.extra.socket;
        const writer = (ctx.extra.writer ??= new SocketWriter(socket, ctx.extra.request.socket, {
          maxBufferedBytes: options.maxBufferedBytes,
          onSlow: (bufferedBytes) => {
            log.warn(
              { workspaceId: caller.workspaceId, traceId: caller.traceId, bufferedBytes },
              'slow subscriber closed: its unsent results reached the buffer',
            );
            socket.close(CLOSE_SLOW_SUBSCRIBER, 'slow subscriber: too many unread results; resume with after');
          },
        }));
        const sink = writer.sinkFor(id);
        const prepared = await prepareOperation(
          { ...options, rules, log },
          schema,
          caller,
          payload,
          () => socket.close(CLOSE_SLOW_SUBSCRIBER, 'slow subscriber: too many unread results; resume with after'),
          // Results go straight to the socket, serialized once per event and selection for all
          // its subscribers; graphql-ws only learns when the stream ends.
          sink,
        );
        if (Array.isArray(prepared)) return prepared;
        if (prepared.kind === 'subscription') writer.track(sink, prepared.stream);
        return {
          schema,
          document: prepared.document,
          operationName: payload.operationName,
          variableValues: payload.variables ?? {},
          contextValue: prepared,
        };
      },
      // Results are already formatted (Apollo's formatError, or the hub's own shaping),
      // so they are sent as they are; graphql-ws only needs to pass them through.
      async subscribe(args) {
        const prepared = args.contextValue as PreparedOperation;
        if (prepared.kind !== 'subscription') throw new Error('not a subscription');
        return prepared.stream as AsyncGenerator<ExecutionResult>;
      },
      async execute(args) {
        const prepared = args.contextValue as PreparedOperation;
        if (prepared.kind !== 'operation') throw new Error('not a query or mutation');
        return (await options.executeOperation(prepared.caller, prepared.request)) as unknown as ExecutionResult;
      },
      onNext: (_ctx, _id, _payload, _args, result) => result as unknown as FormattedExecutionResult,
      onError(ctx, _id, _payload, errors) {
        const caller = ctx.extra.caller;
        const formatted = errors.map((error) => {
          const shown = formatError(error.toJSON(), error);
          if (shown.extensions?.code === 'INTERNAL_SERVER_ERROR') {
            log.error(
              { err: error.originalError ?? error, workspaceId: caller?.workspaceId, traceId: caller?.traceId },
              'operation failed',
            );
          }
          return shown;
        });
        return withTraceId(formatted, caller?.traceId);
      },
      onClose(ctx) {
        ctx.extra.unwatch?.();
        ctx.extra.writer?.close();
      },
      onDisconnect(ctx, code) {
        ctx.extra.unwatch?.();
        ctx.extra.writer?.close();
        const caller = ctx.extra.caller;
        if (caller)
          log.info({ workspaceId: caller.workspaceId, traceId: caller.traceId, code }, 'websocket disconnected');
      },
    },
    wss,
    options.keepAliveMs,
  );

  let closing: Promise<void> | undefined;
  return { close: () => (closing ??= server.dispose() as Promise<void>) };
}

function stringParam(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** A close reason must fit in 123 bytes. */
function wsMessage(failure: string, message: string): string {
  if (failure === 'missing') return 'missing API key: send {"authorization": "Bearer <key>"} in connection_init';
  return message.slice(0, 120);
}
