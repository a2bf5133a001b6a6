// What `pnpm start` is asked to run and where it keeps state: ports, servers to reuse, the
// state directory (CEI_DATA_DIR, .cei by default), and the environment its children get (`appEnv`).
import { chmodSync, createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { baseEnv, loadConfig, port } from '../../packages/config/src';
import { freePort } from '../../packages/testing/src/readiness';
import { APPS, ROOT, type AppSpec } from './app-processes';
import { StartupError } from './output';

/** Where one run keeps its state: the servers' data and every process's log. */
export interface StateDirs {
  root: string;
  data: string;
  logs: string;
}

/** `CEI_DATA_DIR` (relative to where the command runs), else .cei in the repository root. */
export function stateDirs(dataDir: string | undefined): StateDirs {
  const root = dataDir ? resolve(dataDir) : join(ROOT, '.cei');
  return { root, data: join(root, 'data'), logs: join(root, 'logs') };
}

const startEnv = {
  CEI_NAMESPACE: baseEnv.CEI_NAMESPACE,
  LOG_LEVEL: baseEnv.LOG_LEVEL,
  // 0 picks a free port.
  GATEWAY_PORT: port(4000),
  INGESTION_PORT: port(4001),
  SCORING_PORT: port(4002),
  LIFECYCLE_PORT: port(4003),
  NOTIFICATION_PORT: port(4004),
};

export interface Settings {
  namespace: string;
  logLevel: string;
  ports: Record<AppSpec['portVariable'], number>;
  /** Servers to use instead of starting our own. */
  natsUrl?: string;
  mongoUrl?: string;
  /** CEI_FERRETDB_BACKEND when set: 'postgresql' (the default choice) or 'sqlite'. */
  ferretBackend?: 'postgresql' | 'sqlite';
  dirs: StateDirs;
  /** CEI_OPERATOR_KEY when set; otherwise the run generates one (and prints it). */
  operatorKey?: string;
  /** Where notification sends emails (SMTP_URL); unset: a local sink (mail-sink.ts). */
  smtpUrl?: string;
}

/** The only reader of process.env here; the children get their environment from `appEnv`. */
export function readSettings(env: NodeJS.ProcessEnv): Settings {
  const parsed = loadConfig(startEnv, env);
  const backend = env.CEI_FERRETDB_BACKEND || undefined;
  if (backend !== undefined && backend !== 'postgresql' && backend !== 'sqlite') {
    throw new Error(`CEI_FERRETDB_BACKEND must be 'postgresql' or 'sqlite', not '${backend}'`);
  }
  const { CEI_NAMESPACE, LOG_LEVEL, ...ports } = parsed;
  return {
    namespace: CEI_NAMESPACE,
    logLevel: LOG_LEVEL,
    ports,
    natsUrl: env.NATS_URL || undefined,
    mongoUrl: env.MONGO_URL || undefined,
    ferretBackend: backend,
    dirs: stateDirs(env.CEI_DATA_DIR || undefined),
    operatorKey: env.CEI_OPERATOR_KEY || undefined,
    smtpUrl: env.SMTP_URL || undefined,
  };
}

/** Replaces each port 0 with a free port; fails before anything starts when a set port is taken. */
export async function claimPorts(ports: Settings['ports']): Promise<void> {
  for (const spec of APPS) {
    const value = ports[spec.portVariable];
    if (value === 0) ports[spec.portVariable] = await freePort();
    else await checkPortFree(value, spec.portVariable, spec.name);
  }
}

/** Names the variable that moves the port when it is taken. */
async function checkPortFree(portNumber: number, variable: string, owner: string): Promise<void> {
  const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    const server = createServer();
    server.once('error', resolve);
    server.listen(portNumber, '127.0.0.1', () => server.close(() => resolve(undefined)));
  });
  if (!error) return;
  const why = error.code === 'EADDRINUSE' ? 'is already in use' : `cannot be used (${error.code ?? error.message})`;
  throw new StartupError(
    `port ${portNumber} (${owner}) ${why}. Stop what listens there (\`ss -ltnp 'sport = :${portNumber}'\` shows it), ` +
      `or set ${variable} to a free port, e.g. ${variable}=${portNumber + 100} pnpm start.`,
  );
}

/** Every app gets the same environment: the servers, the run's secret, all ports and the subgraph URLs. */
export function appEnv(settings: Settings, secret: string, natsUrl: string, mongoUrl: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NATS_URL: natsUrl,
    MONGO_URL: mongoUrl,
    CEI_NAMESPACE: settings.namespace,
    CEI_INTERNAL_SECRET: secret,
    LOG_LEVEL: settings.logLevel,
    // The demo workspace's webhooks may reach a receiver on this machine (a local run only).
    WEBHOOK_ALLOW_PRIVATE: process.env.WEBHOOK_ALLOW_PRIVATE ?? 'demo=127.0.0.1,demo=::1',
  };
  for (const spec of APPS) {
    const appPort = settings.ports[spec.portVariable];
    env[spec.portVariable] = String(appPort);
    if (spec.urlVariable) env[spec.urlVariable] = `http://127.0.0.1:${appPort}/graphql`;
  }
  return env;
}

/** <state>/data and <state>/logs; as root, PostgreSQL runs as `postgres`, which must be able to pass through. */
export function prepareStateDirs(dirs: StateDirs): void {
  for (const dir of [dirs.root, dirs.data, dirs.logs]) {
    mkdirSync(dir, { recursive: true });
    if (process.getuid?.() === 0) chmodSync(dir, 0o755);
  }
}

/** Where one process's output goes: <state>/logs/<name>.log. */
export const logPath = (dirs: StateDirs, name: string) => join(dirs.logs, `${name}.log`);

/** That file, started afresh each run. */
export function logFile(dirs: StateDirs, name: string): WriteStream {
  return createWriteStream(logPath(dirs, name), { flags: 'w' });
}
