// POST /collect on the ingestion subgraph: what the gateway's /collect forwards (authenticated,
// size-checked, decompressed), signed like every subgraph request. The body is parsed and checked
// here, once, and recorded by the same trackInteractions as the mutation: the receipt, the
// refusals and their statuses are the graph's.
import { GraphQLError, type GraphQLInputType } from 'graphql';
import { ERRORS, isErrorCode, type ErrorCode } from '@cei/contracts';
import { readBodyBytes, BodyError, type SubgraphRoute } from '@cei/subgraph';
import type { RecordingDeps } from './record-interactions';
import { readCollectItems } from './collect-body';
import { trackInteractions } from './track-interactions';

/** The gateway refuses bodies over its MAX_BODY_BYTES first; this only bounds what a caller could send here. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface CollectRouteDeps {
  recording: RecordingDeps;
  limits: { maxBatchSize: number };
  /** `[InteractionInput!]!` of this subgraph's schema (see collect-body.ts). */
  listType: GraphQLInputType;
}

export function createCollectRoute(deps: CollectRouteDeps): SubgraphRoute {
  return async (req, caller, log) => {
    if (req.method !== 'POST') return refusal('METHOD_NOT_ALLOWED', 'send interactions with POST /collect');
    let text: string;
    try {
      text = (await readBodyBytes(req, MAX_BODY_BYTES)).toString('utf8');
    } catch (err) {
      if (err instanceof BodyError) return refusal(err.code, err.message);
      throw err;
    }
    const items = readCollectItems(text, req.headers['content-type'], deps.listType);
    if (!items.ok) return errorReply(items.error);
    try {
      const result = await trackInteractions(deps.recording, caller, items.interactions, deps.limits, log);
      return { status: 200, body: JSON.stringify(result) };
    } catch (err) {
      // Expected refusals (role, batch size) carry a registry code; anything else is a 500, logged by the server.
      if (
        err instanceof GraphQLError &&
        isErrorCode(err.extensions.code) &&
        err.extensions.code !== 'INTERNAL_SERVER_ERROR'
      ) {
        return errorReply(err);
      }
      throw err;
    }
  };
}

function errorReply(error: GraphQLError): { status: number; body: string } {
  const code = error.extensions.code as ErrorCode;
  return {
    status: ERRORS[code].httpStatus,
    body: JSON.stringify({ errors: [{ message: error.message, extensions: error.extensions }] }),
  };
}

function refusal(code: ErrorCode, message: string): { status: number; body: string } {
  return errorReply(ERRORS[code].err(message));
}
