// The harness entry point: real NATS and a real MongoDB-compatible server for a
// test run, taken from NATS_URL / MONGO_URL or started here and stopped after.
import { chmodSync, mkdirSync, statSync } from 'node:fs';
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
  // Started side by side; if one fails, whatever did start is stopped before the error surfaces.
  const [nats, database] = await Promise.allSettled([
    process.env.NATS_URL ||
      startNats({ dataDir: join(opts.dir, 'nats'), log: opts.log }).then((s) => started.add(s, 'nats-server').url),
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
    serverPids: started.pids,
    stop: () => started.stop(),
  };
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
