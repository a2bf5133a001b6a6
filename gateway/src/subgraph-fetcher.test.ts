// The subgraph fetcher against a real HTTP server: what the gateway's data source reads of a
// response (status, content type, body), on kept-alive connections, and a refused connection.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSubgraphFetcher } from './subgraph-fetcher';

describe('subgraph fetcher', () => {
  let server: http.Server;
  let url: string;
  const seen: { method?: string; signed?: string; body: string; socket: number }[] = [];
  const sockets = new Map<unknown, number>();

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        if (!sockets.has(req.socket)) sockets.set(req.socket, sockets.size);
        seen.push({
          method: req.method,
          signed: req.headers['x-signed'] as string | undefined,
          body,
          socket: sockets.get(req.socket)!,
        });
        if (body.includes('refuse')) {
          res.writeHead(403, 'Forbidden', { 'content-type': 'text/plain' });
          res.end('not yours');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'max-age=5' });
        res.end(JSON.stringify({ data: { echo: JSON.parse(body) as unknown } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('posts the body with its headers and gives back status, headers and the parsed JSON, on one kept-alive connection', async () => {
    const fetch = createSubgraphFetcher();
    const query = JSON.stringify({ query: '{ ünïcode }' });
    const first = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signed': 'abc' },
      body: query,
    });
    expect(first).toMatchObject({ url, status: 200, ok: true });
    expect(first.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    expect(first.headers.get('cache-control')).toBe('max-age=5');
    expect(first.headers.has('x-missing')).toBe(false);
    expect(await first.json()).toEqual({ data: { echo: { query: '{ ünïcode }' } } });

    const second = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(await second.json()).toEqual({ data: { echo: {} } });
    expect(seen.slice(-2)).toEqual([
      { method: 'POST', signed: 'abc', body: query, socket: 0 },
      { method: 'POST', signed: undefined, body: '{}', socket: 0 },
    ]);
  });

  it('gives a refusal back as a response that is not ok, with its text', async () => {
    const response = await createSubgraphFetcher()(url, { method: 'POST', body: '"refuse"' });
    expect(response).toMatchObject({ status: 403, statusText: 'Forbidden', ok: false });
    expect(await response.text()).toBe('not yours');
  });

  it('rejects with the connection error when nothing listens', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(createSubgraphFetcher()(`http://127.0.0.1:${port}/graphql`, { body: '{}' })).rejects.toThrow(
      /ECONNREFUSED/,
    );
  });
});
