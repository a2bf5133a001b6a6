// The trend series on hand-computed figures: exact quartiles from counts per value, churn risk
// at a threshold, survey answers of a period as the difference of two closes, and which
// contacts a close counts.
import { emptyActivity, recordActivity, type ContactActivity } from '../domain/activity';
import { emptyState, type ScoreState } from '../domain/score-state';
import { churnRiskCount } from './churn';
import { engagementDistribution } from './engagement';
import { tallyContacts } from './series';
import { contactAtClose } from './snapshot';
import { emptyUsage, recordUsage, usageProfile, type FeatureCatalog } from '../domain/product-usage';
import { surveyFigures } from './surveys';

const CLOSE = new Date('2027-03-05T23:59:59.999Z');

function contact(general: number, interactions: { at: string; kind?: string; properties?: Record<string, unknown> }[]) {
  let activity: ContactActivity = emptyActivity();
  for (const { at, kind = 'PAGE_VISIT', properties = {} } of interactions) {
    activity = recordActivity(activity, { kind, variant: null, occurredAt: at, properties, points: 10 });
  }
  const state: ScoreState = {
    ...emptyState(),
    general,
    asOf: interactions.at(-1)?.at ?? null,
    scoredInteractions: interactions.length,
    activity,
  };
  return state;
}

const at = (state: ScoreState, halfLifeDays: number | null = null) => contactAtClose(state, halfLifeDays, CLOSE)!;

describe('trend series', () => {
  it('gives exact quartiles, mean and histogram of the engagement index', () => {
    // General 5, 10, 10, 30 → index 4.9, 9.5, 9.5, 25.9.
    const today = [{ at: '2027-03-05T10:00:00Z' }];
    const { series, contacts } = tallyContacts([5, 10, 10, 30].map((g) => at(contact(g, today))));
    expect(contacts).toBe(4);
    const distribution = engagementDistribution(series.engagement);
    expect(distribution).toMatchObject({
      contacts: 4,
      // (4.9 + 9.5 + 9.5 + 25.9) / 4
      mean: 12.45,
      // rank 0.75: 4.9 + 0.75 × (9.5 − 4.9)
      p25: 8.35,
      median: 9.5,
      // rank 2.25: 9.5 + 0.25 × (25.9 − 9.5)
      p75: 13.6,
    });
    expect(distribution.histogram.map((bin) => bin.contacts)).toEqual([3, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(distribution.histogram[0]).toEqual({ from: 0, to: 10, contacts: 3 });
    expect(distribution.histogram[2]).toEqual({ from: 20, to: 30, contacts: 1 });
    expect(engagementDistribution({ counts: {} })).toMatchObject({ contacts: 0, mean: null, median: null });
  });

  it('reads the index decayed to the close, and leaves out contacts first seen after it', () => {
    const decayed = at(contact(80, [{ at: '2027-02-23T23:59:59.999Z' }]), 10);
    expect(decayed.general).toBeCloseTo(40, 6);
    expect(contactAtClose(contact(50, [{ at: '2027-03-06T00:10:00Z' }]), null, CLOSE)).toBeNull();
  });

  it('counts the contacts at or above a churn threshold', () => {
    const active = contact(10, [{ at: '2027-03-05T10:00:00Z' }]);
    const quiet = contact(10, [{ at: '2027-01-05T10:00:00Z' }]);
    const { series } = tallyContacts([at(active), at(quiet), at(quiet)]);
    // Quiet for two months: the bias alone is left, just under 0.73; active today: far below.
    expect(churnRiskCount(series.churn, 0.7)).toBe(2);
    expect(churnRiskCount(series.churn, 0.73)).toBe(0);
    expect(churnRiskCount(series.churn, 0)).toBe(3);
  });

  it('counts churn risk with product usage, as Contact.likelihoods does', () => {
    // Used "export" today at 10:00 (10 points); the workspace declares one high-value feature, api, never used.
    const today = '2027-03-05T10:00:00Z';
    const state = contact(10, [{ at: today, kind: 'FEATURE_USAGE', properties: { feature: 'export' } }]);
    const catalog: FeatureCatalog = new Map([['api', { key: 'api', name: 'API', highValue: true }]]);
    const usage = recordUsage(emptyUsage(), {
      kind: 'FEATURE_USAGE',
      occurredAt: today,
      properties: { feature: 'export' },
    });
    const withUsage = contactAtClose(state, null, CLOSE, usageProfile(usage, catalog, CLOSE))!;
    // Recency 13.9999 h = 0.58333 days → −2.5 × e^(−0.58333/14) = −2.398; frequency −0.1; usage 1/20 × −1.5 = −0.075;
    // trend +10 → −1.5 × tanh(0.2) = −0.296; stickiness 1 day → −0.05; api unused 1 of 1 → +1.5.
    // σ(1 − 2.398 − 0.1 − 0.075 − 0.296 − 0.05 + 1.5) = σ(−0.419) = 0.397; without usage σ(−1.869) = 0.134.
    const { series } = tallyContacts([withUsage]);
    expect(churnRiskCount(series.churn, 0.397)).toBe(1);
    expect(churnRiskCount(series.churn, 0.398)).toBe(0);
    const { series: without } = tallyContacts([at(state)]);
    expect(churnRiskCount(without.churn, 0.134)).toBe(1);
    expect(churnRiskCount(without.churn, 0.135)).toBe(0);
  });

  it('takes NPS at the close and the CSAT and CES answers recorded between two closes', () => {
    const day1 = [{ at: '2027-03-04T10:00:00Z', kind: 'SURVEY_RESPONSE', properties: { nps: 10, csat: 5, ces: 6 } }];
    const day2 = [
      ...day1,
      { at: '2027-03-05T10:00:00Z', kind: 'SURVEY_RESPONSE', properties: { nps: 3, csat: 2, ces: 2 } },
    ];
    const other = [{ at: '2027-03-05T11:00:00Z', kind: 'SURVEY_RESPONSE', properties: { nps: 8, csat: 4 } }];
    const opening = tallyContacts([at(contact(5, day1))]).series.surveys;
    const close = tallyContacts([at(contact(10, day2)), at(contact(5, other))]).series.surveys;
    expect(surveyFigures(close, opening)).toEqual({
      // Latest answers at the close: 3 (detractor) and 8 (passive).
      nps: -50,
      npsRespondents: 2,
      // Recorded in the period: 2 and 4.
      csatMean: 3,
      csatSatisfiedShare: 0.5,
      csatAnswers: 2,
      ces: 2,
      cesAnswers: 1,
    });
    expect(surveyFigures(close, null)).toMatchObject({ nps: -50, csatMean: null, csatAnswers: null });
  });
});
