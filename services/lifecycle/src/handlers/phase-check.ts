// The one pending phase check of a contact: when a rule of time (a grace or a dwell
// ending, a cancellation's window, a stay in EXIT) will move it with no new score, its
// owner asks the NATS server to deliver a PHASE_CHECK to the contact's owner then. The
// server holds one pending schedule per contact subject (a new one replaces it), so no
// tick ever scans the contacts, and scheduling again is safe.
import type { LifecycleRequested, Topology } from '@cei/contracts';
import { scheduleEvent, type Nats } from '@cei/nats';

export interface PhaseCheckDeps {
  nats: Nats;
  topology: Topology;
  /** Lifecycle's clock (due times are on it). */
  now: () => Date;
  /**
   * The furthest ahead a check is scheduled: a check due later is scheduled this far ahead
   * and, finding nothing due, schedules the next (undefined: scheduled when due). Lets a test
   * whose clock jumps ahead see the check come (NATS schedules fire on the real clock).
   */
  horizonMs?: number;
}

/** Schedules the contact's phase check at `due` (lifecycle's clock), as a delay from the real clock. */
export async function schedulePhaseCheck(
  deps: PhaseCheckDeps,
  contact: { workspaceId: string; contactId: string },
  due: Date,
): Promise<void> {
  const { workspaceId, contactId } = contact;
  const wait = Math.min(Math.max(0, due.getTime() - deps.now().getTime()), deps.horizonMs ?? Infinity);
  const request: LifecycleRequested = { v: 1, request: 'PHASE_CHECK', workspaceId, contactId };
  await scheduleEvent(
    deps.nats.js,
    deps.topology.subjects.phaseCheckSchedule(workspaceId, contactId),
    deps.topology.subjects.lifecycleRequested(workspaceId, contactId),
    new Date(Date.now() + wait),
    request,
  );
}
