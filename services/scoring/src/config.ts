// Scoring's settings, from the environment (the only place that reads it).
import { baseEnv, listenHost, loadConfig, port } from '@cei/config';

export const scoringEnv = { ...baseEnv, SCORING_PORT: port(4002), SCORING_HOST: listenHost() };

export type ScoringConfig = ReturnType<typeof loadScoringConfig>;
export const loadScoringConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(scoringEnv, env);
