// Starts the whole platform as real processes (four subgraphs, N gateways) on free
// ports, against the NATS and database servers given, and stops it again. Used by
// the end-to-end tests and the benchmark; each app runs under `pnpm start`'s launcher.
import { randomBytes } from 'node:crypto';
import { freePort } from '@cei/testing/src/readiness';
import { APPS, AppProcess, waitUntilHealthy, type AppSpec } from '../../infra/local/app-processes';

export { freePort };

const HEALTH_TIMEOUT_MS = 30_000;
type SubgraphSpec = Extract<AppSpec, { urlVariable: string }>;
const SUBGRAPHS = APPS.filter((app): app is SubgraphSpec => app.urlVariable !== undefined);

export interface Platform {
  namespace: string;
  secret: string;
  gateways: { httpUrl: string; wsUrl: string }[];
  subgraphUrls: Record<SubgraphSpec['name'], string>;
  /** Process ids, for RSS measurements. */
  pids: Record<string, number>;
  /** The last lines each process printed (for diagnosing a failure). */
  output(name: string): string[];
  stop(): Promise<void>;
}

export interface PlatformOptions {
  natsUrl: string;
  mongoUrl: string;
  namespace: string;
  gateways?: number;
  env?: Record<string, string>;
}

export async function startPlatform(opts: PlatformOptions): Promise<Platform> {
  const secret = randomBytes(24).toString('base64url');
  const base = {
    ...process.env,
    NATS_URL: opts.natsUrl,
    MONGO_URL: opts.mongoUrl,
    CEI_NAMESPACE: opts.namespace,
    CEI_INTERNAL_SECRET: secret,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...opts.env,
  };
  const services: AppProcess[] = [];
  const gateways: AppProcess[] = [];
  // Gateways first (they call the services), then the services.
  const stopAll = async () => {
    for (const apps of [gateways, services]) await Promise.all(apps.map((app) => app.stop()));
  };
  const healthy = (apps: AppProcess[]) =>
    Promise.all(apps.map((app) => waitUntilHealthy(app, { timeoutMs: HEALTH_TIMEOUT_MS })));
  try {
    const ports = await Promise.all(SUBGRAPHS.map(() => freePort()));
    for (const [i, spec] of SUBGRAPHS.entries()) {
      const env = { ...base, [spec.portVariable]: String(ports[i]) };
      services.push(new AppProcess({ name: spec.name, dir: spec.dir, port: ports[i]!, env }));
    }
    await healthy(services);
    const subgraphUrls = Object.fromEntries(
      services.map((app) => [app.name, `http://127.0.0.1:${app.port}/graphql`]),
    ) as Platform['subgraphUrls'];
    const gatewayEnv = {
      ...base,
      ...Object.fromEntries(SUBGRAPHS.map((spec) => [spec.urlVariable, subgraphUrls[spec.name]])),
    };
    const gatewayPorts = await Promise.all(Array.from({ length: opts.gateways ?? 1 }, () => freePort()));
    for (const [i, port] of gatewayPorts.entries()) {
      const env = { ...gatewayEnv, GATEWAY_PORT: String(port) };
      gateways.push(new AppProcess({ name: `gateway-${i + 1}`, dir: 'gateway', port, env }));
    }
    await healthy(gateways);
    const all = [...services, ...gateways];
    let stopping: Promise<void> | undefined;
    return {
      namespace: opts.namespace,
      secret,
      subgraphUrls,
      gateways: gateways.map((app) => ({
        httpUrl: `http://127.0.0.1:${app.port}/graphql`,
        wsUrl: `ws://127.0.0.1:${app.port}/graphql`,
      })),
      pids: Object.fromEntries(all.map((app) => [app.name, app.pid!])),
      output: (name) => all.find((app) => app.name === name)?.lastLineList ?? [],
      stop: () => (stopping ??= stopAll()),
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
