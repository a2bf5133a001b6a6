// Engagement KPIs (NPS, CSAT, CES, FCR, AHT, lifetime value, social engagement) computed
// from contacts' folded activity, for one contact or a whole workspace.

import { CES_SCALE, CSAT_SCALE, NPS_SCALE, type ContactActivity } from './activity';

export interface AnswerScale {
  min: number;
  max: number;
}

export interface Kpis {
  /** −100..100, over each contact's latest answer; null without respondents. */
  nps: number | null;
  promoters: number;
  passives: number;
  detractors: number;
  /** Average of all answers, 1–5 (deprecated in the schema: ambiguous, see `csatMean`). */
  csat: number | null;
  /** Average of all CSAT answers, 1–5. */
  csatMean: number | null;
  /** Share 0–1 of CSAT answers that are satisfied (4 or 5 of 5): the CSAT the industry reports. */
  csatSatisfiedShare: number | null;
  csatAnswers: number;
  /** Average of all answers, 1–7. */
  ces: number | null;
  cesAnswers: number;
  npsScale: AnswerScale;
  csatScale: AnswerScale;
  cesScale: AnswerScale;
  /** Share 0–1 of the tickets that say whether they were resolved on first contact. */
  firstContactResolution: number | null;
  averageHandleTimeSeconds: number | null;
  /** Per contact its revenue; per workspace the average revenue per contact with any interaction. */
  customerLifetimeValue: number;
  /**
   * Historical CLV: revenue per customer (contact with revenue > 0) = average purchase value ×
   * purchases per customer (the frequency over the lifespan so far); null without customers.
   */
  historicalCustomerLifetimeValue: number | null;
  /** Contacts with revenue > 0. */
  customers: number;
  /** Per contact its weighted sum; per workspace the average per contact with any interaction. */
  socialEngagement: number;
  /**
   * Sentiment of free texts as a CSAT signal, beside (never inside) the survey CSAT: the
   * share 0–1 of scored texts labelled POSITIVE, and the mean score −1..1; null without texts.
   */
  sentimentPositiveShare: number | null;
  sentimentNegativeShare: number | null;
  sentimentMean: number | null;
  sentimentTexts: number;
  /** Contacts with an NPS answer. */
  respondents: number;
  /** Contacts with any interaction. */
  contacts: number;
}

/**
 * Weights of social actions: sharing reaches other people, so it weighs most; removing a
 * comment or disliking is disengagement, so it subtracts.
 */
export const SOCIAL_ENGAGEMENT_WEIGHTS = {
  shares: 3,
  commentsAdded: 2,
  likes: 1,
  dislikes: -1,
  commentsRemoved: -2,
} as const;

/** A contact's weighted social engagement. */
export function socialEngagement(activity: ContactActivity): number {
  const { social } = activity;
  const w = SOCIAL_ENGAGEMENT_WEIGHTS;
  return (
    social.shares * w.shares +
    social.commentsAdded * w.commentsAdded +
    social.likes * w.likes +
    social.dislikes * w.dislikes +
    social.commentsRemoved * w.commentsRemoved
  );
}

/** One contact's KPIs: the workspace formulas over a workspace of one. */
export function contactKpis(activity: ContactActivity): Kpis {
  return workspaceKpis([activity]);
}

/**
 * A workspace's KPIs. CSAT, CES, FCR and AHT are weighted by answers (a contact who
 * answered twice counts twice); NPS counts each contact once, by its latest answer.
 */
export function workspaceKpis(activities: Iterable<ContactActivity>): Kpis {
  let promoters = 0;
  let passives = 0;
  let detractors = 0;
  let csatSum = 0;
  let csatCount = 0;
  let csatSatisfied: number | null = 0;
  let cesSum = 0;
  let cesCount = 0;
  let firstContactAnswers = 0;
  let resolvedOnFirstContact = 0;
  let handleTimeSeconds = 0;
  let handled = 0;
  let revenue = 0;
  let social = 0;
  let contacts = 0;
  let customers = 0;
  let texts = 0;
  let positiveTexts = 0;
  let negativeTexts = 0;
  let sentimentSum = 0;
  for (const activity of activities) {
    if (activity.sentiment) {
      texts += activity.sentiment.texts;
      positiveTexts += activity.sentiment.positive;
      negativeTexts += activity.sentiment.negative;
      sentimentSum += activity.sentiment.scoreSum;
    }
    if (activity.interactions > 0) contacts += 1;
    const nps = activity.nps.latest;
    if (nps !== null) {
      if (nps >= 9) promoters += 1;
      else if (nps >= 7) passives += 1;
      else detractors += 1;
    }
    csatSum += activity.csat.sum;
    csatCount += activity.csat.count;
    if (activity.csat.count > 0) {
      // A document folded before `satisfied` was counted makes the share unknown.
      const satisfied = activity.csat.satisfied;
      csatSatisfied = csatSatisfied === null || satisfied === undefined ? null : csatSatisfied + satisfied;
    }
    cesSum += activity.ces.sum;
    cesCount += activity.ces.count;
    firstContactAnswers += activity.support.firstContactAnswers;
    resolvedOnFirstContact += activity.support.resolvedOnFirstContact;
    handleTimeSeconds += activity.support.handleTimeSeconds;
    handled += activity.support.handled;
    revenue += activity.revenue;
    if (activity.revenue > 0) customers += 1;
    social += socialEngagement(activity);
  }
  const respondents = promoters + passives + detractors;
  return {
    nps: respondents > 0 ? round((100 * (promoters - detractors)) / respondents, 1) : null,
    promoters,
    passives,
    detractors,
    csat: csatCount > 0 ? round(csatSum / csatCount, 2) : null,
    csatMean: csatCount > 0 ? round(csatSum / csatCount, 2) : null,
    csatSatisfiedShare: csatCount > 0 && csatSatisfied !== null ? round(csatSatisfied / csatCount, 3) : null,
    csatAnswers: csatCount,
    ces: cesCount > 0 ? round(cesSum / cesCount, 2) : null,
    cesAnswers: cesCount,
    npsScale: { min: NPS_SCALE.min, max: NPS_SCALE.max },
    csatScale: { min: CSAT_SCALE.min, max: CSAT_SCALE.max },
    cesScale: { min: CES_SCALE.min, max: CES_SCALE.max },
    // Three decimals: a tenth of a percent.
    firstContactResolution: firstContactAnswers > 0 ? round(resolvedOnFirstContact / firstContactAnswers, 3) : null,
    averageHandleTimeSeconds: handled > 0 ? round(handleTimeSeconds / handled, 2) : null,
    customerLifetimeValue: contacts > 0 ? round(revenue / contacts, 2) : 0,
    historicalCustomerLifetimeValue: customers > 0 ? round(revenue / customers, 2) : null,
    customers,
    socialEngagement: contacts > 0 ? round(social / contacts, 2) : 0,
    sentimentPositiveShare: texts > 0 ? round(positiveTexts / texts, 3) : null,
    sentimentNegativeShare: texts > 0 ? round(negativeTexts / texts, 3) : null,
    sentimentMean: texts > 0 ? round(sentimentSum / texts, 3) : null,
    sentimentTexts: texts,
    respondents,
    contacts,
  };
}

/** Rounds half away from zero and never returns −0. */
function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return (Math.sign(value) * Math.round(Math.abs(value) * factor)) / factor + 0;
}
