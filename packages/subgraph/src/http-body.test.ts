import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BodyError, readJsonBody } from './http-body';

const LIMIT = 100;

describe('readJsonBody', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    // Answers what it read: 200 with the parsed body, or the BodyError's code (413 / 400).
    server = createServer((req, res) => {
      readJsonBody(req, LIMIT).then(
        (body) => res.end(JSON.stringify({ body: body ?? null })),
        (err: unknown) => {
          res.statusCode = err instanceof BodyError && err.code === 'PAYLOAD_TOO_LARGE' ? 413 : 400;
          res.end(JSON.stringify({ code: err instanceof BodyError ? err.code : 'OTHER' }));
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** POSTs `chunks` one by one, chunked (no Content-Length), and reads the whole answer. */
  function post(chunks: string[]): Promise<{ status: number; body: unknown }> {
    return new Promise((resolve, reject) => {
      const req = request({ port, host: '127.0.0.1', method: 'POST', path: '/' }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
      });
      req.on('error', reject);
      for (const chunk of chunks) req.write(chunk);
      req.end();
    });
  }

  it('parses a JSON body, and reads an empty one as undefined', async () => {
    expect(await post(['{"query":', '"{ a }"}'])).toEqual({ status: 200, body: { body: { query: '{ a }' } } });
    expect(await post([])).toEqual({ status: 200, body: { body: null } });
  });

  it('refuses a body over the limit that declared no length, and the 413 reaches the client', async () => {
    const chunks = Array.from({ length: 20 }, () => 'x'.repeat(50));
    expect(await post(chunks)).toEqual({ status: 413, body: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('refuses a body that is not JSON as the caller’s mistake', async () => {
    expect(await post(['{"query": '])).toEqual({ status: 400, body: { code: 'BAD_USER_INPUT' } });
  });
});
