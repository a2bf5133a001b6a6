// A client of the real gateway: GraphQL over HTTP with an API key, and graphql-ws
// subscriptions collected into an array the test can wait on.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { GraphQLResponse } from '@cei/testing';
import { createSubgraphFetcher } from '@cei/gateway/src/subgraph-fetcher';

/** Posts a GraphQL request: fetch, or a lean client for load generators (`leanGql`). */
type Post = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string },
) => Promise<{
  status: number;
  json(): Promise<unknown>;
}>;

export type Gql = <T = Record<string, unknown>>(
  httpUrl: string,
  apiKey: string | null,
  query: string,
  variables?: Record<string, unknown>,
) => Promise<GraphQLResponse<T>>;

function caller(post: Post): Gql {
  return async <T>(httpUrl: string, apiKey: string | null, query: string, variables: Record<string, unknown> = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    const response = await post(httpUrl, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
    return { status: response.status, ...body };
  };
}

export const gql: Gql = caller((url, init) => fetch(url, init));

/**
 * `gql` on node:http with keep-alive connections (the gateway's own subgraph fetcher) instead of
 * fetch: for a benchmark's load generator, which shares the machine it measures. fetch cost its
 * caller ~0.6–1.2 ms more CPU per request (a local echo server, 2,000 requests, 20 at a time).
 */
export function leanGql(maxInFlight: number): Gql {
  return caller(createSubgraphFetcher({ maxSockets: maxInFlight }));
}

/**
 * What a failed call says, for a benchmark's record: fetch's own error is only `fetch failed`, and
 * what failed (a reset, a refused connection) is its cause.
 */
export function failureText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message;
}

export interface LiveSubscription<T> {
  /** `extensions.eventId`: what a resume passes as `after`. */
  results: { data?: T; errors?: unknown[]; extensions?: { eventId?: string } }[];
  /** Errors the server ended the subscription with (an `error` message). */
  failures: unknown[];
  /** Resolves when the server acknowledged the connection (or rejects with its close reason). */
  connected: Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
  dispose(): Promise<void>;
}

export function subscribe<T = Record<string, unknown>>(
  wsUrl: string,
  apiKey: string,
  query: string,
  variables: Record<string, unknown> = {},
  /** Called as each result arrives (for a latency measurement that must not wait for a poll). */
  onResult?: (result: { data?: T; errors?: unknown[] }) => void,
): LiveSubscription<T> {
  const results: LiveSubscription<T>['results'] = [];
  const failures: unknown[] = [];
  let onConnected!: () => void;
  let onClosed!: (event: { code: number; reason: string }) => void;
  const connected = new Promise<void>((resolve, reject) => {
    onConnected = resolve;
    onClosed = (event) => {
      reject(new Error(`closed ${event.code}: ${event.reason}`));
      resolveClosed(event);
    };
  });
  connected.catch(() => undefined);
  let resolveClosed!: (event: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (resolveClosed = resolve));
  const client: Client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${apiKey}` },
    retryAttempts: 0,
    lazy: false,
    // The close is reported through `closed` (and `connected` rejects); no console noise.
    onNonLazyError: () => undefined,
    on: {
      connected: () => onConnected(),
      closed: (event) => onClosed(event as { code: number; reason: string }),
    },
  });
  client.subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        results.push(result as { data?: T; errors?: unknown[] });
        onResult?.(result as { data?: T; errors?: unknown[] });
      },
      error: (error) => void failures.push(error),
      complete: () => undefined,
    },
  );
  return { results, failures, connected, closed, dispose: async () => void (await client.dispose()) };
}
