// Reads a request's JSON body with a byte limit, for the gateway and every
// subgraph alike: a body over the limit is refused without destroying the socket,
// so the 413 still reaches the client.
import type { IncomingMessage } from 'node:http';
import getRawBody from 'raw-body';
import type { ErrorCode } from '@cei/contracts';

/** A body that cannot be accepted; `code` is the error code to answer with. */
export class BodyError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Reads and parses a JSON body of at most `limit` bytes; empty means undefined. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const text = (await readBodyBytes(req, limit)).toString('utf8');
  if (text.trim().length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new BodyError('BAD_USER_INPUT', 'request body is not valid JSON');
  }
}

/** Reads a body of at most `limit` bytes as it came, for a caller that decodes it itself. */
export async function readBodyBytes(req: IncomingMessage, limit: number): Promise<Buffer> {
  try {
    return await getRawBody(req, { limit, length: req.headers['content-length'] });
  } catch (err) {
    // raw-body pauses the request: drain it instead of destroying the socket, so the answer reaches the client.
    req.resume();
    if ((err as getRawBody.RawBodyError).type !== 'entity.too.large') throw err;
    throw new BodyError(
      'PAYLOAD_TOO_LARGE',
      `request body is larger than ${limit} bytes: send fewer or smaller items per request`,
    );
  }
}
