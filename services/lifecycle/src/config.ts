// Lifecycle's settings, from the environment (the only place that reads it).
import { baseEnv, listenHost, loadConfig, port } from '@cei/config';

export const lifecycleEnv = { ...baseEnv, LIFECYCLE_PORT: port(4003), LIFECYCLE_HOST: listenHost() };

export type LifecycleConfig = ReturnType<typeof loadLifecycleConfig>;
export const loadLifecycleConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(lifecycleEnv, env);
