// Starts one real server each: NATS with JetStream, PostgreSQL, FerretDB. Each
// listens on a free loopback port and is returned only once it answers.
import { chownSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MongoClient } from 'mongodb';
import { postgresBinDir, postgresRunAs, serverBinary, type SystemUser } from './binaries';
import { FERRETDB_POSTGRES_SETTINGS, ferretdbTuningEnabled, prepareForFerretDB } from './ferretdb-postgres';
import { PG_STATEMENTS_SETTINGS, postgresStatementsEnabled } from './postgres-statements';
import { describeExit, ManagedProcess, runToCompletion, type LogLine } from './processes';
import { canConnect, freePort, waitUntilReady } from './readiness';

export interface RunningServer {
  url: string;
  /** The server's main process, when this run started it (PostgreSQL: the postmaster, parent of its backends). */
  pid?: number;
  stop(): Promise<void>;
}

function running(url: string, child: ManagedProcess): RunningServer {
  return { url, pid: child.pid, stop: () => child.stop() };
}

/**
 * Go's soft memory limit for the nats-server this starts (`GOMEMLIMIT`, unless the environment sets
 * one). The server's live heap stayed under 110 MB all through a 200k-interaction drain
 * (`/debug/pprof/heap`, docs/benchmarks.md), yet its RSS reached 250–290 MB: with Go's default
 * GOGC=100 the heap grows to twice what is live before a collection, and what a burst grew is
 * returned to the OS slowly. The limit makes it collect before that instead. A deployment sets
 * its own (infra/k8s/config.yaml: the NATS chart's container env, below the pod's memory limit).
 */
export const NATS_GOMEMLIMIT = '200MiB';

/**
 * Go's collector settings for the FerretDB this starts (unless the environment sets its own): with
 * the default GOGC=100 it collected every few megabytes of the short-lived documents each command
 * converts, and `pnpm bench:latency` at 30 interactions/s spent 13% less of FerretDB's CPU with 400
 * (docs/benchmarks.md, fifteenth session). The soft limit keeps its RSS well under the 250 MB target.
 */
export const FERRETDB_GO_ENV = { GOGC: '400', GOMEMLIMIT: '200MiB' };

/**
 * nats-server with JetStream, storing streams in `dataDir`; `args` (e.g. a cluster's `--cluster`,
 * `--routes`) for a test that needs several servers.
 */
export async function startNats(opts: { dataDir: string; log?: LogLine; args?: string[] }): Promise<RunningServer> {
  const [command, port] = await Promise.all([serverBinary('nats-server'), freePort()]);
  mkdirSync(opts.dataDir, { recursive: true });
  const child = new ManagedProcess({
    name: 'nats-server',
    command,
    args: [
      ...['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', opts.dataDir],
      // Its monitoring endpoint (/varz, /jsz), for benchmarks that count messages: off unless asked.
      ...(process.env.CEI_NATS_MONITOR_PORT ? ['-m', process.env.CEI_NATS_MONITOR_PORT] : []),
      // Go's pprof endpoint (/debug/pprof/profile), for a benchmark's CPU profile of the server.
      ...(process.env.CEI_NATS_PROFILE_PORT ? ['--profile', process.env.CEI_NATS_PROFILE_PORT] : []),
      ...(opts.args ?? []),
    ],
    env: { GOMEMLIMIT: process.env.GOMEMLIMIT ?? NATS_GOMEMLIMIT },
    log: opts.log,
  });
  await waitUntilReady({
    child,
    what: `nats-server on 127.0.0.1:${port}`,
    isReady: () => canConnect(port),
    hint: 'check the output above; or set NATS_URL to a running nats-server (v2.10+, started with -js).',
  });
  return running(`nats://127.0.0.1:${port}`, child);
}

export interface PostgresOptions {
  dataDir: string;
  log?: LogLine;
  /** Throwaway data (tests): skip fsync, which makes every write several times faster. */
  ephemeral?: boolean;
  /**
   * Index FerretDB's collections for its equality lookups, with custom plans and a busier autovacuum
   * (ferretdb-postgres.ts). Default: on, unless CEI_PG_TUNING=0.
   */
  ferretdbTuning?: boolean;
}

