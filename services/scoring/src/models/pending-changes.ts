// How a score document keeps the figures of the changes its last write is about to
// publish: one short tuple each, inside the document's JSON body. The body is
// rewritten on every batch and its size costs (scoring ran ~15% slower in the
// benchmark with the full changes stored); the redelivered inputs supply the rest.
import type { ChangeFigures } from '../domain/score-change';

type Tags = Record<string, number>;
type Base = [number, number, number, number, number];

/**
 * [seq, delta, general, stage, at (epoch ms)], then churn and purchase (when the change had
 * likelihoods), then the tag scores (only when the contact has any). The optional parts are told
 * apart by type, so bodies written before either existed ([..at], [..at, churn, purchase],
 * [..at, tags]) still decode.
 */
export type StoredFigures = Base | [...Base, Tags] | [...Base, number, number] | [...Base, number, number, Tags];

export function storedFigures(changes: readonly ChangeFigures[]): StoredFigures[] {
  return changes.map(({ seq, delta, general, stage, at, likelihoods, tags }): StoredFigures => {
    const base: Base = [seq, delta, general, stage, Date.parse(at)];
    if (likelihoods) {
      const { churn, purchase } = likelihoods;
      return tags ? [...base, churn, purchase, tags] : [...base, churn, purchase];
    }
    return tags ? [...base, tags] : base;
  });
}

export function changeFigures(stored: readonly StoredFigures[]): ChangeFigures[] {
  return stored.map(([seq, delta, general, stage, at, ...rest]): ChangeFigures => {
    const [churn, purchase] = rest;
    const last: unknown = rest.at(-1);
    const tags = typeof last === 'object' && last !== null ? (last as Tags) : undefined;
    return {
      seq,
      delta,
      general,
      stage,
      at: new Date(at).toISOString(),
      ...(typeof churn === 'number' && typeof purchase === 'number' ? { likelihoods: { churn, purchase } } : {}),
      ...(tags ? { tags } : {}),
    };
  });
}
