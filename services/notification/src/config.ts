// Notification's settings, from the environment (the only place that reads it).
import { z } from 'zod';
import { baseEnv, listenHost, loadConfig, port } from '@cei/config';

const ms = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

export const notificationEnv = {
  ...baseEnv,
  NOTIFICATION_PORT: port(4004),
  NOTIFICATION_HOST: listenHost(),
  /** Attempts of one webhook delivery before it is dead-lettered (replayable by mutation). */
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /** The first retry's delay; doubled per attempt (with jitter) up to WEBHOOK_RETRY_MAX_MS. */
  WEBHOOK_RETRY_BASE_MS: ms(2_000),
  WEBHOOK_RETRY_MAX_MS: ms(300_000),
  /** One attempt's deadline (connect + response). Below the consumer's ack wait. */
  WEBHOOK_TIMEOUT_MS: ms(10_000),
  /** Requests in flight at once to one endpoint. */
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** An endpoint failing without a single success for this long is disabled (and shown so to admins). */
  WEBHOOK_DISABLE_AFTER_MS: ms(24 * 3600_000),
  /**
   * Private, loopback and link-local addresses webhooks may reach anyway, per workspace:
   * comma-separated `<workspace|*>=<ip>` (e.g. `*=127.0.0.1` for tests and a local run).
   * Empty (the default): every such address is refused, at registration, after DNS
   * resolution and on redirects.
   */
  WEBHOOK_ALLOW_PRIVATE: z.string().default(''),
  /** Where emails of notification rules go (smtp://host:port); unset: they are audited as SKIPPED_NO_SMTP. */
  SMTP_URL: z.string().url().optional(),
  /** The From of those emails. */
  MAIL_FROM: z.string().default('CEI <notifications@cei.local>'),
};

export type NotificationConfig = ReturnType<typeof loadNotificationConfig>;
export const loadNotificationConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(notificationEnv, env);
