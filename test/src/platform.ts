// Starts the whole platform as real processes (four subgraphs, N gateways) on free
// ports, against the NATS and database servers given, and stops it again. Used by
// the end-to-end tests and the benchmark.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const SERVICES = ['ingestion', 'scoring', 'lifecycle', 'notification'] as const;

export interface Platform {
  namespace: string;
  secret: string;
  gateways: { httpUrl: string; wsUrl: string }[];
  subgraphUrls: Record<(typeof SERVICES)[number], string>;
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
  const children: Running[] = [];
  try {
    const ports = await Promise.all(SERVICES.map(freePort));
    const subgraphUrls = Object.fromEntries(
      SERVICES.map((name, i) => [name, `http://127.0.0.1:${ports[i]}/graphql`]),
    ) as Platform['subgraphUrls'];
    const started = await Promise.all(
      SERVICES.map((name, i) =>
        launch(
          name,
          join(ROOT, 'services', name, 'src', 'main.ts'),
          { ...base, [`${name.toUpperCase()}_PORT`]: String(ports[i]) },
          ports[i]!,
        ),
      ),
    );
    children.push(...started);
    const gatewayEnv = {
      ...base,
      CEI_INGESTION_URL: subgraphUrls.ingestion,
      CEI_SCORING_URL: subgraphUrls.scoring,
      CEI_LIFECYCLE_URL: subgraphUrls.lifecycle,
      CEI_NOTIFICATION_URL: subgraphUrls.notification,
    };
    const gatewayPorts = await Promise.all(Array.from({ length: opts.gateways ?? 1 }, freePort));
    const gateways = await Promise.all(
      gatewayPorts.map((port, i) =>
        launch(
          `gateway-${i + 1}`,
          join(ROOT, 'gateway', 'src', 'main.ts'),
          { ...gatewayEnv, GATEWAY_PORT: String(port) },
          port,
        ),
      ),
    );
    children.push(...gateways);
    let stopping: Promise<void> | undefined;
    return {
      namespace: opts.namespace,
      secret,
      subgraphUrls,
      gateways: gatewayPorts.map((port) => ({
        httpUrl: `http://127.0.0.1:${port}/graphql`,
        wsUrl: `ws://127.0.0.1:${port}/graphql`,
      })),
      pids: Object.fromEntries(children.map((c) => [c.name, c.child.pid!])),
      output: (name) => children.find((c) => c.name === name)?.output ?? [],
      stop: () => (stopping ??= stopAll(children)),
    };
  } catch (err) {
    await stopAll(children);
    throw err;
  }
}

interface Running {
  name: string;
  child: ChildProcess;
  output: string[];
}

async function launch(name: string, main: string, env: NodeJS.ProcessEnv, port: number): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const running: Running = { name, child, output: [] };
  const keep = (chunk: Buffer) => {
    running.output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    running.output.splice(0, Math.max(0, running.output.length - 40));
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`${name} exited with code ${child.exitCode} before it was ready:\n${running.output.join('\n')}`);
    }
    const ready = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return running;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} was not healthy on port ${port} within 30 s:\n${running.output.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopAll(children: Running[]): Promise<void> {
  // Gateways first (they were started last), then the services.
  for (const running of [...children].reverse()) {
    const { child } = running;
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
