// Notification's settings, from the environment (the only place that reads it).
import { z } from 'zod';
import { baseEnv, listenHost, loadConfig, port } from '@cei/config';

export const notificationEnv = {
  ...baseEnv,
  NOTIFICATION_PORT: port(4004),
  NOTIFICATION_HOST: listenHost(),
  /** Where emails of notification rules go (smtp://host:port); unset: they are audited as SKIPPED_NO_SMTP. */
  SMTP_URL: z.string().url().optional(),
  /** The From of those emails. */
  MAIL_FROM: z.string().default('CEI <notifications@cei.local>'),
};

export type NotificationConfig = ReturnType<typeof loadNotificationConfig>;
export const loadNotificationConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(notificationEnv, env);
