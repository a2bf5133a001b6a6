// Typed configuration from the environment: one zod schema per process, every
// problem printed at once, with defaults that make the local run work.
import { z } from 'zod';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Settings every service shares. */
export const baseEnv = {
  NATS_URL: z.string().default('nats://127.0.0.1:4222'),
  MONGO_URL: z.string().default('mongodb://127.0.0.1:27017/'),
  /** Root token of every subject, stream and database name: isolates deployments sharing servers. */
  CEI_NAMESPACE: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,30}$/, 'lower-case letters, digits and _ (it becomes a NATS subject token)')
    .default('cei'),
  /** Shared by the gateway (signs) and the subgraphs (verify). */
  CEI_INTERNAL_SECRET: z.string().min(16, 'use at least 16 characters').default('cei-local-development-secret'),
  /** JetStream replicas of CEI's streams: 1 on one machine, 3 on a NATS cluster. */
  CEI_STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** Interface to listen on: loopback by default (a laptop); 0.0.0.0 in containers. */
export const listenHost = () => z.string().default('127.0.0.1');

/**
 * Parses `env` with the given shape. Throws a ConfigError listing every invalid
 * variable and what it must look like.
 */
export function loadConfig<S extends z.ZodRawShape>(
  shape: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<z.ZodObject<S>> {
  const result = z.object(shape).safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(
      `invalid configuration:\n${lines.join('\n')}\nset these environment variables and start again`,
    );
  }
  return result.data;
}

/** The database name a service uses: one database per service, namespaced. */
export function databaseName(namespace: string, service: string): string {
  return `${namespace}_${service}`;
}
