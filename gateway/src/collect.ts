// POST /collect: the plain-JSON way in for browsers and servers that do not speak
// GraphQL. It runs the same trackInteractions mutation through the gateway, so
// auth, roles, validation and idempotency are exactly those of the graph.
import type { GraphQLFormattedError } from 'graphql';
import { INTERNAL_MESSAGE } from '@cei/contracts';
import { statusOfErrors } from './error-format';

export const COLLECT_MUTATION = `mutation CEI_Collect($interactions: [InteractionInput!]!) {
  trackInteractions(interactions: $interactions) {
    accepted
    duplicates
    rejected
    items { index id status reason }
  }
}`;

export type CollectBody = { ok: true; interactions: unknown[] } | { ok: false; message: string };

export function readCollectBody(body: unknown): CollectBody {
  const interactions =
    typeof body === 'object' && body !== null ? (body as { interactions?: unknown }).interactions : undefined;
  if (!Array.isArray(interactions)) {
    return { ok: false, message: 'body must be a JSON object {"interactions": [ ...InteractionInput objects... ]}' };
  }
  return { ok: true, interactions };
}

export interface CollectResult {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
}

/** The mutation's receipt on success; otherwise its errors with the status the gateway gave them. */
export function collectResponse(result: CollectResult, status: number | undefined): { status: number; body: unknown } {
  const receipt = result.data?.trackInteractions;
  if (receipt && typeof receipt === 'object') {
    // Stored items stay stored: a partial error is reported beside the receipt, never instead of it.
    return { status: 200, body: result.errors?.length ? { ...receipt, errors: result.errors } : receipt };
  }
  const errors = result.errors?.length
    ? result.errors
    : [{ message: INTERNAL_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR' } }];
  return { status: status && status !== 200 ? status : statusOfErrors(errors), body: { errors } };
}
