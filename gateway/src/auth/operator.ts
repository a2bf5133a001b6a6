// The operator credential (CEI_OPERATOR_KEY): one secret, set in config, that runs
// workspaces (access/schema.graphql) and nothing else. It is not a workspace key: the
// key format differs (cei_operator_…), so the authenticator refuses it as malformed
// everywhere a workspace key is expected (/collect, graphql-ws).
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { OperatorContext } from './operation-access';

export function newOperatorKey(): string {
  return `cei_operator_${randomBytes(24).toString('base64url')}`;
}

/** The operator's context when `bearer` is the operator credential; undefined otherwise (or when none is set). */
export function operatorAuthenticator(operatorKey: string | undefined) {
  const expected = operatorKey ? createHash('sha256').update(operatorKey).digest() : undefined;
  return (bearer: string | undefined): OperatorContext | undefined => {
    if (!expected || !bearer) return undefined;
    const value = bearer.trim().replace(/^bearer\s+/i, '');
    if (!value.startsWith('cei_operator_')) return undefined;
    // Compared as hashes: equal lengths, constant time.
    const given = createHash('sha256').update(value).digest();
    return timingSafeEqual(given, expected) ? { actor: 'operator', traceId: randomUUID() } : undefined;
  };
}
