// POST /collect: the lean way in for high-volume senders, and for browsers and servers that do not
// speak GraphQL. The gateway does what it does for every request — the API key (before this runs),
// the role rule of mutations, the body-size limit (after gzip) — and forwards the body to the
// ingestion subgraph's /collect, signed as every subgraph request is. Ingestion parses it (a JSON
// array, {"interactions": [...]} or JSON lines) and records it with the mutation's own code, so
// validation, limits, idempotency, the receipt and the refusals are those of trackInteractions,
// without planning and coercing a GraphQL operation twice.
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import {
  ERRORS,
  errorBody,
  INTERNAL_CONTEXT_HEADER,
  signCallerContext,
  type CallerContext,
  type ErrorCode,
} from '@cei/contracts';
import { BodyError, readBodyBytes } from '@cei/subgraph';
import { operationRefusal } from './auth/operation-access';
import { createSubgraphFetcher } from './subgraph-fetcher';

const gunzipAsync = promisify(gunzip);

/** What ingestion may answer that reaches the client as it is; anything else is the gateway's 500. */
const RELAYED_STATUSES = new Set([200, 400, 403, 405, 413]);

export interface CollectOptions {
  /** The ingestion subgraph's GraphQL URL; its /collect is beside it. */
  ingestionUrl: string;
  secret: string;
  /** The limit of /graphql bodies, applied to the JSON once decompressed. */
  maxBodyBytes: number;
}

export interface CollectReply {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

export function createCollect(
  options: CollectOptions,
): (req: IncomingMessage, caller: CallerContext) => Promise<CollectReply> {
  const target = new URL('collect', options.ingestionUrl).href;
  // The gateway's keep-alive client for subgraphs (it closes idle sockets before ingestion does).
  const post = createSubgraphFetcher();

  return async (req, caller) => {
    const refused = operationRefusal(caller, 'mutation');
    if (refused) return refusal(refused.extensions.code as ErrorCode, refused.message, refused.extensions);
    const body = await readBody(req, options.maxBodyBytes);
    if ('refusal' in body) return body.refusal;
    const response = await post(target, {
      method: 'POST',
      headers: {
        'content-type': req.headers['content-type'] ?? 'application/json',
        [INTERNAL_CONTEXT_HEADER]: signCallerContext(options.secret, caller),
      },
      body: body.bytes,
    });
    const text = await response.text();
    if (!RELAYED_STATUSES.has(response.status)) {
      throw new Error(`ingestion's /collect answered ${response.status}: ${text.slice(0, 200)}`);
    }
    return { status: response.status, body: text };
  };
}

/** The body as JSON bytes: at most `limit` of them as sent, and again once decompressed. */
async function readBody(req: IncomingMessage, limit: number): Promise<{ bytes: Buffer } | { refusal: CollectReply }> {
  let bytes: Buffer;
  try {
    bytes = await readBodyBytes(req, limit);
  } catch (err) {
    if (!(err instanceof BodyError)) throw err;
    // The rest of an oversized body is not read: close the connection after answering.
    const close = err.code === 'PAYLOAD_TOO_LARGE' ? { connection: 'close' } : undefined;
    return { refusal: { ...refusal(err.code, err.message), headers: close } };
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity') return { bytes };
  if (encoding !== 'gzip' && encoding !== 'x-gzip') {
    return {
      refusal: refusal(
        'BAD_USER_INPUT',
        `Content-Encoding ${encoding} is not accepted on /collect: send the body gzip-compressed or uncompressed`,
      ),
    };
  }
  try {
    return { bytes: await gunzipAsync(bytes, { maxOutputLength: limit }) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      return {
        refusal: refusal(
          'PAYLOAD_TOO_LARGE',
          `request body is larger than ${limit} bytes once decompressed: send fewer or smaller items per request`,
        ),
      };
    }
    // zlib's own codes (Z_DATA_ERROR: not gzip; Z_BUF_ERROR: cut short); anything else is ours.
    if (!code?.startsWith('Z_')) throw err;
    return {
      refusal: refusal(
        'BAD_USER_INPUT',
        `the body is not valid gzip (Content-Encoding: gzip): ${(err as Error).message}`,
      ),
    };
  }
}

function refusal(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): CollectReply {
  const { code: _code, ...rest } = extensions;
  return { status: ERRORS[code].httpStatus, body: errorBody(code, message, rest) };
}
