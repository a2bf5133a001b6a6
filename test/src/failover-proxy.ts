// Stands in for the load balancer in front of a subgraph's instances, so the gateway keeps
// answering when a test kills one of them: each request goes to the first instance still
// running (a killed one is skipped at once, not after a failed connection).
import { createServer, type IncomingMessage } from 'node:http';

export interface FailoverProxy {
  url: string;
  close(): Promise<void>;
}

/** Hop-by-hop headers, and those `fetch` sets itself from the body it sends or decodes. */
const NOT_FORWARDED = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

export async function startFailoverProxy(
  port: number,
  /** Base URLs (`http://127.0.0.1:<port>`) of the instances still running, in order of preference. */
  live: () => string[],
  /** Told each request's body as it passes (a test counting what the gateway sends a subgraph). */
  onRequest?: (body: Buffer) => void,
): Promise<FailoverProxy> {
  const server = createServer((req, res) => {
    void (async () => {
      const target = live()[0];
      if (!target) {
        res.writeHead(503, { 'content-type': 'text/plain' }).end('no instance is running');
        return;
      }
      try {
        const body = await readBody(req);
        onRequest?.(body);
        const response = await fetch(target + req.url, {
          method: req.method,
          headers: Object.entries(req.headers).flatMap(([name, value]) =>
            NOT_FORWARDED.has(name) || value === undefined ? [] : [[name, String(value)] as [string, string]],
          ),
          body: body.length > 0 ? body : undefined,
        });
        const headers = Object.fromEntries(
          [...response.headers].filter(([name]) => !NOT_FORWARDED.has(name) && name !== 'content-encoding'),
        );
        res.writeHead(response.status, headers).end(Buffer.from(await response.arrayBuffer()));
      } catch (err) {
        res.writeHead(502, { 'content-type': 'text/plain' }).end(`could not reach ${target}: ${String(err)}`);
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
