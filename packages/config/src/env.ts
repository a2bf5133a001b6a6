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
  /**
   * Shared by the gateway (signs) and the subgraphs (verify). Required, with no default: a
   * well-known value would let anyone who reaches a subgraph act as any workspace. `pnpm start`
   * and the test harness generate one per run.
   */
  CEI_INTERNAL_SECRET: z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? 'required: the secret the gateway signs and the subgraphs verify each request with; the same random value (at least 16 characters, e.g. `openssl rand -base64 48`) for the gateway and every subgraph'
          : 'must be a string',
    })
    .min(16, 'use at least 16 random characters, e.g. `openssl rand -base64 48`'),
  /** JetStream replicas of CEI's streams: 1 on one machine, 3 on a NATS cluster. */
  CEI_STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  /**
   * How many contacts' state documents each ordered consumer keeps in memory while it
   * owns their partitions (the rest are read from the database when their events come).
   */
  CEI_STATE_CACHE_CONTACTS: z.coerce.number().int().min(0).default(20_000),
  /**
   * The most events an ordered consumer applies in one batch of a partition. Under a
   * backlog, batches fill up and each contact is written once per batch however many of
   * its events the batch holds; with no backlog a batch is what has arrived. A consumer holds
   * one batch per partition (JetStream's max_ack_pending), as payloads, and decodes only the
   * batches it applies (4 partitions at a time), so memory grows little with it: 4,000 drained
   * `pnpm bench:pipeline` (60k/10k) 1.3× faster than 2,000, at 5.8 instead of 7.6 ms of CPU per
   * interaction; 10,000 drained the whole `pnpm bench`'s 200k 1.3× faster than 4,000 (0.92 instead
   * of 1.05 ms per interaction in `bench:pipeline` 200k/10k), scoring's RSS at the end unchanged
   * (docs/benchmarks.md, sixteenth session).
   */
  CEI_CONSUMER_BATCH: z.coerce.number().int().min(1).max(10_000).default(10_000),
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

/** For a process's main: its configuration, or every problem printed (no stack trace) and exit 1. */
export function configOrExit<T>(load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    return process.exit(1);
  }
}

/** The database name a service uses: one database per service, namespaced. */
export function databaseName(namespace: string, service: string): string {
  return `${namespace}_${service}`;
}
