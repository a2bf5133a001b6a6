// The engagement index: a contact's general score on a fixed 0–100 scale.

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
