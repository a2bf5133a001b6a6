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
import { likelihoodUsage, type FeatureCatalog } from './product-usage';
import { auc, CHURN_CATALOG, churnPopulation } from './churn-population';
import { rule } from './rule-fixtures';
import type { ScoringRule } from './rules';

const DAY = 86_400_000;
const START = Date.parse('2024-01-01T00:00:00Z');
const OBSERVED_DAYS = 84;
/** Where churn is predicted: the end of the observation. */
const NOW = new Date(START + OBSERVED_DAYS * DAY);
const catalog = CHURN_CATALOG;

const general = (kind: NonNullable<ScoringRule['kind']>, points: number) =>
  rule({ ruleId: `${kind}:*`, type: 'GENERAL', kind, effect: { general: points, stage: 0, tags: [] } });
const policy: ScoringPolicy = {
  rules: [general('FEATURE_USAGE', 2), general('PAGE_VISIT', 1), general('SUBSCRIPTION_STARTED', 20)],
  halfLifeDays: 30,
};

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

const churnOf = (progress: ContactProgress, withCatalog: FeatureCatalog) =>
  likelihoods(progress.state.activity, NOW, likelihoodUsage(progress.usage, withCatalog, NOW)).find(
    (l) => l.kind === 'CHURN',
  )!.probability;

const churnersVsStayers = (
  population: { churner: boolean; progress: ContactProgress }[],
  withCatalog: FeatureCatalog,
) =>
  auc(
    population.filter((c) => c.churner).map((c) => churnOf(c.progress, withCatalog)),
    population.filter((c) => !c.churner).map((c) => churnOf(c.progress, withCatalog)),
  );

describe('churn likelihood on populations with known behaviour', () => {
  // Three independent draws of the same behaviour: the figure must hold for each, not for one lucky draw.
  const populations = [20261202, 7, 42].map((seed) => ({
    seed,
    contacts: churnPopulation({
      workspaceId: 'ws-churn',
      size: 200,
      seed,
      start: START,
      days: OBSERVED_DAYS,
      visits: true,
    }).map(({ contactId, churner, events }) => ({ churner, progress: scored(contactId, events) })),
  }));

  it('ranks the churners above the stayers (AUC > 0.8 in every draw)', () => {
    const measured = populations.map(({ seed, contacts }) => ({
      seed,
      withUsage: churnersVsStayers(contacts, catalog),
      // Without declared features the model sees activity only, which both groups keep up.
      withoutUsage: churnersVsStayers(contacts, new Map()),
    }));
    for (const { seed, withUsage, withoutUsage } of measured) {
      console.log(
        `seed ${seed}: churn likelihood AUC, 100 churners vs 100 stayers: ${withUsage.toFixed(3)} with ` +
          `product-usage signals, ${withoutUsage.toFixed(3)} without declared features`,
      );
    }
    for (const { withUsage, withoutUsage } of measured) {
      expect(withUsage).toBeGreaterThan(0.8);
      expect(withUsage).toBeGreaterThan(withoutUsage);
    }
  });

  it('explains it by the high-value features: their contribution is larger for churners on average', () => {
    const { contacts } = populations[0]!;
    const mean = (churner: boolean) => {
      const contributions = contacts
        .filter((c) => c.churner === churner)
        .map(({ progress }) => {
          const churn = likelihoods(progress.state.activity, NOW, likelihoodUsage(progress.usage, catalog, NOW)).find(
            (l) => l.kind === 'CHURN',
          )!;
          return churn.signals
            .filter((s) => s.signal === 'HIGH_VALUE_UNUSED' || s.signal === 'HIGH_VALUE_IDLE')
            .reduce((sum, s) => sum + s.contribution, 0);
        });
      return contributions.reduce((sum, c) => sum + c, 0) / contributions.length;
    };
    expect(mean(true)).toBeGreaterThan(mean(false) + 0.5);
  });
});
