// Exponential decay of scores: a score loses half its value every half-life of
// inactivity. Multiplicative, so decaying in steps equals decaying at once, and a
// stored score can always be read "as of now".

const DAY_MS = 86_400_000;

/** The factor a value keeps between two instants (1 when there is no half-life or no time passed). */
export function decayFactor(halfLifeDays: number | null, fromMs: number, toMs: number): number {
  if (halfLifeDays === null || toMs <= fromMs) return 1;
  return Math.pow(0.5, (toMs - fromMs) / (halfLifeDays * DAY_MS));
}

/** Below this the scheduler stops: the score is as good as gone. */
export const NEGLIGIBLE_SCORE = 1;
/** A drop of this share of the last published general score is published again. */
export const SIGNIFICANT_DROP = 0.1;

/**
 * When a score decaying from `general` (valid at `asOfMs`) will have fallen to
 * (1 − SIGNIFICANT_DROP) × `published`: the time to check it again. Null when it
 * never will (no half-life, nothing to lose).
 */
export function nextSignificantDropAt(
  halfLifeDays: number | null,
  asOfMs: number,
  general: number,
  published: number,
): number | null {
  if (halfLifeDays === null || Math.abs(general) < NEGLIGIBLE_SCORE) return null;
  const reference = Math.abs(published) >= NEGLIGIBLE_SCORE ? Math.abs(published) : Math.abs(general);
  const target = (1 - SIGNIFICANT_DROP) * reference;
  const halvings = Math.log2(Math.abs(general) / target);
  return asOfMs + Math.max(halvings, 0) * halfLifeDays * DAY_MS;
}

/** Whether a decayed value differs enough from the last published one to tell lifecycle. */
export function isSignificantDrop(published: number, general: number): boolean {
  return Math.abs(published - general) >= Math.max(SIGNIFICANT_DROP * Math.abs(published), 0.5);
}
