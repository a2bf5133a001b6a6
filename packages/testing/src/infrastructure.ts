// The harness entry point: real NATS and a real MongoDB-compatible server for a
// test run, taken from NATS_URL / MONGO_URL or started here and stopped after.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statfsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LogLine } from './processes';
import { startFerretDB, startNats, startPostgres, type RunningServer } from './servers';
import { postgresBinDir } from './binaries';

export interface Infrastructure {
  natsUrl: string;
  mongoUrl: string;
  /** The database behind mongoUrl: 'external', 'mongodb-memory-server', 'ferretdb-postgresql' or 'ferretdb-sqlite'. */
  backend: string;
  /** The PostgreSQL behind FerretDB, when this run started one. */
  postgresUrl?: string;
  /** Where the nats-server keeps its streams: 'tmpfs', 'disk' or 'external' (NATS_URL). */
  natsStore: NatsStore | 'external';
  /** Main process ids of the servers this run started, by name (`nats-server`, `ferretdb`, `postgres`): for RSS. */
  serverPids: Record<string, number>;
  stop(): Promise<void>;
}

type FerretBackend = 'postgresql' | 'sqlite';

interface Database {
  url: string;
  backend: string;
  postgresUrl?: string;
}

/** Servers this run started, stopped newest first so no server loses a client it still serves. */
class StartedServers {
  private readonly servers: RunningServer[] = [];
  readonly pids: Record<string, number> = {};
  private stopping: Promise<void> | undefined;

  add(server: RunningServer, name: string): RunningServer {
    this.servers.push(server);
    if (server.pid !== undefined) this.pids[name] = server.pid;
    return server;
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const server of [...this.servers].reverse()) await server.stop();
    })();
    return this.stopping;
  }
}

export async function startInfrastructure(opts: { dir: string; log?: LogLine }): Promise<Infrastructure> {
  mkdirSync(opts.dir, { recursive: true });
  const started = new StartedServers();
  const store = process.env.NATS_URL ? 'external' : natsStore();
  // Started side by side; if one fails, whatever did start is stopped before the error surfaces.
  const [nats, database] = await Promise.allSettled([
    store === 'external' ? process.env.NATS_URL! : startThrowawayNats(store, opts, started),
    startDatabase(opts, started),
  ]);
  if (nats.status === 'rejected' || database.status === 'rejected') {
    await started.stop();
    throw nats.status === 'rejected' ? nats.reason : (database as PromiseRejectedResult).reason;
  }
  return {
    natsUrl: nats.value,
    mongoUrl: database.value.url,
    backend: database.value.backend,
    postgresUrl: database.value.postgresUrl,
    natsStore: store,
    serverPids: started.pids,
    stop: () => started.stop(),
  };
}

export type NatsStore = 'tmpfs' | 'disk';

/** The shared-memory file system (tmpfs on Linux) the throwaway nats-server may store in. */
const SHM = '/dev/shm';
const TMPFS_MAGIC = 0x01021994;
/** What the tmpfs must have free: a whole benchmark's streams stay well under it. */
const SHM_MIN_FREE = 2 * 1024 ** 3;
const SHM_PREFIX = 'cei-nats-';

/**
 * Where the throwaway nats-server keeps its streams: in memory (/dev/shm) when the machine has a
 * tmpfs there with room, as throwaway as the PostgreSQL without fsync below; else under the run's
 * directory. CEI_NATS_STORE=disk (or tmpfs) chooses. Why: JetStream keeps each consumer's state in
 * a file it rewrites (creates, writes, renames) up to 10 times a second per consumer, and on this
 * machine's ext4 each rewrite took 0.3–0.5 ms of kernel time: 78% of the server's CPU at 30
 * interactions/s, where a fresh contact's interaction is ~14 deliveries to ~190 partition
 * consumers (docs/benchmarks.md, fourteenth session). A deployment's NATS stores on its own disk.
 */
function natsStore(): NatsStore {
  const asked = process.env.CEI_NATS_STORE;
  if (asked === 'disk') return 'disk';
  const shm = shmFree();
  if (asked === 'tmpfs') {
    if (shm === null) throw new Error(`CEI_NATS_STORE=tmpfs, but ${SHM} is not a tmpfs: unset it or set it to disk`);
    return 'tmpfs';
  }
  if (asked) throw new Error(`CEI_NATS_STORE must be 'tmpfs' or 'disk', not '${asked}'`);
  return shm !== null && shm >= SHM_MIN_FREE ? 'tmpfs' : 'disk';
}

