// Engagement KPIs (NPS, CSAT, CES, FCR, AHT, lifetime value, social engagement) computed
// from contacts' folded activity, for one contact or a whole workspace.

import type { ContactActivity } from './activity';

export interface Kpis {
  /** −100..100, over each contact's latest answer; null without respondents. */
  nps: number | null;
  promoters: number;
  passives: number;
  detractors: number;
  /** Average of all answers, 1–5. */
  csat: number | null;
  /** Average of all answers, 1–7. */
  ces: number | null;
  /** Share 0–1 of the tickets that say whether they were resolved on first contact. */
  firstContactResolution: number | null;
  averageHandleTimeSeconds: number | null;
  /** Per contact its revenue; per workspace the average revenue per contact with any interaction. */
  customerLifetimeValue: number;
  /** Per contact its weighted sum; per workspace the average per contact with any interaction. */
  socialEngagement: number;
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
  let cesSum = 0;
  let cesCount = 0;
  let firstContactAnswers = 0;
  let resolvedOnFirstContact = 0;
  let handleTimeSeconds = 0;
  let handled = 0;
  let revenue = 0;
  let social = 0;
  let contacts = 0;
  for (const activity of activities) {
    if (activity.interactions > 0) contacts += 1;
    const nps = activity.nps.latest;
    if (nps !== null) {
      if (nps >= 9) promoters += 1;
      else if (nps >= 7) passives += 1;
      else detractors += 1;
    }
    csatSum += activity.csat.sum;
    csatCount += activity.csat.count;
    cesSum += activity.ces.sum;
    cesCount += activity.ces.count;
    firstContactAnswers += activity.support.firstContactAnswers;
    resolvedOnFirstContact += activity.support.resolvedOnFirstContact;
    handleTimeSeconds += activity.support.handleTimeSeconds;
    handled += activity.support.handled;
    revenue += activity.revenue;
    social += socialEngagement(activity);
  }
  const respondents = promoters + passives + detractors;
  return {
    nps: respondents > 0 ? round((100 * (promoters - detractors)) / respondents, 1) : null,
    promoters,
    passives,
    detractors,
    csat: csatCount > 0 ? round(csatSum / csatCount, 2) : null,
    ces: cesCount > 0 ? round(cesSum / cesCount, 2) : null,
    // Three decimals: a tenth of a percent.
    firstContactResolution: firstContactAnswers > 0 ? round(resolvedOnFirstContact / firstContactAnswers, 3) : null,
    averageHandleTimeSeconds: handled > 0 ? round(handleTimeSeconds / handled, 2) : null,
    customerLifetimeValue: contacts > 0 ? round(revenue / contacts, 2) : 0,
    socialEngagement: contacts > 0 ? round(social / contacts, 2) : 0,
    respondents,
    contacts,
  };
}

/** Rounds half away from zero and never returns −0. */
function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return (Math.sign(value) * Math.round(Math.abs(value) * factor)) / factor + 0;
}
