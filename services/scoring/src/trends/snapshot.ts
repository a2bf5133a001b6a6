// Which contacts a close counts and how each stood then. Pure.
import { decayedValues, type ScoreState } from '../domain/score-state';
import type { UsageProfile } from '../domain/product-usage';
import type { ContactAtClose } from './series';

/**
 * The contact as it stood at `at`: its general score decayed to then. Null for a contact with
 * no interaction by then (one first seen after the close, when the snapshot is taken a little
 * later, is left out; what an already known contact did in between is not told apart).
 */
export function contactAtClose(
  state: ScoreState,
  halfLifeDays: number | null,
  at: Date,
  usage: UsageProfile | null = null,
): ContactAtClose | null {
  const { activity } = state;
  if (activity.interactions === 0 && state.scoredInteractions === 0) return null;
  if (activity.firstInteractionAt !== null && Date.parse(activity.firstInteractionAt) > at.getTime()) return null;
  return { state, general: decayedValues(state, halfLifeDays, at.getTime()).general, at, usage };
}
