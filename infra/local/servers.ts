// The servers `pnpm start` runs itself unless NATS_URL / MONGO_URL point elsewhere: NATS with
// JetStream, and FerretDB on PostgreSQL (or SQLite); built on first run, watched while up.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startFerretDB, startNats, startPostgres, type RunningServer } from '../../packages/testing/src';
import { cacheBinDir, postgresBinDir, postgresRunAs } from '../../packages/testing/src/binaries';
import { describeExit, RecentLines, type ExitStatus } from '../../packages/testing/src/processes';
import { canConnect, sleep } from '../../packages/testing/src/readiness';
import { Cancelled, progress, say, shown, StartupError, withoutCredentials } from './output';
import { logFile, type Settings } from './settings';

type ServerName = 'nats-server' | 'postgres' | 'ferretdb';

interface StartedServer {
  name: ServerName;
  server: RunningServer;
  recent: RecentLines;
}

export class LocalServers {
  private readonly servers: Partial<Record<ServerName, StartedServer>> = {};

  constructor(
    private readonly settings: Settings,
    private readonly stopRequested: () => boolean,
  ) {}

  get anyStarted(): boolean {
    return Object.keys(this.servers).length > 0;
  }

  /** Builds what is missing, then starts NATS and the database side by side; resolves to their URLs. */
  async start(): Promise<{ natsUrl: string; mongoUrl: string }> {
    const { settings } = this;
    const backend = settings.mongoUrl ? undefined : chooseFerretBackend(settings);
    const needed: ServerName[] = [
      ...(settings.natsUrl ? [] : ['nats-server' as const]),
      ...(backend ? ['ferretdb' as const] : []),
    ];
    await installServers(needed, this.stopRequested);
    this.check();

    // Both settled before a failure surfaces, so a stop finds everything that did start.
    const [nats, database] = await Promise.allSettled([this.startNatsServer(), this.startDatabase(backend)]);
    if (nats.status === 'rejected') throw nats.reason;
    if (database.status === 'rejected') throw database.reason;
    return { natsUrl: nats.value, mongoUrl: database.value };
  }

  /** FerretDB, PostgreSQL, then NATS, each waited for. */
  async stop(): Promise<void> {
    for (const name of ['ferretdb', 'postgres', 'nats-server'] as const) {
      const started = this.servers[name];
      if (!started) continue;
      await started.server.stop();
      say(`${name.padEnd(13)} stopped`);
    }
  }

  /**
   * Returns once a stop is requested, or once a server failed 3 connects in a row: then says which and
   * calls `onDied`. (The harness's servers expose no exit event, so this watches their ports.)
   */
  async watch(onDied: (name: ServerName) => void): Promise<void> {
    const misses = new Map<ServerName, number>();
    while (!this.stopRequested()) {
      await sleep(1_000);
      for (const started of Object.values(this.servers)) {
        if (this.stopRequested()) return;
        const ok = await canConnect(Number(new URL(started.server.url).port));
        const count = ok ? 0 : (misses.get(started.name) ?? 0) + 1;
        misses.set(started.name, count);
        if (count < 3 || this.stopRequested()) continue;
        process.stderr.write(
          `[cei] ${started.name} stopped answering on ${new URL(started.server.url).host}.\n` +
            `--- last lines of ${started.name} ---\n${started.recent.toString()}\n---\n`,
        );
        onDied(started.name);
        return;
      }
    }
  }

  private check(): void {
    if (this.stopRequested()) throw new Cancelled();
  }

  private async startNatsServer(): Promise<string> {
    if (this.settings.natsUrl) {
      say(`nats          ${withoutCredentials(this.settings.natsUrl)} (NATS_URL)`);
      return this.settings.natsUrl;
    }
    const since = Date.now();
    const dataDir = join(this.settings.dirs.data, 'nats');
    const nats = await this.startServer('nats-server', (log) => startNats({ dataDir, log }));
    progress('nats-server', `${nats.url} (JetStream in ${shown(dataDir)})`, since);
    return nats.url;
  }

