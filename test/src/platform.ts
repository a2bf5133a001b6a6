// Starts the whole platform as real processes (four subgraphs, some of them in several
// instances, and N gateways) on free ports, against the NATS and database servers given,
// and stops it again — or kills one process as a crash would. Used by the end-to-end tests
// and the benchmark; each app runs under `pnpm start`'s launcher.
import { randomBytes } from 'node:crypto';
import { freePort } from '@cei/testing/src/readiness';
import { APPS, AppProcess, waitUntilHealthy, type AppSpec } from '../../infra/local/app-processes';
import { startFailoverProxy, type FailoverProxy } from './failover-proxy';

export { freePort };

const HEALTH_TIMEOUT_MS = 30_000;
type SubgraphSpec = Extract<AppSpec, { urlVariable: string }>;
const SUBGRAPHS = APPS.filter((app): app is SubgraphSpec => app.urlVariable !== undefined);
export type SubgraphName = SubgraphSpec['name'];

/** One running subgraph process: `scoring`, `scoring-2`, … */
export interface SubgraphInstance {
  name: string;
  subgraph: SubgraphName;
  /** Where it serves /graphql and /health. */
  baseUrl: string;
  pid: number;
}

export interface Platform {
  namespace: string;
  secret: string;
  /** Whether the apps run as built JavaScript (dist/) rather than sources under tsx. */
  compiled: boolean;
  gateways: { httpUrl: string; wsUrl: string }[];
  /** Where the gateways call each subgraph: its instance, or a proxy to the first one still running. */
  subgraphUrls: Record<SubgraphName, string>;
  /** Every subgraph process, in start order. */
  instances: SubgraphInstance[];
  /** Process ids, for RSS measurements. */
  pids: Record<string, number>;
  /** The last lines each process printed (for diagnosing a failure). */
  output(name: string): string[];
  /** SIGKILL, as a crash would: no drain, no goodbye. Resolves once the process is gone. */
  kill(name: string): Promise<void>;
  stop(): Promise<void>;
}

export interface PlatformOptions {
  natsUrl: string;
  mongoUrl: string;
  namespace: string;
  gateways?: number;
  /** Instances per subgraph (default 1): they split the partitions of their consumers. */
  replicas?: Partial<Record<SubgraphName, number>>;
  env?: Record<string, string>;
  /**
   * Puts a proxy in front of these subgraphs (as for several instances) that tells each request's
   * body as the gateway sends it: what a test counts the subgraph requests of an operation with.
   */
  observe?: Partial<Record<SubgraphName, (body: Buffer) => void>>;
  /**
   * Run every app as the JavaScript `pnpm build` emitted (`node <dir>/dist/main.js`, as deployed)
   * instead of its sources under tsx. Default: the environment variable CEI_COMPILED=1.
   */
  compiled?: boolean;
}

export async function startPlatform(opts: PlatformOptions): Promise<Platform> {
  const secret = randomBytes(24).toString('base64url');
  const compiled = opts.compiled ?? process.env.CEI_COMPILED === '1';
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
  const proxies: FailoverProxy[] = [];
  /** Killed by the test: out of the proxies' rotation from the moment the signal is sent. */
  const killed = new Set<AppProcess>();
  // Gateways first (they call the services), then the services.
  const stopAll = async () => {
    await Promise.all(gateways.map((app) => app.stop()));
    await Promise.all(proxies.map((proxy) => proxy.close()));
    await Promise.all(services.map((app) => app.stop()));
  };
  const healthy = (apps: AppProcess[]) =>
    Promise.all(apps.map((app) => waitUntilHealthy(app, { timeoutMs: HEALTH_TIMEOUT_MS })));
  try {
    const launches = SUBGRAPHS.flatMap((spec) =>
      Array.from({ length: opts.replicas?.[spec.name] ?? 1 }, (_, i) => ({
        spec,
        name: i === 0 ? spec.name : `${spec.name}-${i + 1}`,
      })),
    );
    const ports = await Promise.all(launches.map(() => freePort()));
    for (const [i, { spec, name }] of launches.entries()) {
      const env = { ...base, [spec.portVariable]: String(ports[i]) };
      services.push(new AppProcess({ name, dir: spec.dir, port: ports[i]!, env, compiled }));
    }
    await healthy(services);
    const instances: SubgraphInstance[] = services.map((app, i) => ({
      name: app.name,
      subgraph: launches[i]!.spec.name,
      baseUrl: `http://127.0.0.1:${app.port}`,
      pid: app.pid!,
    }));
    const subgraphUrls = {} as Platform['subgraphUrls'];
    for (const spec of SUBGRAPHS) {
      const own = services.filter((_, i) => launches[i]!.spec === spec);
      const observer = opts.observe?.[spec.name];
      if (own.length === 1 && !observer) {
        subgraphUrls[spec.name] = `http://127.0.0.1:${own[0]!.port}/graphql`;
        continue;
      }
      // Several instances (or an observer): the gateways reach them as they would behind a load balancer.
      const live = () =>
        own.filter((app) => !killed.has(app) && !app.exitStatus).map((app) => `http://127.0.0.1:${app.port}`);
      const proxy = await startFailoverProxy(await freePort(), live, observer);
      proxies.push(proxy);
      subgraphUrls[spec.name] = `${proxy.url}/graphql`;
    }
    const gatewayEnv = {
      ...base,
      ...Object.fromEntries(SUBGRAPHS.map((spec) => [spec.urlVariable, subgraphUrls[spec.name]])),
    };
    const gatewayPorts = await Promise.all(Array.from({ length: opts.gateways ?? 1 }, () => freePort()));
    for (const [i, port] of gatewayPorts.entries()) {
      const env = { ...gatewayEnv, GATEWAY_PORT: String(port) };
      gateways.push(new AppProcess({ name: `gateway-${i + 1}`, dir: 'gateway', port, env, compiled }));
    }
    await healthy(gateways);
    const all = [...services, ...gateways];
    let stopping: Promise<void> | undefined;
    return {
      namespace: opts.namespace,
      secret,
      compiled,
      subgraphUrls,
      instances,
      gateways: gateways.map((app) => ({
        httpUrl: `http://127.0.0.1:${app.port}/graphql`,
        wsUrl: `ws://127.0.0.1:${app.port}/graphql`,
      })),
      pids: Object.fromEntries(all.map((app) => [app.name, app.pid!])),
      output: (name) => all.find((app) => app.name === name)?.lastLineList ?? [],
      async kill(name) {
        const app = all.find((a) => a.name === name);
        if (!app) throw new Error(`no process named ${name}; there are ${all.map((a) => a.name).join(', ')}`);
        if (app.exitStatus) return;
        killed.add(app);
        process.kill(app.pid!, 'SIGKILL');
        await app.exited;
      },
      stop: () => (stopping ??= stopAll()),
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
