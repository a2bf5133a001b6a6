// How a score document keeps the figures of the changes its last write is about to
// publish: one short tuple each, inside the document's JSON body. The body is
// rewritten on every batch and its size costs (scoring ran ~15% slower in the
// benchmark with the full changes stored); the redelivered inputs supply the rest.
import type { ChangeFigures } from '../domain/score-change';

/** [seq, delta, general, stage, at (epoch ms), churn?, purchase?] (likelihoods absent in older bodies) */
export type StoredFigures =
  [number, number, number, number, number] | [number, number, number, number, number, number, number];

export function storedFigures(changes: readonly ChangeFigures[]): StoredFigures[] {
  return changes.map(({ seq, delta, general, stage, at, likelihoods }): StoredFigures => {
    const figures: StoredFigures = [seq, delta, general, stage, Date.parse(at)];
    return likelihoods ? [...figures, likelihoods.churn, likelihoods.purchase] : figures;
  });
}

export function changeFigures(stored: readonly StoredFigures[]): ChangeFigures[] {
  return stored.map(([seq, delta, general, stage, at, churn, purchase]) => ({
    seq,
    delta,
    general,
    stage,
    at: new Date(at).toISOString(),
    ...(churn !== undefined && purchase !== undefined ? { likelihoods: { churn, purchase } } : {}),
  }));
}
