// Where notification's emails go under `pnpm start`: the SMTP server named by SMTP_URL, else a
// local SMTP sink (smtp-server) started here, which prints one line per email and appends each
// (JSON, one a line) to <state>/data/emails.jsonl, so a newcomer sees what the rules sent.
import { join } from 'node:path';
import { startSmtpSink } from '../../packages/testing/src/smtp-sink';
import { progress, say, shown, withoutCredentials } from './output';
import type { Settings } from './settings';

export interface MailSink {
  url: string;
  stop(): Promise<void>;
}

export async function startMailSink(settings: Settings): Promise<MailSink> {
  const since = Date.now();
  if (settings.smtpUrl) {
    progress('smtp', `${withoutCredentials(settings.smtpUrl)} (SMTP_URL)`, since);
    return { url: settings.smtpUrl, stop: async () => undefined };
  }
  const file = join(settings.dirs.data, 'emails.jsonl');
  const sink = await startSmtpSink({
    file,
    onEmail: (email) =>
      say(`email         to ${email.to.join(', ')}: ${email.subject ?? '(no subject)'} ${email.messageId ?? ''}`),
  });
  progress('smtp sink', `${sink.url} → ${shown(file)}`, since);
  return sink;
}
