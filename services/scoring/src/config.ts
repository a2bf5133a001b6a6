// Scoring's settings, from the environment (the only place that reads it).
import { z } from 'zod';
import { baseEnv, listenHost, loadConfig, port } from '@cei/config';

export const scoringEnv = {
  ...baseEnv,
  SCORING_PORT: port(4002),
  SCORING_HOST: listenHost(),
  /** How often each instance checks whether the nightly trend snapshot is due (jobs/trend-snapshots.ts). */
  CEI_TREND_CHECK_SECONDS: z.coerce.number().positive().max(3600).default(60),
  /**
   * How long the instance sending a recompute job's requests holds the job without renewing it
   * (it renews at a third of this): once it has run out, another instance takes the job over.
   */
  CEI_RECOMPUTE_JOB_LEASE_MS: z.coerce.number().int().min(100).default(30_000),
  /** Requests per second a recompute job sends (0: as fast as NATS takes them). */
  CEI_RECOMPUTE_JOB_RATE: z.coerce.number().min(0).default(0),
};

export type ScoringConfig = ReturnType<typeof loadScoringConfig>;
export const loadScoringConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(scoringEnv, env);
