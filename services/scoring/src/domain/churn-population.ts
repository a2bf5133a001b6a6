// A population with known behaviour, for validating the churn likelihood (test fixture):
// subscribers who will cancel stop using the high-value features some weeks before the end
// of the observation (they keep logging in, a little less), subscribers who stay keep using
// them (a fifth of them barely touch them either, so the ranking is not trivially perfect).
// Seeded: the same population, and so the same AUC, on every run.
import type { InteractionRecorded } from '@cei/contracts';
import type { FeatureCatalog, ProductFeature } from './product-usage';

const DAY = 86_400_000;

export const HIGH_VALUE = ['reports', 'api', 'automation'];
export const OTHER = ['export', 'themes', 'search', 'profile'];
export const CHURN_CATALOG: FeatureCatalog = new Map<string, ProductFeature>([
  ...HIGH_VALUE.map((key) => [key, { key, name: key, highValue: true }] as const),
  ...OTHER.map((key) => [key, { key, name: key, highValue: false }] as const),
]);

export interface PopulationOptions {
  workspaceId: string;
  /** Contacts; even indexes churn. */
  size: number;
  seed: number;
  /** The first observed day (ms, midnight UTC); the observation ends `days` later. */
  start: number;
  days: number;
  /** Page visits beside the usage (the domain test has them; the pipeline test leaves them out for speed). */
  visits: boolean;
}

export interface PopulationContact {
  contactId: string;
  churner: boolean;
  events: InteractionRecorded[];
}

/** mulberry32: a small seeded generator. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function churnPopulation(opts: PopulationOptions): PopulationContact[] {
  const rnd = random(opts.seed);
  return Array.from({ length: opts.size }, (_, i) => {
    const churner = i % 2 === 0;
    const contactId = `c${i}`;
    const activeDays = 0.3 + rnd() * 0.5;
    const highValueShare = rnd() < 0.2 ? 0.05 : 0.3 + rnd() * 0.3;
    const highValueFeatures = HIGH_VALUE.slice(0, 1 + Math.floor(rnd() * HIGH_VALUE.length));
    // Three to six weeks before the end of the observation.
    const disengageDay = opts.days - 21 - Math.floor(rnd() * 22);
    const events: InteractionRecorded[] = [];
    const event = (kind: InteractionRecorded['kind'], at: number, properties: Record<string, unknown>) =>
      events.push({
        v: 1,
        workspaceId: opts.workspaceId,
        interactionId: `${contactId}-${events.length}`,
        contactId,
        email: null,
        kind,
        variant: null,
        occurredAt: new Date(at).toISOString(),
        recordedAt: new Date(at).toISOString(),
        properties,
      });
    event('SUBSCRIPTION_STARTED', opts.start, { amount: 49 });
    for (let day = 0; day < opts.days; day++) {
      const disengaged = churner && day >= disengageDay;
      if (rnd() > activeDays * (disengaged ? 0.8 : 1)) continue;
      const at = opts.start + day * DAY + 9 * 3_600_000;
      if (opts.visits) event('PAGE_VISIT', at, {});
      const uses = 1 + Math.floor(rnd() * 4);
      for (let u = 0; u < uses; u++) {
        const highValue = rnd() < (disengaged ? 0.02 : highValueShare);
        const pool = highValue ? highValueFeatures : OTHER;
        event('FEATURE_USAGE', at + (u + 1) * 60_000, { feature: pool[Math.floor(rnd() * pool.length)]! });
      }
    }
    return { contactId, churner, events };
  });
}

/** Mann–Whitney: the share of (churner, stayer) pairs where the churner scores higher (ties count half). */
export function auc(churners: readonly number[], stayers: readonly number[]): number {
  let wins = 0;
  for (const c of churners) for (const s of stayers) wins += c > s ? 1 : c === s ? 0.5 : 0;
  return wins / (churners.length * stayers.length);
}
