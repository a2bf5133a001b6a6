// What tests use to talk to the running system: an own namespace per test file
// (so suites sharing servers never meet), signed subgraph calls, and polling
// with a deadline instead of sleeps.
import { randomBytes } from 'node:crypto';
import { INTERNAL_CONTEXT_HEADER, signCallerContext, type Role } from '@cei/contracts';

export const TEST_SECRET = 'cei-test-internal-secret-0123456789';

/** A fresh namespace (subject root, stream and database prefix) for one test file. */
export function testNamespace(label: string): string {
  return `t${label.replace(/[^a-z0-9]/g, '').slice(0, 12)}${randomBytes(4).toString('hex')}`;
}

/** A fresh workspace id: each test owns its workspace. */
export function testWorkspace(label = 'ws'): string {
  return `${label}-${randomBytes(5).toString('hex')}`;
}

/** Environment for a service under test, pointing at the servers of the global setup. */
export function serviceEnv(namespace: string, extra: Record<string, string> = {}): Record<string, string> {
  const { NATS_URL, MONGO_URL } = process.env;
  if (!NATS_URL || !MONGO_URL) {
    throw new Error('NATS_URL and MONGO_URL are unset: run tests through jest (its global setup starts the servers)');
  }
  return {
    NATS_URL,
    MONGO_URL,
    CEI_NAMESPACE: namespace,
    CEI_INTERNAL_SECRET: TEST_SECRET,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...extra,
  };
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: { code?: string; [key: string]: unknown } }[];
}

/** Calls a subgraph directly, as the gateway would for this workspace and role. */
export async function callSubgraph<T = Record<string, unknown>>(
  url: string,
  caller: { workspaceId: string; role: Role; actor?: string } | null,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (caller) headers[INTERNAL_CONTEXT_HEADER] = signCallerContext(TEST_SECRET, { ...caller, traceId: 'test' });
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
  return { status: response.status, ...body };
}

/**
 * Polls `probe` until it returns something other than undefined/null/false, or
 * throws after the deadline with `what` and the last value seen.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  { timeoutMs = 15_000, intervalMs = 25 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${String(last)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
