// Where a test's service logger writes: each JSON line parsed and kept, so a test can assert
// what the service logged (a refusal, a retry) as well as what it did.
import { Writable } from 'node:stream';

export interface LogLine {
  level: number;
  msg: string;
  err?: { type?: string; message?: string };
  [field: string]: unknown;
}

/** A destination for createLogger (@cei/config) and the lines written to it so far. */
export function logSink(): { stream: Writable; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { stream, lines };
}
