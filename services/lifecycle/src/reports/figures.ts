// Phase distribution and funnel, computed in code from contacts' timelines (never by the
// aggregation shapes FerretDB v1 answers wrongly: FERRETDB.md §6). Pure.
import { PHASES, type Phase } from '@cei/contracts';
import { firstEntry, phaseAt, type Timeline } from './timeline';

const DAY_MS = 86_400_000;

export interface PhaseCount {
  phase: Phase;
  contacts: number;
}

export const phaseCounts = (counts: Record<Phase, number>): PhaseCount[] =>
  PHASES.map((phase) => ({ phase, contacts: counts[phase] }));

const zero = (): Record<Phase, number> => ({ NURTURE: 0, PURCHASE: 0, RETENTION: 0, EXIT: 0 });

/** The UTC days from `from`'s to `to`'s, each with the instant it is counted at: its end, or `now`. */
export function daysOf(from: Date, to: Date, now: Date): { day: string; at: Date }[] {
  const days = [];
  const last = Math.min(to.getTime(), now.getTime());
  for (let start = Math.floor(from.getTime() / DAY_MS) * DAY_MS; start <= last; start += DAY_MS) {
    days.push({
      day: new Date(start).toISOString().slice(0, 10),
      at: new Date(Math.min(start + DAY_MS - 1, now.getTime())),
    });
  }
  return days;
}

/** How many contacts were in each phase at each day's instant. */
export class DailyDistribution {
  private readonly counts: Record<Phase, number>[];
  constructor(readonly days: readonly { day: string; at: Date }[]) {
    this.counts = days.map(zero);
  }
  add(timeline: Timeline): void {
    this.days.forEach(({ at }, i) => {
      const phase = phaseAt(timeline, at);
      if (phase) this.counts[i]![phase] += 1;
    });
  }
  result() {
    return this.days.map(({ day }, i) => ({ day, phases: phaseCounts(this.counts[i]!) }));
  }
}

export interface FunnelStep {
  phase: Phase;
  reached: number;
  conversion: number;
  medianSecondsFromPrevious: number | null;
}

/** The funnel NURTURE → PURCHASE → RETENTION → EXIT over a cohort's timelines. */
export class FunnelCount {
  private entered = 0;
  private readonly reached = zero();
  /** Per step after the first: how many reached the previous step, and the times to this one of those that went on. */
  private readonly fromPrevious = PHASES.map(() => ({ previous: 0, seconds: [] as number[] }));

  add(timeline: Timeline): void {
    this.entered += 1;
    for (const phase of PHASES) if (firstEntry(timeline, phase)) this.reached[phase] += 1;
    PHASES.forEach((phase, i) => {
      if (i === 0) return;
      const previousAt = firstEntry(timeline, PHASES[i - 1]!);
      if (!previousAt) return;
      const step = this.fromPrevious[i]!;
      step.previous += 1;
      const at = firstEntry(timeline, phase, previousAt);
      if (at) step.seconds.push((at.getTime() - previousAt.getTime()) / 1000);
    });
  }

  result(): { entered: number; steps: FunnelStep[] } {
    const steps = PHASES.map((phase, i): FunnelStep => {
      if (i === 0) return { phase, reached: this.entered, conversion: 1, medianSecondsFromPrevious: null };
      const { previous, seconds } = this.fromPrevious[i]!;
      return {
        phase,
        reached: this.reached[phase],
        conversion: previous === 0 ? 0 : seconds.length / previous,
        medianSecondsFromPrevious: median(seconds),
      };
    });
    return { entered: this.entered, steps };
  }
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
