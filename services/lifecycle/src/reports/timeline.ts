// A contact's path through the phases as dashboards read it: when lifecycle first saw it (in
// NURTURE) and each transition since, oldest first. Pure: the phase at an instant, and when
// the contact first entered a phase.
import type { Phase } from '@cei/contracts';

export interface Timeline {
  startedAt: Date;
  /** The phase now (what a contact with no transitions has been in since startedAt). */
  phase: Phase;
  /** Oldest first. */
  transitions: readonly { at: Date; from: Phase; to: Phase }[];
}

/** The phase the contact was in at `at`, or null if lifecycle had not seen it yet. */
export function phaseAt(timeline: Timeline, at: Date): Phase | null {
  if (at < timeline.startedAt) return null;
  let phase: Phase | null = null;
  for (const t of timeline.transitions) {
    if (t.at > at) break;
    phase = t.to;
  }
  return phase ?? timeline.transitions[0]?.from ?? timeline.phase;
}

/** When the contact first entered `phase` at or after `since` (NURTURE: it starts there), or null. */
export function firstEntry(timeline: Timeline, phase: Phase, since: Date = timeline.startedAt): Date | null {
  if (phase === 'NURTURE' && since <= timeline.startedAt) return timeline.startedAt;
  return timeline.transitions.find((t) => t.to === phase && t.at >= since)?.at ?? null;
}
