import { emptyActivity, recordActivity, type ActivityInput, type ContactActivity } from './activity';
import {
  LIKELIHOOD_MODELS,
  likelihoods,
  phaseLikelihoods,
  type Likelihood,
  type LikelihoodKind,
  type SignalName,
} from './likelihoods';

const interaction = (
  kind: string,
  occurredAt: string,
  properties: Record<string, unknown> = {},
  points = 1,
): ActivityInput => ({ kind, variant: null, occurredAt, properties, points });
const fold = (inputs: ActivityInput[]): ContactActivity => inputs.reduce(recordActivity, emptyActivity());
const byKind = (all: Likelihood[], kind: LikelihoodKind): Likelihood => {
  const found = all.find((likelihood) => likelihood.kind === kind);
  if (!found) throw new Error(`no ${kind} likelihood`);
  return found;
};
const probability = (activity: ContactActivity, now: Date, kind: LikelihoodKind): number =>
  byKind(likelihoods(activity, now), kind).probability;

// A Wednesday, so the current week (of Monday 2024-03-11) is partly over.
const now = new Date('2024-03-13T12:00:00Z');

// A paying subscriber who uses the product, answered 9, and whose score fell a little.
const subscriber = fold([
  interaction('SUBSCRIPTION_STARTED', '2024-02-05T09:00:00Z', { amount: 100 }, 20),
  interaction('FEATURE_USAGE', '2024-02-14T09:00:00Z', {}, 2),
  interaction('FEATURE_USAGE', '2024-03-04T09:00:00Z', {}, 2),
  interaction('FEATURE_USAGE', '2024-03-11T09:00:00Z', {}, 2),
  interaction('FEATURE_USAGE', '2024-03-11T10:00:00Z', {}, 2),
  interaction('FEATURE_USAGE', '2024-03-11T11:00:00Z', {}, 2),
  interaction('SURVEY_RESPONSE', '2024-03-12T12:00:00Z', { nps: 9 }, 5),
]);

// Its signals, worked out by hand from the interactions above:
//   RECENCY: last interaction 1 day before now → e^(−1/14)
//   FREQUENCY: the weeks overlapping the 30 days since 2024-02-12T12:00 are those of
//     02-12 (1), 03-04 (1) and 03-11 (4) → 6 interactions → 0.6
//   MONETARY: revenue 100 → 1 − e^(−100/500)
//   SCORE_TREND: weeks 02-19..03-11 earned 2 + 11 = 13, weeks 01-22..02-12 earned 20 + 2 = 22
//     → −9 → tanh(−9/50)
//   NPS: 9 → (9 − 7)/3
//   PRODUCT_USAGE: 5 usage interactions in those weeks → 5/20
//   The product-usage signals: no usage profile given → no measure, left out of explanations.
const values: Record<SignalName, number | null> = {
  RECENCY: 1,
  FREQUENCY: 6,
  MONETARY: 100,
  SCORE_TREND: -9,
  NPS: 9,
  PRODUCT_USAGE: 5,
  HIGH_VALUE_UNUSED: null,
  HIGH_VALUE_IDLE: null,
  USAGE_BREADTH: null,
  USAGE_DEPTH: null,
  STICKINESS: null,
  FEATURE_ERRORS: null,
};
const features: Record<SignalName, number> = {
  RECENCY: Math.exp(-1 / 14),
  FREQUENCY: 0.6,
  MONETARY: 1 - Math.exp(-0.2),
  SCORE_TREND: Math.tanh(-0.18),
  NPS: 2 / 3,
  PRODUCT_USAGE: 0.25,
  HIGH_VALUE_UNUSED: 0,
  HIGH_VALUE_IDLE: 0,
  USAGE_BREADTH: 0,
  USAGE_DEPTH: 0,
  STICKINESS: 0,
  FEATURE_ERRORS: 0,
};

/** The documented formula: σ(bias + Σ weight × feature), rounded to 3 decimals. */
function expectedProbability(kind: LikelihoodKind): number {
  const model = LIKELIHOOD_MODELS[kind];
  let logOdds = model.bias;
  for (const [signal, weight] of Object.entries(model.weights) as [SignalName, number][]) {
    logOdds += weight * features[signal];
  }
  return Math.round(1000 / (1 + Math.exp(-logOdds))) / 1000;
}

