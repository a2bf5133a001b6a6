// The platform process, which owns every child: starts the servers, the subgraphs and the gateway
// in order, restarts an app that crashes (until it crash-loops), and stops them in reverse (gateway,
// services, servers), each with a deadline, waiting for every child to exit.
import { randomBytes } from 'node:crypto';
import type { WriteStream } from 'node:fs';
import { describeExit } from '../../packages/testing/src/processes';
import { APPS, AppProcess, waitUntilHealthy, type AppSpec } from './app-processes';
import { Cancelled, describeError, progress, say, seconds, shown, StartupError } from './output';
import { STOP_SIGNAL } from './relay';
import { LocalServers } from './servers';
import { RESTART_POLICY, Supervisor, type SupervisorEvent } from './supervisor';
import {
  appEnv,
  claimPorts,
  logFile,
  logPath,
  prepareStateDirs,
  readSettings,
  type Settings,
  type StateDirs,
} from './settings';
import { DEMO_WORKSPACE, demoWorkspace, printWelcome } from './welcome';
import { newOperatorKey } from '../../gateway/src/auth/operator';
import { startMailSink, type MailSink } from './mail-sink';

const HEALTH_TIMEOUT_MS = 60_000;

class Platform {
  private readonly servers: LocalServers;
  private readonly services: Supervisor[] = [];
  private gateway: Supervisor | undefined;
  private mail: MailSink | undefined;
  private startup: Promise<void> = Promise.resolve();
  private stopping: Promise<never> | undefined;
  private readonly secret = randomBytes(32).toString('base64url');
  /** Creates, lists and suspends workspaces through the graph; printed with the demo keys. */
  private readonly operatorKey: string;

  constructor(
    private readonly settings: Settings,
    private readonly startedAt: number,
  ) {
    this.servers = new LocalServers(settings, () => this.stopRequested);
    this.operatorKey = settings.operatorKey ?? newOperatorKey();
  }

  get stopRequested(): boolean {
    return this.stopping !== undefined;
  }

  start(): Promise<void> {
    this.startup = this.startAll();
    return this.startup;
  }

  /** Stops everything in order and exits the process with `exitCode`. Safe to call again. */
  shutdown(reason: string, exitCode: number): Promise<never> {
    if (this.stopping) {
      say(`still stopping (${reason}); every step has a deadline`);
      return this.stopping;
    }
    this.stopping = (async () => {
      const nothingStarted = () => !this.gateway && this.services.length === 0 && !this.servers.anyStarted;
      if (exitCode === 0 || !nothingStarted()) say(`stopping (${reason})…`);
      // A step in flight (a server coming up) finishes first, so what it started is stopped too.
      await this.startup.catch(() => undefined);
      if (nothingStarted()) process.exit(exitCode);
      const since = Date.now();
      let forced = false;
      if (this.gateway) {
        const outcome = await this.gateway.stop();
        forced ||= outcome.startsWith('killed');
        say(`gateway       ${outcome}`);
      }
      const outcomes = await Promise.all(
        this.services.map(async (app) => {
          const outcome = await app.stop();
          forced ||= outcome.startsWith('killed');
          return `${app.current.name} ${outcome}`;
        }),
      );
      if (outcomes.length > 0) say(`services      ${outcomes.join(', ')}`);
      await this.mail?.stop();
      await this.servers.stop();
      const how = forced ? 'stopped (not all cleanly, see above)' : 'stopped cleanly';
      say(`${how} in ${seconds(Date.now() - since)}.`);
      process.exit(exitCode);
    })();
    return this.stopping;
  }

  /** For a process 'exit' handler: signal every child still running. */
  signalAll(): void {
    for (const app of [this.gateway, ...this.services]) app?.signalStop();
  }

  /** Resolves once a stop is requested: restarts apps that crash; a crash loop or a dead server stops the rest. */
  async watch(): Promise<void> {
    for (const app of [...this.services, this.gateway!]) app.supervise();
    await this.servers.watch((name) => void this.shutdown(`${name} died`, 1));
  }

  private check(): void {
    if (this.stopRequested) throw new Cancelled();
  }

  private async startAll(): Promise<void> {
    const { settings } = this;
    await claimPorts(settings.ports);
    prepareStateDirs(settings.dirs);
    const { natsUrl, mongoUrl } = await this.servers.start();
    this.check();
    this.mail = await startMailSink(settings);
    this.check();
    const env = {
      ...appEnv(settings, this.secret, natsUrl, mongoUrl),
      CEI_OPERATOR_KEY: this.operatorKey,
      SMTP_URL: this.mail.url,
    };

    const serviceSpecs = APPS.filter((app) => app.name !== 'gateway');
    this.services.push(...serviceSpecs.map((spec) => this.supervise(spec, env)));
    await Promise.all(this.services.map((app) => this.waitFor(app.current)));
    const gatewaySpec = APPS.find((app) => app.name === 'gateway')!;
    this.gateway = this.supervise(gatewaySpec, env);
    await this.waitFor(this.gateway.current);
    this.check();

    const since = Date.now();
    const { keys, created } = await demoWorkspace(mongoUrl, settings.namespace);
    progress('workspace', `${DEMO_WORKSPACE} (${created ? 'created' : 'exists; new keys issued'})`, since);
    this.check();
    printWelcome(this.port(gatewaySpec), keys, settings.dirs, Date.now() - this.startedAt, {
      key: this.operatorKey,
      generated: settings.operatorKey === undefined,
    });
  }

