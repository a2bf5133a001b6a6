// Email over SMTP (nodemailer) to the server named by SMTP_URL. The message's deterministic
// id is its Message-ID: a resend after a crash is the same message to the receiving side.
import nodemailer from 'nodemailer';

export interface OutgoingEmail {
  id: string;
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** Resolves with the server's response once the SMTP server accepted the message. */
  send(email: OutgoingEmail): Promise<string>;
  close(): void;
}

export function messageIdHeader(id: string, domain: string): string {
  return `<${id.replace(/[^A-Za-z0-9._~-]/g, '.')}@${domain}>`;
}

export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url);
  const domain = /@([^>\s]+)/.exec(from)?.[1] ?? 'cei.local';
  return {
    async send({ id, to, subject, text }) {
      const info = await transport.sendMail({ from, to, subject, text, messageId: messageIdHeader(id, domain) });
      return String(info.response);
    },
    close: () => transport.close(),
  };
}

/** The SMTP server refused the message for good (a 5xx reply): sending it again cannot succeed. */
export function isPermanentSmtpFailure(err: unknown): boolean {
  const code = (err as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500;
}

/** The SMTP server cannot be reached (or timed out): the batch waits and tries again, no dead letter. */
export function isSmtpUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS'].includes(code);
}