/**
 * A private PostgreSQL cluster in `dataDir` (initialised on first use) with a `ferretdb` database,
 * set up for FerretDB's lookups on every start unless `ferretdbTuning` is false.
 */
export async function startPostgres(opts: PostgresOptions): Promise<RunningServer> {
  const tuning = opts.ferretdbTuning ?? ferretdbTuningEnabled();
  const binDir = postgresBinDir();
  const runAs = postgresRunAs();
  const dataDir = resolve(opts.dataDir);
  prepareDataDir(dataDir, runAs);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await initdb(binDir, dataDir, runAs, opts);
  const port = await freePort();
  const child = new ManagedProcess({
    name: 'postgres',
    command: join(binDir, 'postgres'),
    args: postgresArgs(dataDir, port, opts.ephemeral ?? false, tuning),
    cwd: dataDir,
    ...runAs,
    // SIGTERM is a "smart" shutdown that waits for every client to leave; SIGINT does not.
    stopSignal: 'SIGINT',
    log: opts.log,
  });
  await waitUntilReady({
    child,
    what: `postgres on 127.0.0.1:${port}`,
    isReady: () => pgIsReady(binDir, port),
    hint: `check the output above (a stale ${dataDir} can be deleted); or set MONGO_URL to a running MongoDB-compatible server.`,
  });
  const url = `postgres://postgres@127.0.0.1:${port}/ferretdb`;
  try {
    await createDatabase(binDir, port, 'ferretdb');
    if (tuning) {
      for (const index of await prepareForFerretDB(url))
        opts.log?.(`[cei] indexed for FerretDB's _id lookups: ${index}`);
    }
  } catch (error) {
    await child.stop();
    throw error;
  }
  return running(url, child);
}

function postgresArgs(dataDir: string, port: number, ephemeral: boolean, tuning: boolean): string[] {
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    // Our own socket directory, so we never collide with (or need) a system PostgreSQL's.
    unix_socket_directories: dataDir,
    // FerretDB's pool alone takes up to 50 per instance; tests may run several clients.
    max_connections: '200',
    ...(ephemeral ? { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } : {}),
    ...(tuning ? FERRETDB_POSTGRES_SETTINGS : {}),
    // Statement statistics for a benchmark that asks (postgres-statements.ts): off unless asked.
    ...(postgresStatementsEnabled() ? PG_STATEMENTS_SETTINGS : {}),
  };
  const flags = Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`]);
  return ['-D', dataDir, '-p', String(port), ...flags];
}

/** The data directory must belong to the user PostgreSQL runs as, who must be able to reach it. */
function prepareDataDir(dataDir: string, runAs: SystemUser | undefined): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (!runAs) return;
  chownSync(dataDir, runAs.uid, runAs.gid);
  for (let dir = dirname(dataDir); dir !== dirname(dir); dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `PostgreSQL runs as user postgres, which cannot reach ${dataDir}: ${dir} is not searchable by others. ` +
          `Run \`chmod o+x ${dir}\`, or use a data directory under /tmp.`,
      );
    }
  }
}

async function initdb(
  binDir: string,
  dataDir: string,
  runAs: SystemUser | undefined,
  opts: PostgresOptions,
): Promise<void> {
  const args = ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C'];
  if (opts.ephemeral) args.push('--no-sync');
  const { status, output } = await runToCompletion({
    name: 'initdb',
    command: join(binDir, 'initdb'),
    args,
    cwd: dataDir,
    ...runAs,
    log: opts.log,
  });
  if (status.code !== 0) {
    throw new Error(
      `initdb ${describeExit(status)}.\n--- output of initdb ---\n${output}\n---\nWhat to do: fix the problem above, or delete ${dataDir} and try again.`,
    );
  }
}

async function pgIsReady(binDir: string, port: number): Promise<boolean> {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres'];
  const { status } = await runToCompletion({ name: 'pg_isready', command: join(binDir, 'pg_isready'), args });
  return status.code === 0;
}

