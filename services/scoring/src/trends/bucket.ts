// A trend bucket as the resolvers see it: its period, the tallies of its close (the snapshot of
// its last day, or now while it runs) and of the close before it (the snapshot of the day before
// it starts). The figures are computed from them per field (engagement.ts, churn.ts, surveys.ts).
import type { TrendPeriod } from '@cei/contracts';
import type { ClosingTallies } from './series';
import { surveyFigures, type SurveyFigures } from './surveys';

export interface BucketCloses {
  period: TrendPeriod;
  /** False while the period runs. */
  closed: boolean;
  /** When the close was read (null: no snapshot was taken for it). */
  snapshotAt: Date | null;
  close: ClosingTallies | null;
  /** Null when the close before the period was not taken. */
  opening: ClosingTallies | null;
}

export const surveysOf = ({ close, opening }: BucketCloses): SurveyFigures =>
  surveyFigures(close?.series.surveys, opening && (opening.series.surveys ?? null));