describe('likelihoods', () => {
  it('gives all seven kinds, in a fixed order', () => {
    expect(likelihoods(subscriber, now).map((likelihood) => likelihood.kind)).toEqual([
      'PURCHASE',
      'FREE_TO_PAID',
      'UPGRADE',
      'CHURN',
      'RECOMMENDATION',
      'TRIAL_SUCCESS',
      'PRODUCT_SUCCESS',
    ]);
  });

  it.each(['PURCHASE', 'UPGRADE', 'CHURN', 'RECOMMENDATION'] as const)(
    'follows the logistic formula of the weights table for %s',
    (kind) => {
      const likelihood = byKind(likelihoods(subscriber, now), kind);
      expect(likelihood.probability).toBe(expectedProbability(kind));
      const weights = LIKELIHOOD_MODELS[kind].weights;
      const measured = (Object.keys(weights) as SignalName[]).filter((signal) => values[signal] !== null);
      expect(likelihood.signals.map((signal) => signal.signal).sort()).toEqual(measured.sort());
      for (const signal of likelihood.signals) {
        expect(signal.value).toBe(values[signal.signal]);
        expect(signal.contribution).toBeCloseTo((weights[signal.signal] ?? 0) * features[signal.signal], 3);
      }
      const sizes = likelihood.signals.map((signal) => Math.abs(signal.contribution));
      expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    },
  );

  it('explains churn of the subscriber by recency first', () => {
    // −2.5 × e^(−1/14) ≈ −2.328 is the largest contribution; MONETARY −0.5 × 0.181 the smallest.
    const churn = byKind(likelihoods(subscriber, now), 'CHURN');
    expect(churn.signals[0]).toEqual({ signal: 'RECENCY', value: 1, contribution: -2.328 });
    expect(churn.signals.at(-1)).toEqual({ signal: 'MONETARY', value: 100, contribution: -0.091 });
  });

  it('omits signals without weight', () => {
    const recommendation = byKind(likelihoods(subscriber, now), 'RECOMMENDATION');
    expect(recommendation.signals.map((signal) => signal.signal)).not.toContain('MONETARY');
  });

  it('gives free→paid 0 without signals once the contact pays, and upgrade 0 until it does', () => {
    expect(byKind(likelihoods(subscriber, now), 'FREE_TO_PAID')).toEqual({
      kind: 'FREE_TO_PAID',
      probability: 0,
      signals: [],
    });
    const freePlan = fold([
      interaction('SUBSCRIPTION_STARTED', '2024-03-01T09:00:00Z', { amount: 0 }),
      // 8 uses: usage 2.5 × 8/20 = 1.0 outweighs frequency 1.0 × 9/10 and recency 0.5 × e^(−1/14).
      ...Array.from({ length: 8 }, (_, i) => interaction('FEATURE_USAGE', `2024-03-12T0${i}:00:00Z`)),
    ]);
    const all = likelihoods(freePlan, now);
    expect(byKind(all, 'FREE_TO_PAID').probability).toBeGreaterThan(0);
    expect(byKind(all, 'FREE_TO_PAID').signals[0]?.signal).toBe('PRODUCT_USAGE');
    expect(byKind(all, 'UPGRADE')).toEqual({ kind: 'UPGRADE', probability: 0, signals: [] });
  });

  it('gives a contact without activity the biases alone', () => {
    const all = likelihoods(emptyActivity(), now);
    const sigmoid = (x: number) => Math.round(1000 / (1 + Math.exp(-x))) / 1000;
    expect(byKind(all, 'CHURN').probability).toBe(sigmoid(LIKELIHOOD_MODELS.CHURN.bias));
    expect(byKind(all, 'PURCHASE').probability).toBe(sigmoid(LIKELIHOOD_MODELS.PURCHASE.bias));
    expect(byKind(all, 'RECOMMENDATION').signals.find((signal) => signal.signal === 'NPS')).toEqual({
      signal: 'NPS',
      value: null,
      contribution: 0,
    });
    expect(byKind(all, 'CHURN').signals.find((signal) => signal.signal === 'RECENCY')?.value).toBeNull();
  });

  describe('monotonicity', () => {
    const lastSeen = new Date('2024-03-12T12:00:00Z');
    const daysLater = (days: number) => new Date(lastSeen.getTime() + days * 86_400_000);

    it('makes churn likelier for a contact inactive for 90 days than for one active yesterday', () => {
      expect(probability(subscriber, daysLater(90), 'CHURN')).toBeGreaterThan(
        probability(subscriber, daysLater(1), 'CHURN'),
      );
    });

    it('makes churn rise steadily with inactivity', () => {
      const churn = [0, 7, 14, 30, 60, 90].map((days) => probability(subscriber, daysLater(days), 'CHURN'));
      for (let i = 1; i < churn.length; i++) expect(churn[i]).toBeGreaterThanOrEqual(churn[i - 1] ?? 0);
      expect(churn.at(-1)).toBeGreaterThan(churn[0] ?? 1);
    });

    it('makes recommendation likelier for a promoter (10) than for a detractor (2)', () => {
      const answering = (nps: number) =>
        recordActivity(subscriber, interaction('SURVEY_RESPONSE', '2024-03-13T08:00:00Z', { nps }));
      const promoter = probability(answering(10), now, 'RECOMMENDATION');
      const detractor = probability(answering(2), now, 'RECOMMENDATION');
      expect(promoter).toBeGreaterThan(detractor);
      expect(promoter).toBeGreaterThan(0.5);
      expect(detractor).toBeLessThan(0.1);
    });
  });

  it('keeps every probability in [0, 1] with 3 decimals, even for extreme activity', () => {
    const heavy = fold(
      Array.from({ length: 200 }, (_, i) =>
        interaction('FEATURE_USAGE', new Date(Date.UTC(2024, 2, 12, 0, i)).toISOString(), {}, 100),
      ).concat([interaction('PURCHASE', '2024-03-12T09:00:00Z', { amount: 1e9 })]),
    );
    const detractor = fold([interaction('SURVEY_RESPONSE', '2023-01-01T00:00:00Z', { nps: 0 }, -1000)]);
    for (const activity of [heavy, detractor, subscriber, emptyActivity()]) {
      for (const likelihood of likelihoods(activity, now)) {
        expect(likelihood.probability).toBeGreaterThanOrEqual(0);
        expect(likelihood.probability).toBeLessThanOrEqual(1);
        expect(Math.round(likelihood.probability * 1000) / 1000).toBe(likelihood.probability);
      }
    }
  });
});

describe('phaseLikelihoods (what a score change carries)', () => {
  it('gives the same churn and purchase probabilities as the explained likelihoods, for any activity', () => {
    for (const activity of [emptyActivity(), subscriber]) {
      expect(phaseLikelihoods(activity, now)).toEqual({
        churn: probability(activity, now, 'CHURN'),
        purchase: probability(activity, now, 'PURCHASE'),
      });
    }
  });
});