  private async startDatabase(backend: 'postgresql' | 'sqlite' | undefined): Promise<string> {
    if (!backend) {
      say(`database      ${withoutCredentials(this.settings.mongoUrl!)} (MONGO_URL)`);
      return this.settings.mongoUrl!;
    }
    let postgresUrl: string | undefined;
    if (backend === 'postgresql') {
      const since = Date.now();
      const dataDir = join(this.settings.dirs.data, 'postgres');
      // Kept data, so fsync stays on (ephemeral: false): the demo survives a crash of the machine too.
      const postgres = await this.startServer('postgres', (log) => startPostgres({ dataDir, ephemeral: false, log }));
      postgresUrl = postgres.url;
      progress('postgres', `${new URL(postgres.url).host} (data in ${shown(dataDir)})`, since);
      this.check();
    }
    const since = Date.now();
    const dataDir = join(this.settings.dirs.data, 'ferretdb');
    const ferret = await this.startServer('ferretdb', (log) => startFerretDB({ dataDir, backend, postgresUrl, log }));
    progress('ferretdb', `${ferret.url} (${backend} backend)`, since);
    return ferret.url;
  }

  /** Its output goes to <state>/logs/<name>.log, and the last lines are kept for when it dies. */
  private async startServer(
    name: ServerName,
    start: (log: (line: string) => void) => Promise<RunningServer>,
  ): Promise<RunningServer> {
    const recent = new RecentLines(15);
    const file = logFile(this.settings.dirs, name);
    const server = await start((line) => {
      recent.push(line);
      file.write(`${line}\n`);
    });
    this.servers[name] = { name, server, recent };
    return server;
  }
}

/** Builds nats-server / FerretDB into the CEI cache if missing; the script's progress goes to stderr. */
async function installServers(needed: ServerName[], cancelled: () => boolean): Promise<void> {
  const missing = needed.filter((name) => name !== 'postgres' && !existsSync(join(cacheBinDir(), name)));
  if (missing.length === 0) return;
  const script = join(__dirname, 'install-servers.sh');
  say(`${missing.join(' and ')} not found in ${cacheBinDir()}: building with Go (first run only, a few minutes)…`);
  const since = Date.now();
  const child = spawn('bash', [script], { stdio: ['ignore', 'ignore', 'inherit'], detached: true });
  // Its own process group, so a stop request can end the whole build (bash and the go commands under it).
  const watch = setInterval(() => {
    if (cancelled() && child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
  }, 200);
  const status = await new Promise<ExitStatus>((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('exit', (code, signal) => resolve({ code, signal }));
  }).finally(() => clearInterval(watch));
  if (cancelled()) throw new Cancelled();
  if (status.code !== 0) {
    throw new StartupError(
      `${shown(script)} ${describeExit(status)}; its output is above. Fix that (it needs Go, \`apt-get install golang\`), ` +
        'or set NATS_URL and MONGO_URL to running servers.',
    );
  }
  progress('servers', `built into ${cacheBinDir()}`, since);
}

/** PostgreSQL when its binaries are there (7–8× faster on FerretDB v1 updates); else SQLite, with a note. */
function chooseFerretBackend({ ferretBackend: requested, dirs }: Settings): 'postgresql' | 'sqlite' {
  if (requested === 'sqlite') return 'sqlite';
  try {
    postgresBinDir();
    postgresRunAs();
    return 'postgresql';
  } catch (error) {
    if (requested === 'postgresql') throw new StartupError((error as Error).message);
    say(`note: ${(error as Error).message}`);
    say('note: for the faster PostgreSQL backend run `apt-get install postgresql`, then start again.');
    const kept = shown(join(dirs.data, 'ferretdb', 'sqlite'));
    say(`note: using FerretDB's SQLite backend for now (its data is kept apart, in ${kept}).`);
    return 'sqlite';
  }
}
