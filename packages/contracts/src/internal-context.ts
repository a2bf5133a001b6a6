// The gateway authenticates callers; subgraphs trust only requests carrying this
// signed context (HMAC-SHA256 over the payload with a secret they share).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ROLES, WORKSPACE_ID_PATTERN, type Role } from './domain';

export const INTERNAL_CONTEXT_HEADER = 'x-cei-context';

export interface CallerContext {
  workspaceId: string;
  role: Role;
  /** Correlates log lines of one request across processes. */
  traceId: string;
  /** Who is calling, for audit logs: the API key's public id (never the key). */
  actor?: string;
}

/** A signed context lives this long: long enough for one request, too short to replay. */
const MAX_AGE_MS = 60_000;

function mac(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}

export function signCallerContext(secret: string, ctx: CallerContext, now = Date.now()): string {
  const body = Buffer.from(JSON.stringify({ ...ctx, iat: now })).toString('base64url');
  return `${body}.${mac(secret, body)}`;
}

/** Returns the caller, or a reason the header is not acceptable. */
export function verifyCallerContext(
  secret: string,
  header: string | undefined,
  now = Date.now(),
): { ok: true; caller: CallerContext } | { ok: false; reason: string } {
  if (!header)
    return { ok: false, reason: 'missing internal context: subgraphs only accept requests from the gateway' };
  const [body, signature] = header.split('.');
  if (!body || !signature) return { ok: false, reason: 'malformed internal context' };
  const expected = Buffer.from(mac(secret, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: 'internal context signature does not match' };
  }
  let parsed: { workspaceId?: unknown; role?: unknown; traceId?: unknown; actor?: unknown; iat?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'internal context is not JSON' };
  }
  const { workspaceId, role, traceId, actor, iat } = parsed;
  if (typeof workspaceId !== 'string' || !WORKSPACE_ID_PATTERN.test(workspaceId)) {
    return { ok: false, reason: 'internal context has no valid workspace' };
  }
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    return { ok: false, reason: 'internal context has no valid role' };
  }
  if (typeof iat !== 'number' || Math.abs(now - iat) > MAX_AGE_MS) {
    return { ok: false, reason: 'internal context expired' };
  }
  return {
    ok: true,
    caller: {
      workspaceId,
      role: role as Role,
      traceId: typeof traceId === 'string' ? traceId : '',
      ...(typeof actor === 'string' ? { actor } : {}),
    },
  };
}
