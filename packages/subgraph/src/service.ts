// A CEI service's life, the same for every subgraph: connect its own database and
// NATS, declare the streams, build its parts (consumers, background work), serve
// the subgraph, and stop in the reverse order — HTTP first, so no request
// finds a stopped consumer, then the parts, then NATS and the database.
import { readFileSync } from 'node:fs';
import type { Connection, Model } from 'mongoose';
import { topology, type Topology } from '@cei/contracts';
import { databaseName, type Logger } from '@cei/config';
import { connectDatabase, type Database } from '@cei/mongo';
import { connectNats, ensureStreams, type Nats } from '@cei/nats';
import { startSubgraphServer, type RequestContext, type SubgraphResolvers, type SubgraphRoute } from './server';

/** The settings every service reads (see `baseEnv` in @cei/config). */
export interface ServiceSettings {
  NATS_URL: string;
  MONGO_URL: string;
  CEI_NAMESPACE: string;
  CEI_INTERNAL_SECRET: string;
  CEI_STREAM_REPLICAS: number;
}

export interface ServiceRuntime<M> {
  db: Database;
  models: M;
  nats: Nats;
  topology: Topology;
  log: Logger;
}

/** A consumer or background task: started in order, stopped in reverse. */
export interface ServicePart {
  start?(): Promise<void> | void;
  stop(): Promise<void>;
  readiness?(): boolean;
  /** A partitioned consumer: its name, and the partitions pinned to this instance now. */
  name?: string;
  ownedPartitions?(): Promise<number[]>;
}

export interface ServiceDefinition<M, S, C extends RequestContext> {
  name: string;
  /** Path of the service's schema.graphql. */
  schemaPath: string;
  /** Typed by the service's generated `Resolvers` (src/__generated__/resolvers-types.ts). */
  resolvers: SubgraphResolvers;
  listen: { port: number; host: string };
  /** The service's models on its connection (`db` says e.g. whether it is FerretDB). */
  models(connection: Connection, db: Database): M;
  /** Builds the parts, and whatever else the context or the caller needs (`state`). */
  setup(runtime: ServiceRuntime<M>): S & { parts: ServicePart[] };
  /** The per-request context: DataLoaders live here, one set per request. */
  context(base: RequestContext, runtime: ServiceRuntime<M>, state: S): C;
  /** Plain-HTTP endpoints beside /graphql, behind the same signed context (see SubgraphServerOptions). */
  routes?(runtime: ServiceRuntime<M>, state: S): Record<string, SubgraphRoute>;
}

export interface RunningService<M, S> {
  url: string;
  runtime: ServiceRuntime<M>;
  state: S;
  /** Idempotent. */
  stop(): Promise<void>;
}

export async function startService<M extends object, S, C extends RequestContext>(
  definition: ServiceDefinition<M, S, C>,
  settings: ServiceSettings,
  log: Logger,
): Promise<RunningService<M, S>> {
  const ns = topology(settings.CEI_NAMESPACE);
  const db = await connectDatabase(settings.MONGO_URL, databaseName(settings.CEI_NAMESPACE, definition.name));
  const models = definition.models(db.connection, db);
  // Builds each collection's indexes before anything writes.
  await Promise.all(Object.values(models as Record<string, Pick<Model<unknown>, 'init'>>).map((model) => model.init()));
  const nats = await connectNats(settings.NATS_URL, definition.name);
  await ensureStreams(nats.jsm, ns, settings.CEI_STREAM_REPLICAS);

  const runtime: ServiceRuntime<M> = { db, models, nats, topology: ns, log };
  const { parts, ...state } = definition.setup(runtime);
  for (const part of parts) await part.start?.();

  const server = await startSubgraphServer<C>({
    name: definition.name,
    typeDefs: readFileSync(definition.schemaPath, 'utf8'),
    resolvers: definition.resolvers,
    port: definition.listen.port,
    host: definition.listen.host,
    secret: settings.CEI_INTERNAL_SECRET,
    log,
    readiness: () => parts.every((part) => part.readiness?.() ?? true),
    ownedPartitions: async () => {
      const consumers = parts.filter((part) => part.name && part.ownedPartitions);
      const owned = await Promise.all(consumers.map((part) => part.ownedPartitions!()));
      return Object.fromEntries(consumers.map((part, i) => [part.name!, owned[i]!]));
    },
    context: (base) => definition.context(base, runtime, state as S),
    routes: definition.routes?.(runtime, state as S),
  });
  log.info({ url: server.url }, `${definition.name} ready`);

  let stopping: Promise<void> | undefined;
  return {
    url: server.url,
    runtime,
    state: state as S,
    stop: () =>
      (stopping ??= (async () => {
        await server.stop();
        for (const part of [...parts].reverse()) await part.stop();
        await nats.close();
        await db.close();
      })()),
  };
}