/** Bytes free on /dev/shm if it is a tmpfs, else null. */
function shmFree(): number | null {
  try {
    const fs = statfsSync(SHM);
    return fs.type === TMPFS_MAGIC ? fs.bavail * fs.bsize : null;
  } catch {
    return null;
  }
}

async function startThrowawayNats(
  store: NatsStore,
  opts: { dir: string; log?: LogLine },
  started: StartedServers,
): Promise<string> {
  if (store === 'disk') {
    return started.add(await startNats({ dataDir: join(opts.dir, 'nats'), log: opts.log }), 'nats-server').url;
  }
  removeAbandonedStores();
  // Named by this process, so a later run can tell a store whose run died (and free its memory).
  const dataDir = mkdtempSync(join(SHM, `${SHM_PREFIX}${process.pid}-`));
  try {
    const nats = await startNats({ dataDir, log: opts.log });
    const removeAfterStop: RunningServer = {
      ...nats,
      stop: async () => {
        await nats.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
    return started.add(removeAfterStop, 'nats-server').url;
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/** Removes the tmpfs stores of runs that ended without stopping their server (killed). */
function removeAbandonedStores(): void {
  for (const name of readdirSync(SHM)) {
    if (!name.startsWith(SHM_PREFIX)) continue;
    const pid = Number.parseInt(name.slice(SHM_PREFIX.length), 10);
    if (pid > 0 && !isAlive(pid)) rmSync(join(SHM, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function startDatabase(opts: { dir: string; log?: LogLine }, started: StartedServers): Promise<Database> {
  if (process.env.MONGO_URL) return { url: process.env.MONGO_URL, backend: 'external' };
  if (process.env.MONGOMS_SYSTEM_BINARY) return startMongoMemoryServer(join(opts.dir, 'mongo'), started);
  const backend = ferretBackend(opts.log);
  const postgres =
    backend === 'postgresql'
      ? started.add(await startPostgres({ dataDir: postgresDir(opts.dir), ephemeral: true, log: opts.log }), 'postgres')
      : undefined;
  const postgresUrl = postgres?.url;
  const ferret = await startFerretDB({ dataDir: join(opts.dir, 'ferretdb'), backend, postgresUrl, log: opts.log });
  return { url: started.add(ferret, 'ferretdb').url, backend: `ferretdb-${backend}`, postgresUrl };
}

/**
 * PostgreSQL (measured 7–8× faster than SQLite for updates by _id) unless chosen
 * otherwise; on a machine without PostgreSQL, SQLite, so that a fresh machine runs
 * the tests anyway (`.ci/run` installs PostgreSQL, so CI runs on it).
 */
function ferretBackend(log?: LogLine): FerretBackend {
  const value = process.env.CEI_FERRETDB_BACKEND;
  if (!value) {
    try {
      postgresBinDir();
      return 'postgresql';
    } catch {
      (log ?? ((line: string) => process.stderr.write(`${line}\n`)))(
        '[cei/testing] PostgreSQL is not installed (apt-get install postgresql): using FerretDB on SQLite',
      );
      return 'sqlite';
    }
  }
  if (value === 'postgresql' || value === 'sqlite') return value;
  throw new Error(`CEI_FERRETDB_BACKEND must be 'postgresql' or 'sqlite', not '${value}'`);
}

/** As root, PostgreSQL runs as `postgres`, which must be able to pass through our directory to its own. */
function postgresDir(dir: string): string {
  if (process.getuid?.() === 0) chmodSync(dir, statSync(dir).mode | 0o001);
  return join(dir, 'postgres');
}

/** A real mongod, only where one exists: mongodb-memory-server cannot download it here. */
async function startMongoMemoryServer(dbPath: string, started: StartedServers): Promise<Database> {
  // Loaded only on this branch, so machines without a mongod never pay for (or depend on) it.

  const { MongoMemoryServer } = require('mongodb-memory-server') as typeof import('mongodb-memory-server');
  mkdirSync(dbPath, { recursive: true });
  const server = await MongoMemoryServer.create({ instance: { ip: '127.0.0.1', dbPath } });
  started.add(
    {
      url: server.getUri(),
      pid: server.instanceInfo?.instance.mongodProcess?.pid,
      stop: async () => void (await server.stop({ doCleanup: false })),
    },
    'mongod',
  );
  return { url: server.getUri(), backend: 'mongodb-memory-server' };
}
