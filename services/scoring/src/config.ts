// Scoring's settings, from the environment (the only place that reads it).
import { z } from 'zod';
import { baseEnv, listenHost, loadConfig, port } from '@cei/config';

export const scoringEnv = {
  ...baseEnv,
  SCORING_PORT: port(4002),
  SCORING_HOST: listenHost(),
  /** How often each instance checks whether the nightly trend snapshot is due (jobs/trend-snapshots.ts). */
  CEI_TREND_CHECK_SECONDS: z.coerce.number().positive().max(3600).default(60),
};

export type ScoringConfig = ReturnType<typeof loadScoringConfig>;
export const loadScoringConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(scoringEnv, env);
