// Lifecycle's settings, from the environment (the only place that reads it).
import { z } from 'zod';
import { baseEnv, listenHost, loadConfig, port } from '@cei/config';

export const lifecycleEnv = {
  ...baseEnv,
  LIFECYCLE_PORT: port(4003),
  LIFECYCLE_HOST: listenHost(),
  /**
   * How long the instance sending a policy job's requests holds the job without renewing it
   * (it renews at a third of this): once it has run out, another instance takes the job over.
   */
  CEI_POLICY_JOB_LEASE_MS: z.coerce.number().int().min(100).default(30_000),
  /** Requests per second a policy job sends (0: as fast as NATS takes them). */
  CEI_POLICY_JOB_RATE: z.coerce.number().min(0).default(0),
};

export type LifecycleConfig = ReturnType<typeof loadLifecycleConfig>;
export const loadLifecycleConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(lifecycleEnv, env);
