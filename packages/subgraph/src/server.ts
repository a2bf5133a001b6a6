// A subgraph's HTTP server. Requests without a valid gateway signature are refused
// before GraphQL runs; errors reach clients with a code and without stack traces.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { parse, type GraphQLFormattedError } from 'graphql';
import {
  ERRORS,
  errorBody,
  INTERNAL_CONTEXT_HEADER,
  INTERNAL_MESSAGE,
  isErrorCode,
  verifyCallerContext,
  type CallerContext,
} from '@cei/contracts';
import type { Logger } from '@cei/config';
import { BodyError, readJsonBody } from './http-body';

export interface RequestContext extends BaseContext {
  caller: CallerContext;
  log: Logger;
}

/**
 * A subgraph's resolver map, typed where it is written by the `Resolvers` generated from
 * its schema (codegen.ts), which checks parents, arguments, results and
 * __resolveReference. Apollo's GraphQLResolverMap cannot express those, so the map
 * crosses into buildSubgraphSchema here, in one place.
 */
export type SubgraphResolvers = Readonly<Record<string, object | undefined>>;

export interface SubgraphServerOptions<C extends RequestContext> {
  name: string;
  typeDefs: string;
  resolvers: SubgraphResolvers;
  port: number;
  /** Defaults to loopback; containers listen on 0.0.0.0. */
  host?: string;
  secret: string;
  log: Logger;
  /** Builds the per-request context (DataLoaders live here: one set per request). */
  context(base: RequestContext): C;
  /** Reported by GET /health; the server is ready when this is. */
  readiness?: () => boolean;
  /**
   * GET /health?partitions adds, per partitioned consumer, the partitions the NATS
   * server pins to this instance right now (so a test or an operator can find the owner).
   */
  ownedPartitions?: () => Promise<Record<string, number[]>>;
  /**
   * Plain-HTTP endpoints beside /graphql, by path (e.g. ingestion's `/collect`, which the
   * gateway calls for its own `/collect`), behind the same signed context as GraphQL.
   */
  routes?: Record<string, SubgraphRoute>;
}

/** Answers one signed request; `body` is sent as is, as JSON. */
export type SubgraphRoute = (
  req: IncomingMessage,
  caller: CallerContext,
  log: Logger,
) => Promise<{ status: number; body: string }>;

export interface SubgraphServer {
  url: string;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 2 * 1024 * 1024;

export async function startSubgraphServer<C extends RequestContext>(
  opts: SubgraphServerOptions<C>,
): Promise<SubgraphServer> {
  const apollo = new ApolloServer<C>({
    schema: buildSubgraphSchema([
      { typeDefs: parse(opts.typeDefs), resolvers: opts.resolvers as GraphQLResolverMap<unknown> },
    ]),
    includeStacktraceInErrorResponses: false,
    // The service's own stop() drains consumers first; Apollo must not race it on SIGTERM.
    stopOnTerminationSignals: false,
    csrfPrevention: false,
    // Traces are for Apollo's hosted studio, which this platform does not use.
    plugins: [ApolloServerPluginInlineTraceDisabled(), unexpectedErrorLogging<C>()],
    formatError: maskUnexpected,
  });
  await apollo.start();

  const server = keepIdleConnections(
    createServer((req, res) => {
      handle(req).then(
        ({ status, headers, body }) => {
          res.writeHead(status, headers);
          res.end(body);
        },
        (err) => {
          opts.log.error({ err }, 'request failed');
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(errorBody('INTERNAL_SERVER_ERROR', INTERNAL_MESSAGE));
        },
      );
    }),
  );

  async function handle(
    req: IncomingMessage,
  ): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    const json = { 'content-type': 'application/json' };
    const url = new URL(req.url ?? '/', 'http://subgraph');
    if (url.pathname === '/health') {
      const ready = opts.readiness?.() ?? true;
      const partitions = url.searchParams.has('partitions') ? await opts.ownedPartitions?.() : undefined;
      return { status: ready ? 200 : 503, headers: json, body: JSON.stringify({ ready, partitions }) };
    }
    const verified = verifyCallerContext(opts.secret, header(req, INTERNAL_CONTEXT_HEADER));
    if (!verified.ok) {
      return {
        status: ERRORS.UNAUTHENTICATED.httpStatus,
        headers: json,
        body: errorBody('UNAUTHENTICATED', verified.reason),
      };
    }
    const route = opts.routes?.[url.pathname];
    if (route) {
      const caller = verified.caller;
      const log = opts.log.child({ workspaceId: caller.workspaceId, traceId: caller.traceId });
      return { ...(await route(req, caller, log)), headers: json };
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers.set(key, value);
    }
    let body: unknown;
    try {
      body = req.method === 'POST' ? await readJsonBody(req, MAX_BODY_BYTES) : undefined;
    } catch (err) {
      if (!(err instanceof BodyError)) throw err;
      return { status: ERRORS[err.code].httpStatus, headers: json, body: errorBody(err.code, err.message) };
    }
    const caller = verified.caller;
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'POST', headers, search: url.search, body },
      context: async () =>
        opts.context({ caller, log: opts.log.child({ workspaceId: caller.workspaceId, traceId: caller.traceId }) }),
    });
    const out: Record<string, string> = {};
    for (const [key, value] of response.headers) out[key] = value;
    if (response.body.kind !== 'complete') throw new Error('incremental delivery is not supported by subgraphs');
    return { status: response.status ?? 200, headers: out, body: response.body.string };
  }

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(opts.port, host, resolve));
  const { port } = server.address() as AddressInfo;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}/graphql`,
    stop: () =>
      (stopping ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await apollo.stop();
      })()),
  };
}

/** Whether an error is one a resolver raised on purpose, with a code of the registry. */
function isExpected(code: unknown): boolean {
  return isErrorCode(code) && code !== 'INTERNAL_SERVER_ERROR';
}

/** Errors with a registry code pass; anything else reaches the gateway as a generic INTERNAL_SERVER_ERROR. */
function maskUnexpected(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (isExpected(formatted.extensions?.code)) return formatted;
  return {
    message: INTERNAL_MESSAGE,
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

/** Logs what maskUnexpected hides, with the request's workspace and trace id. */
function unexpectedErrorLogging<C extends RequestContext>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            if (isExpected(error.extensions?.code)) continue;
            contextValue.log.error({ err: error.originalError ?? error, path: error.path }, 'request failed');
          }
        },
      };
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * How long a server of ours keeps an idle keep-alive connection: longer than its clients keep one
 * (undici's fetch 4 s unless told more, the gateway's agent 30 s, load balancers commonly 60 s), so
 * that the client is the side that closes it. With Node's default (5 s) a busy server closes a
 * connection just as a client reuses it: when its event loop lags, the idle timer and the new
 * request's bytes come due in the same turn, timers run first, and the client gets 'other side
 * closed' for a request the server never read (5 failed calls in one whole `pnpm bench`'s
 * subscribers phase, while the gateway pushed ~50,000 results a second).
 */
export const IDLE_CONNECTION_MS = 65_000;

export function keepIdleConnections<S extends Server>(server: S): S {
  server.keepAliveTimeout = IDLE_CONNECTION_MS;
  return server;
}
