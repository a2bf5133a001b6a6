// The survey series: NPS as it stands at the close (each respondent's latest answer, as the
// workspace KPI counts it), and CSAT and CES answers so far; a bucket's CSAT and CES are the
// answers recorded in it: its close's sums minus those of the close before it.
import { workspaceKpis } from '../domain/kpis';
import { round } from './counts';
import type { TrendSeries } from './series';

export interface SurveyTally {
  promoters: number;
  passives: number;
  detractors: number;
  csatSum: number;
  csatAnswers: number;
  /** Null when a contact's document was folded before satisfied answers were counted. */
  csatSatisfied: number | null;
  cesSum: number;
  cesAnswers: number;
}

export const surveySeries: TrendSeries<SurveyTally> = {
  empty: () => ({
    promoters: 0,
    passives: 0,
    detractors: 0,
    csatSum: 0,
    csatAnswers: 0,
    csatSatisfied: 0,
    cesSum: 0,
    cesAnswers: 0,
  }),
  add(tally, { state: { activity } }) {
    // The NPS classes of the workspace KPI (kpis.ts), over a workspace of one.
    const kpis = workspaceKpis([activity]);
    tally.promoters += kpis.promoters;
    tally.passives += kpis.passives;
    tally.detractors += kpis.detractors;
    tally.csatSum += activity.csat.sum;
    tally.csatAnswers += activity.csat.count;
    const satisfied = activity.csat.count === 0 ? 0 : activity.csat.satisfied;
    tally.csatSatisfied =
      tally.csatSatisfied === null || satisfied === undefined ? null : tally.csatSatisfied + satisfied;
    tally.cesSum += activity.ces.sum;
    tally.cesAnswers += activity.ces.count;
    return tally;
  },
};

export interface SurveyFigures {
  nps: number | null;
  npsRespondents: number | null;
  csatMean: number | null;
  csatSatisfiedShare: number | null;
  csatAnswers: number | null;
  ces: number | null;
  cesAnswers: number | null;
}

/** A bucket's survey figures from its close and the close before it (null: that one is missing). */
export function surveyFigures(close: SurveyTally | undefined, opening: SurveyTally | undefined | null): SurveyFigures {
  const respondents = close ? close.promoters + close.passives + close.detractors : null;
  const nps = close && respondents ? round((100 * (close.promoters - close.detractors)) / respondents, 1) : null;
  if (!close || !opening) {
    return {
      nps,
      npsRespondents: respondents,
      csatMean: null,
      csatSatisfiedShare: null,
      csatAnswers: null,
      ces: null,
      cesAnswers: null,
    };
  }
  const csatAnswers = close.csatAnswers - opening.csatAnswers;
  const cesAnswers = close.cesAnswers - opening.cesAnswers;
  const satisfied =
    close.csatSatisfied === null || opening.csatSatisfied === null ? null : close.csatSatisfied - opening.csatSatisfied;
  return {
    nps,
    npsRespondents: respondents,
    csatMean: csatAnswers > 0 ? round((close.csatSum - opening.csatSum) / csatAnswers, 2) : null,
    csatSatisfiedShare: csatAnswers > 0 && satisfied !== null ? round(satisfied / csatAnswers, 3) : null,
    csatAnswers,
    ces: cesAnswers > 0 ? round((close.cesSum - opening.cesSum) / cesAnswers, 2) : null,
    cesAnswers,
  };
}
