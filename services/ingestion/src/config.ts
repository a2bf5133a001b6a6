// Ingestion's settings, from the environment (the only place that reads it).
import { z } from 'zod';
import { baseEnv, listenHost, loadConfig, port } from '@cei/config';

export const ingestionEnv = {
  ...baseEnv,
  INGESTION_PORT: port(4001),
  INGESTION_HOST: listenHost(),
  /** Most interactions one trackInteractions call may carry. */
  MAX_BATCH_SIZE: z.coerce.number().int().positive().default(500),
  /** How often unpublished interactions are looked for (a crash between store and publish). */
  OUTBOX_SWEEP_MS: z.coerce.number().int().positive().default(5_000),
  /** The sweeper publishes outbox entries older than this: their request has let go of them. */
  OUTBOX_GRACE_MS: z.coerce.number().int().positive().default(30_000),
};

export type IngestionConfig = ReturnType<typeof loadIngestionConfig>;
export const loadIngestionConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(ingestionEnv, env);
