// How `pnpm start` talks: `[cei]` progress lines on stdout, paths and URLs fit to print,
// and the two ways its startup can end early (a failure to explain, a stop request).
import { isAbsolute, relative } from 'node:path';

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
export const say = (line: string) => process.stdout.write(`[cei] ${line}\n`);
export const progress = (what: string, detail: string, since: number) =>
  say(`${what.padEnd(13)} ${detail.padEnd(52)} ${seconds(Date.now() - since)}`);
/** Relative to where the command runs when under it, else absolute (e.g. a CEI_DATA_DIR in /tmp). */
export function shown(path: string): string {
  const fromHere = relative(process.cwd(), path);
  return fromHere === '' ? '.' : fromHere.startsWith('..') || isAbsolute(fromHere) ? path : fromHere;
}

/** A URL fit to print: any user and password in it replaced. */
export { withoutCredentials } from '../../packages/config/src';

export class StartupError extends Error {
  override name = 'StartupError';
}

/** Thrown into the startup sequence once a stop is requested. */
export class Cancelled extends Error {
  override name = 'Cancelled';
}

/** The message (harness errors already say what to do) and its cause, which names the underlying failure. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `\n  caused by: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
