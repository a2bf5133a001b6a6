// Notification's settings, from the environment (the only place that reads it).
import { baseEnv, listenHost, loadConfig, port } from '@cei/config';

export const notificationEnv = { ...baseEnv, NOTIFICATION_PORT: port(4004), NOTIFICATION_HOST: listenHost() };

export type NotificationConfig = ReturnType<typeof loadNotificationConfig>;
export const loadNotificationConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(notificationEnv, env);
