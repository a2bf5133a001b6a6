// A real local SMTP server (smtp-server) that accepts every message: what the tests send
// notification's emails to, and what `pnpm start` runs when no SMTP_URL is given (it then
// prints each email and appends it to a file). No auth, no TLS: loopback only.
import { appendFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedEmail {
  messageId: string | null;
  from: string;
  to: string[];
  subject: string | null;
  /** The text body, transfer encoding undone. */
  text: string;
  raw: string;
}

export interface SmtpSink {
  url: string;
  received: ReceivedEmail[];
  stop(): Promise<void>;
}

export interface SmtpSinkOptions {
  port?: number;
  host?: string;
  /** Called with each email accepted (after it is in `received`). */
  onEmail?(email: ReceivedEmail): void;
  /** Appends each email (as JSON, one a line) to this file. */
  file?: string;
  /** Recipients refused for good (550), as a mailbox that does not exist. */
  refuse?(address: string): boolean;
}

export function parseEmail(raw: string, envelope: { from: string; to: string[] }): ReceivedEmail {
  const split = raw.indexOf('\r\n\r\n');
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split + 4);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const qp = /quoted-printable/i.test(headers.get('content-transfer-encoding') ?? '');
  const b64 = /base64/i.test(headers.get('content-transfer-encoding') ?? '');
  const text = qp
    ? Buffer.from(
        body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
        'latin1',
      ).toString('utf8')
    : b64
      ? Buffer.from(body, 'base64').toString('utf8')
      : body;
  return {
    messageId: headers.get('message-id') ?? null,
    from: envelope.from,
    to: envelope.to,
    subject: headers.get('subject') ?? null,
    text: text.replace(/\r\n$/, ''),
    raw,
  };
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const received: ReceivedEmail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (options.refuse?.(address.address)) {
        const err = Object.assign(new Error(`mailbox ${address.address} does not exist`), { responseCode: 550 });
        return callback(err);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const email = parseEmail(Buffer.concat(chunks).toString('utf8'), {
          from,
          to: session.envelope.rcptTo.map((r) => r.address),
        });
        received.push(email);
        options.onEmail?.(email);
        const written = options.file
          ? appendFile(options.file, JSON.stringify({ ...email, raw: undefined, at: new Date().toISOString() }) + '\n')
          : Promise.resolve();
        written.then(
          () => callback(),
          (err: Error) => callback(err),
        );
      });
    },
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://${host}:${port}`,
    received,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
