// The gateway's requests to its subgraphs, on node:http with a keep-alive agent. Node's own
// fetch (undici behind the WHATWG API) builds a Request, a Response, web streams and a Headers
// object per call: in a CPU profile of one interaction at a time (`pnpm bench:latency --cpu-prof`)
// fetch and its streams were ~24% of the gateway's CPU, for its three subgraph requests per
// interaction (the accept, then the push's two). The gateway's data source reads only the
// status, the content type and the body of a response, which is what this gives it.
import http from 'node:http';

/** What RemoteGraphQLDataSource sends (method, headers, body) and reads back. */
export interface SubgraphRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export interface SubgraphResponse {
  readonly url: string;
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null; has(name: string): boolean };
  text(): Promise<string>;
  json(): Promise<unknown>;
}

/** Keep-alive connections per subgraph: enough for the requests one gateway has in flight. */
const MAX_SOCKETS_PER_SUBGRAPH = 64;

/**
 * How long an idle keep-alive socket to a subgraph is kept: well under the subgraph server's own
 * limit (IDLE_CONNECTION_MS in @cei/subgraph), so that the gateway closes it, never the server while
 * a request is on its way.
 */
const IDLE_SOCKET_MS = 30_000;

/**
 * A fetcher for RemoteGraphQLDataSource. Idle keep-alive sockets do not hold the process open
 * (the agent unrefs them), so nothing needs closing. `maxSockets`: connections per host (a load
 * generator keeps as many as it has requests in flight).
 */
export function createSubgraphFetcher({ maxSockets = MAX_SOCKETS_PER_SUBGRAPH } = {}): (
  url: string,
  init?: SubgraphRequestInit,
) => Promise<SubgraphResponse> {
  const agent = new http.Agent({ keepAlive: true, maxSockets, timeout: IDLE_SOCKET_MS });
  return (url, init = {}) =>
    new Promise<SubgraphResponse>((resolve, reject) => {
      const body = init.body ?? '';
      const request = http.request(
        url,
        {
          method: init.method ?? 'POST',
          agent,
          headers: { ...init.headers, 'content-length': Buffer.byteLength(body) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = response.statusCode ?? 0;
            const header = (name: string) => {
              const value = response.headers[name.toLowerCase()];
              return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
            };
            resolve({
              url,
              status,
              statusText: response.statusMessage ?? '',
              ok: status >= 200 && status < 300,
              headers: { get: header, has: (name) => header(name) !== null },
              text: () => Promise.resolve(text),
              json: () => Promise.resolve().then(() => JSON.parse(text) as unknown),
            });
          });
        },
      );
      request.on('error', reject);
      request.end(body);
    });
}
