// Reads a request's JSON body with a byte limit, for the gateway and every
// subgraph alike: a body over the limit is refused without destroying the socket,
// so the 413 still reaches the client.
import type { IncomingMessage } from 'node:http';
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
  const tooLarge = () =>
    new BodyError(
      'PAYLOAD_TOO_LARGE',
      `request body is larger than ${limit} bytes: send fewer or smaller items per request`,
    );
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  const text = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      // Stop buffering without destroying the socket, so the 413 still reaches the client.
      req.off('data', onData);
      req.resume();
      reject(tooLarge());
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
  if (text.trim().length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new BodyError('BAD_USER_INPUT', 'request body is not valid JSON');
  }
}
