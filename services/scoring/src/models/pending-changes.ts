// How a score document keeps the figures of the changes its last write is about to
// publish: one short tuple each, inside the document's JSON body. The body is
// rewritten on every batch and its size costs (scoring ran ~15% slower in the
// benchmark with the full changes stored); the redelivered inputs supply the rest.
import type { ChangeFigures } from '../domain/score-change';

/**
 * [seq, delta, general, stage, at (epoch ms)], then, when the change carried them, the tag scores and
 * the latest interaction (epoch ms, or null).
 */
export type StoredFigures =
  | [number, number, number, number, number]
  | [number, number, number, number, number, Record<string, number>, number | null];

export function storedFigures(changes: readonly ChangeFigures[]): StoredFigures[] {
  return changes.map(({ seq, delta, general, stage, at, tags, lastInteractionAt }): StoredFigures => {
    const figures: StoredFigures = [seq, delta, general, stage, Date.parse(at)];
    if (!tags) return figures;
    return [...figures, tags, lastInteractionAt ? Date.parse(lastInteractionAt) : null];
  });
}

export function changeFigures(stored: readonly StoredFigures[]): ChangeFigures[] {
  return stored.map(([seq, delta, general, stage, at, tags, lastInteractionAt]) => ({
    seq,
    delta,
    general,
    stage,
    at: new Date(at).toISOString(),
    ...(tags
      ? { tags, lastInteractionAt: lastInteractionAt === null ? null : new Date(lastInteractionAt!).toISOString() }
      : {}),
  }));
}
