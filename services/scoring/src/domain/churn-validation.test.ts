// Validates the churn likelihood on a population with known behaviour: customers who will
// cancel stop using the high-value features weeks before (they keep logging in for the rest),
// customers who stay keep using them. Every contact goes through the scorer's own step
// (applyInput: rules, decay, activity, usage) and the likelihood the API answers; the churn
// likelihood must rank churners above stayers (AUC, the probability that a random churner
// ranks above a random stayer).
import type { InteractionRecorded } from '@cei/contracts';
import { applyInput, startProgress, type ContactProgress } from './contact-step';
import { emptyState, type ScoringPolicy } from './score-state';
import { likelihoods } from './likelihoods';
import { likelihoodUsage, type FeatureCatalog, type ProductFeature } from './product-usage';
import { rule } from './rule-fixtures';
import type { ScoringRule } from './rules';

const DAY = 86_400_000;
const START = Date.parse('2024-01-01T00:00:00Z');
const OBSERVED_DAYS = 84;
/** Where churn is predicted: the end of the observation, a week before the churners cancel. */
const NOW = new Date(START + OBSERVED_DAYS * DAY);

const HIGH_VALUE = ['reports', 'api', 'automation'];
const OTHER = ['export', 'themes', 'search', 'profile'];
const catalog: FeatureCatalog = new Map<string, ProductFeature>([
  ...HIGH_VALUE.map((key) => [key, { key, name: key, highValue: true }] as const),
  ...OTHER.map((key) => [key, { key, name: key, highValue: false }] as const),
]);

const general = (kind: NonNullable<ScoringRule['kind']>, points: number) =>
  rule({ ruleId: `${kind}:*`, type: 'GENERAL', kind, effect: { general: points, stage: 0, tags: [] } });
const policy: ScoringPolicy = {
  rules: [general('FEATURE_USAGE', 2), general('PAGE_VISIT', 1), general('SUBSCRIPTION_STARTED', 20)],
  halfLifeDays: 30,
};

/** mulberry32: a seeded generator, so the population (and the AUC) is the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Behaviour {
  churner: boolean;
  /** Share of days the contact is active. */
  activeDays: number;
  /** Share of uses that go to a high-value feature (before a churner disengages). */
  highValueShare: number;
  /** The high-value features this contact uses. */
  highValueFeatures: string[];
  /** Churners: the day from which high-value features are (almost) no longer used. */
  disengageDay: number;
}

function behaviourOf(churner: boolean, rnd: () => number): Behaviour {
  const count = 1 + Math.floor(rnd() * HIGH_VALUE.length);
  return {
    churner,
    activeDays: 0.3 + rnd() * 0.5,
    // Some stayers barely touch the high-value features either: the ranking is not trivially perfect.
    highValueShare: rnd() < 0.2 ? 0.05 : 0.3 + rnd() * 0.3,
    highValueFeatures: HIGH_VALUE.slice(0, count),
    // Three to six weeks before the end of the observation.
    disengageDay: OBSERVED_DAYS - 21 - Math.floor(rnd() * 22),
  };
}

function interactionsOf(contactId: string, b: Behaviour, rnd: () => number): InteractionRecorded[] {
  const events: InteractionRecorded[] = [];
  const event = (kind: InteractionRecorded['kind'], at: number, properties: Record<string, unknown>) =>
    events.push({
      v: 1,
      workspaceId: 'ws-churn',
      interactionId: `${contactId}-${events.length}`,
      contactId,
      email: null,
      kind,
      variant: null,
      occurredAt: new Date(at).toISOString(),
      recordedAt: new Date(at).toISOString(),
      properties,
    });
  event('SUBSCRIPTION_STARTED', START, { amount: 49 });
  for (let day = 0; day < OBSERVED_DAYS; day++) {
    const disengaged = b.churner && day >= b.disengageDay;
    // Churners log in a little less once disengaged, but keep coming.
    if (rnd() > b.activeDays * (disengaged ? 0.8 : 1)) continue;
    const at = START + day * DAY + 9 * 3_600_000;
    event('PAGE_VISIT', at, {});
    const uses = 1 + Math.floor(rnd() * 4);
    for (let i = 0; i < uses; i++) {
      const highValue = rnd() < (disengaged ? 0.02 : b.highValueShare);
      const pool = highValue ? b.highValueFeatures : OTHER;
      const feature = pool[Math.floor(rnd() * pool.length)]!;
      event('FEATURE_USAGE', at + (i + 1) * 60_000, { feature });
    }
  }
  return events;
}

function scored(contactId: string, events: InteractionRecorded[]): ContactProgress {
  let progress = startProgress({
    workspaceId: 'ws-churn',
    contactId,
    state: emptyState(),
    lastSeq: 0,
    recentInteractionIds: [],
    published: 0,
    decayCheckAt: null,
  });
  events.forEach((event, i) => {
    progress = applyInput(
      progress,
      { event, seq: i + 1 },
      { at: new Date(event.occurredAt), policy, features: catalog, job: () => null, storedRecords: null },
    );
  });
  return progress;
}

/** Mann–Whitney: the share of (churner, stayer) pairs where the churner scores higher (ties count half). */
function auc(churners: number[], stayers: number[]): number {
  let wins = 0;
  for (const c of churners) for (const s of stayers) wins += c > s ? 1 : c === s ? 0.5 : 0;
  return wins / (churners.length * stayers.length);
}

const churnOf = (progress: ContactProgress, withCatalog: FeatureCatalog) =>
  likelihoods(progress.state.activity, NOW, likelihoodUsage(progress.usage, withCatalog, NOW)).find(
    (l) => l.kind === 'CHURN',
  )!.probability;

describe('churn likelihood on a population with known behaviour', () => {
  const rnd = random(20261202);
  const population = Array.from({ length: 200 }, (_, i) => {
    const churner = i % 2 === 0;
    const contactId = `c${i}`;
    const behaviour = behaviourOf(churner, rnd);
    return { churner, progress: scored(contactId, interactionsOf(contactId, behaviour, rnd)) };
  });

  it('ranks the churners above the stayers (AUC > 0.8)', () => {
    const churners = population.filter((c) => c.churner).map((c) => churnOf(c.progress, catalog));
    const stayers = population.filter((c) => !c.churner).map((c) => churnOf(c.progress, catalog));
    const measured = auc(churners, stayers);
    // Without declared features the model sees activity only, which both groups keep up.
    const withoutUsage = auc(
      population.filter((c) => c.churner).map((c) => churnOf(c.progress, new Map())),
      population.filter((c) => !c.churner).map((c) => churnOf(c.progress, new Map())),
    );
    console.log(
      `churn likelihood AUC, 100 churners vs 100 stayers: ${measured.toFixed(3)} with product-usage signals, ` +
        `${withoutUsage.toFixed(3)} without declared features`,
    );
    expect(measured).toBeGreaterThan(0.8);
    expect(measured).toBeGreaterThan(withoutUsage);
  });

  it('explains it by the unused high-value features: churners’ contribution is larger on average', () => {
    const mean = (churner: boolean) => {
      const contributions = population
        .filter((c) => c.churner === churner)
        .map(({ progress }) => {
          const churn = likelihoods(progress.state.activity, NOW, likelihoodUsage(progress.usage, catalog, NOW)).find(
            (l) => l.kind === 'CHURN',
          )!;
          return churn.signals.find((s) => s.signal === 'HIGH_VALUE_UNUSED')?.contribution ?? 0;
        });
      return contributions.reduce((sum, c) => sum + c, 0) / contributions.length;
    };
    expect(mean(true)).toBeGreaterThan(mean(false) + 0.5);
  });
});
