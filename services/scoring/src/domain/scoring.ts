// Pure scoring: the points an interaction earns under a workspace's general rules,
// the engagement index, and applying a batch of interactions to a contact's score.

export interface GeneralRule {
  kind: string;
  variant: string | null;
  points: number;
  enabled: boolean;
}

export interface ScorableInteraction {
  interactionId: string;
  kind: string;
  variant: string | null;
}

/** A rule for the interaction's exact variant wins over the kind's rule without variant. */
export function pointsFor(rules: readonly GeneralRule[], interaction: ScorableInteraction): number {
  let fallback = 0;
  for (const rule of rules) {
    if (!rule.enabled || rule.kind !== interaction.kind) continue;
    if (rule.variant !== null && rule.variant === interaction.variant) return rule.points;
    if (rule.variant === null) fallback = rule.points;
  }
  return fallback;
}

/** Scale of the index: a general score of 100 gives an index of 63.2. */
export const ENGAGEMENT_SCALE = 100;

/**
 * Engagement index 0–100: 100 × (1 − e^(−max(general, 0) / 100)). Saturating, so
 * the first points matter most and no score exceeds 100; rounded to 0.1.
 */
export function engagementIndex(general: number): number {
  const raw = 100 * (1 - Math.exp(-Math.max(general, 0) / ENGAGEMENT_SCALE));
  return Math.round(raw * 10) / 10;
}

export interface ScoreState {
  general: number;
  scoredInteractions: number;
  lastSeq: number;
  recentInteractionIds: string[];
}

export const RECENT_IDS_KEPT = 64;

export interface AppliedInteraction<I> {
  interaction: I;
  delta: number;
  general: number;
}

/**
 * Applies interactions (in stream order) to a score. Those at or before the recorded
 * position, or recently applied under another position, are skipped: redelivery is a no-op.
 */
export function applyInteractions<I extends ScorableInteraction>(
  state: ScoreState,
  rules: readonly GeneralRule[],
  deliveries: readonly { interaction: I; seq: number }[],
): { state: ScoreState; applied: AppliedInteraction<I>[] } {
  let next = state;
  const applied: AppliedInteraction<I>[] = [];
  for (const { interaction, seq } of deliveries) {
    if (seq <= next.lastSeq || next.recentInteractionIds.includes(interaction.interactionId)) continue;
    const delta = pointsFor(rules, interaction);
    const general = round(next.general + delta);
    next = {
      general,
      scoredInteractions: next.scoredInteractions + 1,
      lastSeq: seq,
      recentInteractionIds: [...next.recentInteractionIds, interaction.interactionId].slice(-RECENT_IDS_KEPT),
    };
    applied.push({ interaction, delta, general });
  }
  return { state: next, applied };
}

/** Points are decimals; keep sums free of binary drift. */
function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
