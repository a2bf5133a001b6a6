// Exact distributions kept as a count per value: a value rounded to a fixed step (the engagement
// index to 0.1, a likelihood to 0.001) has at most a thousand or so values, so a tally stays small
// however many contacts it counts, adds up across snapshots, and answers quantiles exactly.

/** Count per value, keyed by the value divided by its step (an integer, as a string). */
export type ValueCounts = Record<string, number>;

export function addValue(counts: ValueCounts, value: number, step: number): void {
  const key = String(Math.round(value / step));
  counts[key] = (counts[key] ?? 0) + 1;
}

/** The values in ascending order, each with its count. */
export function sortedValues(counts: ValueCounts, step: number): { value: number; count: number }[] {
  return Object.entries(counts)
    .map(([key, count]) => ({ value: round(Number(key) * step, 6), count }))
    .filter(({ count }) => count > 0)
    .sort((a, b) => a.value - b.value);
}

export const total = (counts: ValueCounts): number => Object.values(counts).reduce((sum, n) => sum + n, 0);

/** How many values are at least `threshold`. */
export function countAtLeast(counts: ValueCounts, step: number, threshold: number): number {
  const from = Math.round(threshold / step);
  return Object.entries(counts).reduce((sum, [key, n]) => (Number(key) >= from ? sum + n : sum), 0);
}

/**
 * The q-quantile (0–1) by linear interpolation between the closest ranks (Hyndman & Fan type 7:
 * numpy's default, Excel's PERCENTILE.INC): rank h = (n − 1)·q, value x⌊h⌋ + (h − ⌊h⌋)(x⌊h⌋+1 − x⌊h⌋).
 * Null without values.
 */
export function quantile(sorted: readonly { value: number; count: number }[], q: number): number | null {
  const n = sorted.reduce((sum, v) => sum + v.count, 0);
  if (n === 0) return null;
  const h = (n - 1) * q;
  const lower = Math.floor(h);
  const at = (rank: number): number => {
    let seen = 0;
    for (const { value, count } of sorted) {
      seen += count;
      if (rank < seen) return value;
    }
    return sorted.at(-1)!.value;
  };
  const low = at(lower);
  return h === lower ? low : low + (h - lower) * (at(lower + 1) - low);
}

export function mean(sorted: readonly { value: number; count: number }[]): number | null {
  const n = sorted.reduce((sum, v) => sum + v.count, 0);
  return n === 0 ? null : sorted.reduce((sum, v) => sum + v.value * v.count, 0) / n;
}

/** Rounds half away from zero and never returns −0. */
export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return (Math.sign(value) * Math.round(Math.abs(value) * factor)) / factor + 0;
}
