// One JSON line per event (pino), with the service name on every line. Child
// loggers carry workspace, contact and trace ids; secrets never go in.
import pino from 'pino';

export type Logger = pino.Logger;

/** `destination` defaults to stdout; tests pass one to read what a service logged. */
export function createLogger(service: string, level = 'info', destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name: service,
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['*.authorization', '*.apiKey', '*.secret', 'headers.authorization'], censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A URL fit for a log line or the console: any user:password part is masked. */
export function withoutCredentials(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