/** Creates the database unless it exists (a reused data directory already has it). */
async function createDatabase(binDir: string, port: number, name: string): Promise<void> {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', name];
  const { status, output } = await runToCompletion({ name: 'createdb', command: join(binDir, 'createdb'), args });
  if (status.code !== 0 && !output.includes('already exists')) {
    throw new Error(`createdb ${name} ${describeExit(status)}.\n--- output of createdb ---\n${output}`);
  }
}

export interface FerretDBOptions {
  dataDir: string;
  backend: 'postgresql' | 'sqlite';
  /** Required for the postgresql backend. */
  postgresUrl?: string;
  log?: LogLine;
}

/** FerretDB v1 (MongoDB wire protocol) on a free port; `dataDir` holds its state and SQLite files. */
export async function startFerretDB(opts: FerretDBOptions): Promise<RunningServer> {
  const [command, port] = await Promise.all([serverBinary('ferretdb'), freePort()]);
  const dataDir = resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const child = new ManagedProcess({
    name: 'ferretdb',
    command,
    args: [...ferretBackendArgs(opts, dataDir), ...ferretCommonArgs(dataDir, port)],
    env: {
      GOGC: process.env.GOGC ?? FERRETDB_GO_ENV.GOGC,
      GOMEMLIMIT: process.env.GOMEMLIMIT ?? FERRETDB_GO_ENV.GOMEMLIMIT,
    },
    cwd: dataDir,
    log: opts.log,
  });
  const url = `mongodb://127.0.0.1:${port}/`;
  await waitUntilReady({
    child,
    what: `ferretdb (${opts.backend}) on 127.0.0.1:${port}`,
    isReady: async () => (await canConnect(port)) && (await mongoPing(url)),
    hint:
      opts.backend === 'postgresql'
        ? 'check the output above and that PostgreSQL is up; or try CEI_FERRETDB_BACKEND=sqlite, or set MONGO_URL.'
        : 'check the output above; or set MONGO_URL to a running MongoDB-compatible server.',
  });
  return running(url, child);
}

function ferretBackendArgs(opts: FerretDBOptions, dataDir: string): string[] {
  if (opts.backend === 'sqlite') {
    const sqliteDir = join(dataDir, 'sqlite');
    mkdirSync(sqliteDir, { recursive: true });
    // FerretDB wants a directory URI, and the trailing slash is what makes it one.
    return ['--handler=sqlite', `--sqlite-url=file:${sqliteDir}/`];
  }
  if (!opts.postgresUrl) throw new Error('startFerretDB: backend "postgresql" needs postgresUrl');
  // FerretDB v1 holds a backend connection for the whole of some commands and wedges
  // for good when its pool runs dry under load (measured: FERRETDB.md §4 and the
  // README). The default pool is 50; give it 150 of PostgreSQL's 200 so that every
  // process's driver pool (8 each) fits several times over, test workers included.
  const url = new URL(opts.postgresUrl);
  if (!url.searchParams.has('pool_max_conns')) url.searchParams.set('pool_max_conns', '150');
  return ['--handler=postgresql', `--postgresql-url=${url.toString()}`];
}

function ferretCommonArgs(dataDir: string, port: number): string[] {
  return [
    `--listen-addr=127.0.0.1:${port}`,
    // It writes state.json into the working directory unless told otherwise.
    `--state-dir=${dataDir}`,
    // The debug HTTP listener defaults to the fixed port 8088, so a second instance would fail; '-' turns it off.
    `--debug-addr=${process.env.CEI_FERRET_DEBUG_ADDR ?? '-'}`,
    '--telemetry=disable',
    '--log-level=error',
  ];
}

/** A `ping` round trip: the wire protocol is up, not just the TCP listener. */
async function mongoPing(url: string): Promise<boolean> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 1_000, connectTimeoutMS: 1_000 });
  try {
    await client.db('admin').command({ ping: 1 });
    return true;
  } finally {
    await client.close();
  }
}
