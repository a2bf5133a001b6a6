// One webhook attempt over HTTP(S): POST the body with the Standard Webhooks headers, the
// SSRF guard applied to every connection (ssrf.ts), redirects followed only to checked
// addresses and at most MAX_REDIRECTS hops, a deadline for the whole attempt, and an
// excerpt of the response kept for the delivery log.
import http from 'node:http';
import https from 'node:https';
import { checkLiteralHost, guardedLookup, RefusedAddressError, type PrivateAllowance } from './ssrf';

export const MAX_REDIRECTS = 3;
const AGENTS_KEPT = 1_000;

/**
 * Keep-alive agents per workspace and scheme, each with the guarded DNS lookup (a connection is
 * checked when it is made; a kept one was checked then). Literal addresses never reach the lookup:
 * `checkLiteralHost` runs before every request instead.
 */
const agents = new Map<string, http.Agent>();
function agentFor(protocol: string, workspaceId: string, allow: PrivateAllowance): http.Agent {
  const key = `${protocol}${workspaceId}`;
  let agent = agents.get(key);
  if (!agent) {
    const options = { keepAlive: true, maxSockets: 64, lookup: guardedLookup(workspaceId, allow) as never };
    agent = protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
    if (agents.size >= AGENTS_KEPT) {
      const [oldest, old] = agents.entries().next().value!;
      agents.delete(oldest);
      old.destroy();
    }
    agents.set(key, agent);
  }
  return agent;
}
export const EXCERPT_CHARS = 512;

export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  responseExcerpt: string;
  /** Why it failed when there is no status to say it (timeout, refused address, connection error). */
  error: string | null;
}

export interface SendOptions {
  workspaceId: string;
  allow: PrivateAllowance;
  timeoutMs: number;
}

function once(
  url: URL,
  body: string,
  headers: Record<string, string>,
  opts: SendOptions,
  signal: AbortSignal,
): Promise<{ status: number; location: string | undefined; excerpt: string }> {
  checkLiteralHost(url, opts.workspaceId, opts.allow);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        agent: agentFor(url.protocol, opts.workspaceId, opts.allow),
        signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        res.on('data', (chunk: Buffer) => {
          if (kept < EXCERPT_CHARS * 4) {
            chunks.push(chunk);
            kept += chunk.length;
          }
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            location: res.headers.location,
            excerpt: Buffer.concat(chunks).toString('utf8').slice(0, EXCERPT_CHARS),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export async function sendWebhook(
  target: string,
  body: string,
  headers: Record<string, string>,
  opts: SendOptions,
): Promise<AttemptResult> {
  const started = performance.now();
  const signal = AbortSignal.timeout(opts.timeoutMs);
  const done = (partial: Omit<AttemptResult, 'latencyMs'>): AttemptResult => ({
    ...partial,
    latencyMs: Math.round(performance.now() - started),
  });
  let url = new URL(target);
  try {
    for (let hop = 0; ; hop++) {
      const res = await once(url, body, headers, opts, signal);
      if (res.status >= 300 && res.status < 400 && res.location) {
        if (hop >= MAX_REDIRECTS)
          return done({ ok: false, statusCode: res.status, responseExcerpt: res.excerpt, error: 'too many redirects' });
        const next = new URL(res.location, url);
        if (next.protocol !== 'http:' && next.protocol !== 'https:')
          return done({
            ok: false,
            statusCode: res.status,
            responseExcerpt: res.excerpt,
            error: `redirect to ${next.protocol} not followed`,
          });
        url = next;
        continue;
      }
      const ok = res.status >= 200 && res.status < 300;
      return done({
        ok,
        statusCode: res.status,
        responseExcerpt: res.excerpt,
        error: ok ? null : `HTTP ${res.status}`,
      });
    }
  } catch (err) {
    const message =
      err instanceof RefusedAddressError
        ? `${url.host}: ${err.message}`
        : signal.aborted
          ? `timed out after ${opts.timeoutMs} ms`
          : `${(err as Error).message}`;
    return done({ ok: false, statusCode: null, responseExcerpt: '', error: message });
  }
}
