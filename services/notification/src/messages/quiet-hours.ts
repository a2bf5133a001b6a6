// Quiet hours of a workspace: a daily window in its time zone in which no email goes out.
// Decision (README): an email due in quiet hours is skipped and audited as
// SKIPPED_QUIET_HOURS (not delayed: a phase-tailored message sent hours late no longer fits
// where the contact stands). In-app messages and owner tasks are feeds read when their
// reader looks, so quiet hours do not apply to them.
import type { QuietHours } from './models';

export function minuteOfDay(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(at)
    .reduce<Record<string, string>>((acc, p) => ({ ...acc, [p.type]: p.value }), {});
  return Number(parts.hour) * 60 + Number(parts.minute);
}

export function inQuietHours(quiet: QuietHours | null, at: Date): boolean {
  if (!quiet || quiet.startMinute === quiet.endMinute) return false;
  const m = minuteOfDay(at, quiet.timeZone);
  return quiet.startMinute < quiet.endMinute
    ? m >= quiet.startMinute && m < quiet.endMinute
    : m >= quiet.startMinute || m < quiet.endMinute;
}

export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
    return true;
  } catch {
    return false;
  }
}