  private port(spec: AppSpec): number {
    return this.settings.ports[spec.portVariable];
  }

  /** A subgraph or the gateway, restarted when it crashes; its output (every run) goes to <state>/logs/<name>.log. */
  private supervise(spec: AppSpec, env: NodeJS.ProcessEnv): Supervisor {
    const log = logFile(this.settings.dirs, spec.name);
    const port = this.port(spec);
    return new Supervisor({
      launch: () =>
        new AppProcess({ name: spec.name, dir: spec.dir, port, env, onLine: (line) => log.write(`${line}\n`) }),
      healthTimeoutMs: HEALTH_TIMEOUT_MS,
      onEvent: (event) => this.report(spec, log, event),
    });
  }

  /** One line on the terminal (and in the app's log) per crash, restart and recovery; a crash loop stops all. */
  private report(spec: AppSpec, log: WriteStream, event: SupervisorEvent): void {
    const logShown = shown(logPath(this.settings.dirs, spec.name));
    const { maxCrashes, windowMs } = RESTART_POLICY;
    const window = `${windowMs / 1000} s`;
    const tell = (line: string, stream: NodeJS.WriteStream) => {
      stream.write(`[cei] ${line}\n`);
      log.write(`[cei] ${line}\n`);
    };
    switch (event.kind) {
      case 'crashed':
        return tell(
          `${spec.name} ${describeExit(event.status)}; restarting it in ${seconds(event.restartInMs)} (crash ` +
            `${event.recentCrashes}; crash ${maxCrashes} within ${window} stops the platform; log: ${logShown})`,
          process.stderr,
        );
      case 'restarted':
        return void log.write(`[cei] restart ${event.restarts} (pid ${event.pid})\n`);
      case 'healthy':
        return tell(
          `${spec.name.padEnd(13)} back after restart ${event.restarts}, healthy in ${seconds(event.afterMs)}`,
          process.stdout,
        );
      case 'not-healthy':
        return tell(`${spec.name} restarted but ${event.reason}; read ${logShown}`, process.stderr);
      case 'crash-loop':
        process.stderr.write(
          `[cei] ${spec.name} crashed ${event.recentCrashes} times within ${window} (the last time it ` +
            `${describeExit(event.status)}): stopping the platform.\n--- last lines of ${spec.name} ---\n${event.lastLines}\n---\n` +
            `What to do: read ${logShown} (every restart is marked in it) to see why it crashes, fix that, and start again.\n`,
        );
        return void this.shutdown(`${spec.name} crash-looped`, 1);
    }
  }

  private async waitFor(app: AppProcess): Promise<void> {
    const since = Date.now();
    const failure = (failed: AppProcess, headline: string) => startupFailure(this.settings.dirs, failed, headline);
    await waitUntilHealthy(app, { timeoutMs: HEALTH_TIMEOUT_MS, throwIfCancelled: () => this.check(), failure });
    const path = app.name === 'gateway' ? '' : '/graphql';
    progress(app.name, `http://127.0.0.1:${app.port}${path}`, since);
  }
}

/** An app that did not come up: its last lines, where the rest are, and what to try. */
function startupFailure(dirs: StateDirs, app: AppProcess, headline: string): StartupError {
  return new StartupError(
    `${headline}.\n--- last lines of ${app.name} (all of them in ${shown(logPath(dirs, app.name))}) ---\n${app.lastLines}\n---\n` +
      `What to do: fix what the lines above report; to start over with empty data, stop and delete ${shown(dirs.data)}; ` +
      `or run it alone (cd ${app.dir} && pnpm start) with NATS_URL and MONGO_URL set.`,
  );
}

/** The platform process's main: reads the settings, wires the signals, starts, then watches. */
export async function runPlatform(): Promise<void> {
  const startedAt = Date.now();
  let settings: Settings;
  try {
    settings = readSettings(process.env);
  } catch (error) {
    process.stderr.write(`[cei] ${(error as Error).message}\n`);
    process.exit(1);
  }
  const platform = new Platform(settings, startedAt);
  process.on(STOP_SIGNAL, () => void platform.shutdown('stop requested', 0));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(signal, () => void platform.shutdown(signal, 0));
  process.on('exit', () => platform.signalAll());
  // The relay may die without a word (SIGKILL): then we are re-parented, and stop.
  const relayPid = process.ppid;
  setInterval(
    () => process.ppid !== relayPid && void platform.shutdown('the start command went away', 0),
    1_000,
  ).unref();

  try {
    await platform.start();
  } catch (error) {
    if (error instanceof Cancelled || platform.stopRequested) return;
    process.stderr.write(`[cei] cannot start: ${describeError(error)}\n`);
    await platform.shutdown('startup failed', 1);
  }
  await platform.watch();
}
