// The gateway's HTTP surface: /graphql (GraphQL over HTTP), /collect (plain JSON
// interactions) and /health. Every API request is authenticated before its body is
// read; failures before GraphQL runs still answer in GraphQL's error shape.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import { ERRORS, errorBody, INTERNAL_MESSAGE, type CallerContext, type ErrorCode } from '@cei/contracts';
import type { Logger } from '@cei/config';
import type { Authenticator } from './auth/api-keys';
import type { GatewayContext, OperatorContext } from './auth/operation-access';
import type { CollectReply } from './collect';
import { tokenLimitRefusal } from './operation-limits';
import { BodyError, readJsonBody } from '@cei/subgraph';

export const GRAPHQL_PATH = '/graphql';

export interface HttpHandlerOptions {
  apollo: ApolloServer<GatewayContext>;
  authenticator: Authenticator;
  maxBodyBytes: number;
  /** Checked before Apollo parses the document (see operation-limits.ts). */
  maxTokens: number;
  isReady(): boolean;
  /** The operator's context when the bearer is the operator credential (auth/operator.ts); GraphQL only. */
  operator?(bearer: string | undefined): OperatorContext | undefined;
  /** POST /collect for an authenticated caller (collect.ts). */
  collect(req: IncomingMessage, caller: CallerContext): Promise<CollectReply>;
  log: Logger;
}

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

// Keys travel in a header browsers never add on their own, so any origin may call.
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'x-cei-trace-id',
};
const PREFLIGHT = {
  ...CORS,
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type, apollo-require-preflight, x-apollo-operation-name',
  'access-control-max-age': '600',
};
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

export function createRequestHandler(options: HttpHandlerOptions): RequestListener {
  const { apollo, authenticator, maxBodyBytes, log } = options;

  async function route(
    req: IncomingMessage,
    url: URL,
    res: ServerResponse,
  ): Promise<Reply & { caller?: CallerContext }> {
    if (req.method === 'OPTIONS') return { status: 204, headers: PREFLIGHT, body: '' };
    if (url.pathname === '/health') {
      const ready = options.isReady();
      return { status: ready ? 200 : 503, body: JSON.stringify({ ready }) };
    }
    const isGraphQL = url.pathname === GRAPHQL_PATH;
    const isCollect = url.pathname === '/collect';
    if (!isGraphQL && !isCollect) {
      return fail(
        'NOT_FOUND',
        `no such path ${url.pathname}: GraphQL is at ${GRAPHQL_PATH}, plain JSON interactions at /collect`,
      );
    }
    if (isCollect && req.method !== 'POST') {
      return {
        ...fail('METHOD_NOT_ALLOWED', 'send interactions with POST /collect'),
        headers: { allow: 'POST, OPTIONS' },
      };
    }
    const operator = isGraphQL ? options.operator?.(header(req, 'authorization')) : undefined;
    if (operator) {
      res.setHeader('x-cei-trace-id', operator.traceId);
      const read = await readBody(req);
      if ('reply' in read) return read.reply;
      return graphql(req, url, read.body, { operator });
    }
    const authentication = await authenticator.authenticate(header(req, 'authorization'));
    if (!authentication.ok) {
      return { ...fail('UNAUTHENTICATED', authentication.message), headers: { 'www-authenticate': 'Bearer' } };
    }
    const caller = authentication.caller;
    res.setHeader('x-cei-trace-id', caller.traceId);
    // /collect reads its own body: JSON lines and gzip, parsed by ingestion, not here.
    if (isCollect) return { ...(await options.collect(req, caller)), caller };
    const read = await readBody(req);
    if ('reply' in read) return { ...read.reply, caller };
    const context: GatewayContext = authentication.keyId ? { caller, keyId: authentication.keyId } : { caller };
    return { ...(await graphql(req, url, read.body, context)), caller };
  }

  async function readBody(req: IncomingMessage): Promise<{ body: unknown } | { reply: Reply }> {
    try {
      return { body: req.method === 'POST' ? await readJsonBody(req, maxBodyBytes) : undefined };
    } catch (err) {
      if (!(err instanceof BodyError)) throw err;
      // The rest of an oversized body is not read: close the connection after answering.
      const close = err.code === 'PAYLOAD_TOO_LARGE' ? { connection: 'close' } : undefined;
      return { reply: { ...fail(err.code, err.message), headers: close } };
    }
  }

  async function graphql(req: IncomingMessage, url: URL, body: unknown, context: GatewayContext): Promise<Reply> {
    const query =
      req.method === 'GET' ? url.searchParams.get('query') : (body as { query?: unknown } | undefined)?.query;
    const tooLong = tokenLimitRefusal(query, options.maxTokens);
    if (tooLong) return fail('TOO_MANY_TOKENS', tooLong.message, tooLong.extensions);
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers.set(key, value);
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'POST', headers, search: url.search, body },
      context: async () => context,
    });
    const out: Record<string, string> = {};
    for (const [key, value] of response.headers) out[key] = value;
    if (response.body.kind === 'complete')
      return { status: response.status ?? 200, headers: out, body: response.body.string };
    let text = '';
    for await (const chunk of response.body.asyncIterator) text += chunk;
    return { status: response.status ?? 200, headers: out, body: text };
  }

  return (req, res) => {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://gateway');
    route(req, url, res)
      .catch((err: unknown) => {
        // The caller's trace id when authentication got that far; a fresh one otherwise.
        const traceId = String(res.getHeader('x-cei-trace-id') ?? randomUUID());
        log.error({ err, path: url.pathname, traceId }, 'request failed');
        return {
          ...fail('INTERNAL_SERVER_ERROR', INTERNAL_MESSAGE, { traceId }),
          headers: { 'x-cei-trace-id': traceId },
        };
      })
      .then((reply: Reply & { caller?: CallerContext }) => {
        res.writeHead(reply.status, { ...JSON_TYPE, ...CORS, ...reply.headers });
        res.end(reply.body);
        if (url.pathname !== '/health' && req.method !== 'OPTIONS') {
          const { caller } = reply;
          log.info(
            {
              method: req.method,
              path: url.pathname,
              status: reply.status,
              ms: Date.now() - started,
              workspaceId: caller?.workspaceId,
              traceId: caller?.traceId,
            },
            'http request',
          );
        }
      });
  };
}

/** A request refused as a whole, before GraphQL runs: the code's status, GraphQL's error shape. */
function fail(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): Reply {
  const { code: _code, ...rest } = extensions;
  return { status: ERRORS[code].httpStatus, body: errorBody(code, message, rest) };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
