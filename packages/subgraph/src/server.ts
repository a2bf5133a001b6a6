// A subgraph's HTTP server. Requests without a valid gateway signature are refused
// before GraphQL runs; errors reach clients with a code and without stack traces.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { GraphQLError, parse } from 'graphql';
import {
  errorBody,
  httpStatusOf,
  INTERNAL_CONTEXT_HEADER,
  verifyCallerContext,
  type CallerContext,
} from '@cei/contracts';
import type { Logger } from '@cei/config';
import { BodyError, readJsonBody } from './http-body';

export interface RequestContext extends BaseContext {
  caller: CallerContext;
  log: Logger;
}

export interface SubgraphServerOptions<C extends RequestContext> {
  name: string;
  typeDefs: string;
  resolvers: GraphQLResolverMap<C>;
  port: number;
  /** Defaults to loopback; containers listen on 0.0.0.0. */
  host?: string;
  secret: string;
  log: Logger;
  /** Builds the per-request context (DataLoaders live here: one set per request). */
  context(base: RequestContext): C;
  /** Reported by GET /health; the server is ready when this is. */
  readiness?: () => boolean;
}

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
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    formatError: (formatted, error) => {
      const original = error instanceof GraphQLError ? error.originalError : error;
      if (formatted.extensions?.code === 'INTERNAL_SERVER_ERROR') {
        opts.log.error({ err: original ?? error }, 'resolver failed');
        return { message: 'internal error; it has been logged', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
      }
      return formatted;
    },
  });
  await apollo.start();

  const server = createServer((req, res) => {
    handle(req).then(
      ({ status, headers, body }) => {
        res.writeHead(status, headers);
        res.end(body);
      },
      (err) => {
        opts.log.error({ err }, 'request failed');
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(errorBody('INTERNAL_SERVER_ERROR', 'internal error'));
      },
    );
  });

  async function handle(
    req: IncomingMessage,
  ): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    const json = { 'content-type': 'application/json' };
    const url = new URL(req.url ?? '/', 'http://subgraph');
    if (url.pathname === '/health') {
      const ready = opts.readiness?.() ?? true;
      return { status: ready ? 200 : 503, headers: json, body: JSON.stringify({ ready }) };
    }
    const verified = verifyCallerContext(opts.secret, header(req, INTERNAL_CONTEXT_HEADER));
    if (!verified.ok) {
      return { status: 401, headers: json, body: errorBody('UNAUTHENTICATED', verified.reason) };
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
      return { status: httpStatusOf[err.code], headers: json, body: errorBody(err.code, err.message) };
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

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
