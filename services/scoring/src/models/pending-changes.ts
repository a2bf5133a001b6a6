// How a score document keeps the figures of the changes its last write is about to
// publish: one short tuple each, inside the document's JSON body. The body is
// rewritten on every batch and its size costs (scoring ran ~15% slower in the
// benchmark with the full changes stored); the redelivered inputs supply the rest.
import type { InteractionKind } from '@cei/contracts';
import type { ChangeFigures } from '../domain/score-change';

type Tags = Record<string, number>;
type Base = [number, number, number, number, number];
/** Tag scores ({} for none), then the latest interaction (epoch ms, or null). */
type Listed = [Tags, number | null];

/**
 * [seq, delta, general, stage, at (epoch ms)], then churn and purchase (when the change had
 * likelihoods), then the tag scores and the latest interaction (when the change had the latest
 * interaction; tags {} for none) or, in bodies written before the latest interaction was kept, the tag
 * scores alone (only when the contact had any). The optional parts are told apart by type — numbers
 * before the one object, at most one element after it — so every earlier body ([..at],
 * [..at, churn, purchase], [..at, tags], [..at, churn, purchase, tags]) still decodes. A merge that
 * brought a customer kind ends with that kind, the only string of a tuple.
 */
export type StoredFigures =
  | Base
  | [...Base, Tags]
  | [...Base, ...Listed]
  | [...Base, number, number]
  | [...Base, number, number, Tags]
  | [...Base, number, number, ...Listed]
  | [...Base, ...(number | Tags | null)[], InteractionKind];

export function storedFigures(changes: readonly ChangeFigures[]): StoredFigures[] {
  return changes.map((figures) => {
    const stored = withoutKind(figures);
    return figures.customerKind ? ([...stored, figures.customerKind] as StoredFigures) : stored;
  });
}

function withoutKind({
  seq,
  delta,
  general,
  stage,
  at,
  likelihoods,
  tags,
  lastInteractionAt,
}: ChangeFigures): StoredFigures {
  const base: Base = [seq, delta, general, stage, Date.parse(at)];
  const listed: Listed | [Tags] | [] =
    lastInteractionAt !== undefined
      ? [tags ?? {}, lastInteractionAt === null ? null : Date.parse(lastInteractionAt)]
      : tags
        ? [tags]
        : [];
  if (likelihoods) {
    const { churn, purchase } = likelihoods;
    return [...base, churn, purchase, ...listed];
  }
  return [...base, ...listed];
}

export function changeFigures(stored: readonly StoredFigures[]): ChangeFigures[] {
  return stored.map(([seq, delta, general, stage, at, ...all]): ChangeFigures => {
    const kindAt = all.length > 0 && typeof all[all.length - 1] === 'string' ? all.length - 1 : -1;
    const customerKind = kindAt < 0 ? undefined : (all[kindAt] as InteractionKind);
    const rest = kindAt < 0 ? all : all.slice(0, kindAt);
    const objectAt = rest.findIndex((part) => typeof part === 'object' && part !== null);
    const numbers = objectAt < 0 ? rest : rest.slice(0, objectAt);
    const [churn, purchase] = numbers;
    const tags = objectAt < 0 ? undefined : (rest[objectAt] as Tags);
    const last = objectAt < 0 || objectAt + 1 >= rest.length ? undefined : (rest[objectAt + 1] as number | null);
    return {
      seq,
      delta,
      general,
      stage,
      at: new Date(at).toISOString(),
      ...(typeof churn === 'number' && typeof purchase === 'number' ? { likelihoods: { churn, purchase } } : {}),
      ...(tags && Object.keys(tags).length > 0 ? { tags } : {}),
      ...(last !== undefined ? { lastInteractionAt: last === null ? null : new Date(last).toISOString() } : {}),
      ...(customerKind ? { customerKind } : {}),
    };
  });
}
