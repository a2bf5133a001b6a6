// Starts the gateway: the Apollo gateway for queries and mutations, the subscription
// hub beside it, one HTTP server carrying /graphql (HTTP and graphql-ws), /collect
// and /health. `stop()` may be called any number of times.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { FormattedExecutionResult, GraphQLSchema } from 'graphql';
import { INTERNAL_MESSAGE, topology, type CallerContext } from '@cei/contracts';
import { createLogger, databaseName, type Logger } from '@cei/config';
import { connectDatabase, type Database } from '@cei/mongo';
import { connectNats, type Nats } from '@cei/nats';
import { keepIdleConnections } from '@cei/subgraph';
import { createAuthenticator, createWorkspace, type WorkspaceKeys } from './auth/api-keys';
import { operatorAuthenticator } from './auth/operator';
import { createKeyStore } from './access/key-store';
import { startAccessPropagation } from './access/propagation';
import { accessDataSource, ACCESS_SUBGRAPH } from './access/schema';
import { operationAccessPlugin, type GatewayContext } from './auth/operation-access';
import { operationLimits, type GatewayConfig } from './config';
import { errorLoggingPlugin, formatError, responseStatusPlugin } from './error-format';
import { coerceVariablesOnce, inputValuesPlugin, useSubgraphScalarParsers } from './input-values';
import { limitRules } from './operation-limits';
import { createCollect } from './collect';
import { createRequestHandler, GRAPHQL_PATH } from './http';
import { createSupergraphGateway } from './supergraph';
import { createSubscriptionHub, type SubscriptionHub } from './subscriptions/hub';
import { natsEventBus } from './subscriptions/nats-bus';
import type { EventEntity } from './subscriptions/event-entity';
import { startSubscriptionServer, type OperationRequest } from './subscriptions/ws-server';
import { createSseHandler, isEventStreamRequest } from './subscriptions/sse';

export interface StartGatewayOptions {
  /** Defaults to a `gateway` logger at config.LOG_LEVEL. */
  log?: Logger;
}

export interface RunningGateway {
  /** e.g. http://127.0.0.1:4000/graphql (POST /collect and GET /health live beside it). */
  httpUrl: string;
  /** e.g. ws://127.0.0.1:4000/graphql (graphql-ws). */
  wsUrl: string;
  /** The gateway's own database (API keys, workspaces). */
  db: Database;
  /** A new workspace with an admin, a write and a read key. */
  createWorkspace(workspaceId?: string): Promise<WorkspaceKeys>;
  stop(): Promise<void>;
}

export async function startGateway(config: GatewayConfig, options: StartGatewayOptions = {}): Promise<RunningGateway> {
  const log = options.log ?? createLogger('gateway', config.LOG_LEVEL);
  // Everything started so far, stopped in reverse order on failure or stop().
  const stack: { what: string; stop: () => Promise<unknown> }[] = [];
  const stopAll = async () => {
    for (const { what, stop } of stack.splice(0).reverse()) {
      await stop().catch((err: unknown) => log.error({ err }, `stopping ${what} failed`));
    }
  };

  try {
    const db = await connectDatabase(config.MONGO_URL, databaseName(config.CEI_NAMESPACE, 'gateway'));
    stack.push({ what: 'database', stop: () => db.close() });
    const nats: Nats = await connectNats(config.NATS_URL, 'cei-gateway');
    stack.push({ what: 'nats', stop: () => nats.close() });

    // Keys: cached briefly, changes announced to every gateway over NATS (access/propagation.ts).
    const authenticator = createAuthenticator(db.connection, { ttlMs: config.KEY_CACHE_TTL_MS });
    stack.push({ what: 'authenticator', stop: async () => authenticator.stop() });
    const propagation = startAccessPropagation({
      nc: nats.nc,
      namespace: config.CEI_NAMESPACE,
      authenticator,
      log,
    });
    stack.push({ what: 'access propagation', stop: async () => propagation.stop() });
    const keyStore = createKeyStore({ conn: db.connection, announce: propagation.announce });

    const gateway = coerceVariablesOnce(
      createSupergraphGateway(config, log, { name: ACCESS_SUBGRAPH, dataSource: accessDataSource(keyStore, log) }),
    );
    let apiSchema: GraphQLSchema | undefined;
    gateway.onSchemaLoadOrUpdate(({ apiSchema: schema }) => {
      useSubgraphScalarParsers(schema);
      apiSchema = schema;
    });
    const limits = operationLimits(config);
    const apollo = new ApolloServer<GatewayContext>({
      gateway,
      validationRules: limitRules(limits),
      formatError,
      includeStacktraceInErrorResponses: false,
      introspection: true,
      // Every request carries an Authorization header, which browsers never send cross-site
      // without a preflight, so Apollo's own CSRF guard would only block curl and GETs.
      csrfPrevention: false,
      stopOnTerminationSignals: false,
      plugins: [
        operationAccessPlugin,
        inputValuesPlugin,
        errorLoggingPlugin(log),
        responseStatusPlugin,
        ApolloServerPluginLandingPageDisabled(),
      ],
    });
    await apollo.start();
    stack.push({ what: 'apollo', stop: () => apollo.stop() });

    const execute = async (
      caller: CallerContext,
      request: OperationRequest,
      eventEntity?: EventEntity,
    ): Promise<FormattedExecutionResult> => {
      const response = await apollo.executeOperation(request, { contextValue: { caller, eventEntity } });
      if (response.body.kind === 'single') return response.body.singleResult;
      log.error({ workspaceId: caller.workspaceId, traceId: caller.traceId }, 'operation answered incrementally');
      return {
        errors: [{ message: INTERNAL_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR', traceId: caller.traceId } }],
      };
    };
    const hub: SubscriptionHub = createSubscriptionHub({
      bus: natsEventBus(nats, log),
      topology: topology(config.CEI_NAMESPACE),
      execute,
      log,
      queueCapacity: config.SUBSCRIPTION_BUFFER,
      replayWindow: {
        maxAgeMs: config.SUBSCRIPTION_REPLAY_HOURS * 3600_000,
        maxEvents: config.SUBSCRIPTION_REPLAY_EVENTS,
      },
    });
    stack.push({ what: 'subscription hub', stop: async () => hub.stop() });

    const sse = createSseHandler({
      limits,
      authenticator,
      apiSchema: () => apiSchema,
      hub,
      executeOperation: execute,
      log,
    });
    const handleRequest = createRequestHandler({
      apollo,
      authenticator,
      maxBodyBytes: config.MAX_BODY_BYTES,
      maxTokens: limits.maxTokens,
      isReady: () => apiSchema !== undefined,
      operator: operatorAuthenticator(config.CEI_OPERATOR_KEY),
      collect: createCollect({
        ingestionUrl: config.CEI_INGESTION_URL,
        secret: config.CEI_INTERNAL_SECRET,
        maxBodyBytes: config.MAX_BODY_BYTES,
      }),
      log,
    });
    // Subscriptions over Server-Sent Events share /graphql with plain HTTP (graphql-sse).
    const httpServer = keepIdleConnections(
      createServer((req, res) =>
        isEventStreamRequest(req) && req.url?.split('?')[0] === GRAPHQL_PATH
          ? void sse(req, res).catch((err: unknown) => {
              log.error({ err }, 'SSE request failed');
              res.destroy();
            })
          : handleRequest(req, res),
      ),
    );
    stack.push({ what: 'http server', stop: () => closeHttpServer(httpServer) });
    const ws = startSubscriptionServer({
      httpServer,
      path: GRAPHQL_PATH,
      maxPayloadBytes: config.MAX_BODY_BYTES,
      limits,
      authenticator,
      apiSchema: () => apiSchema,
      hub,
      maxBufferedBytes: config.SUBSCRIPTION_BUFFER_BYTES,
      keepAliveMs: config.WS_KEEPALIVE_MS,
      executeOperation: execute,
      log,
    });
    stack.push({ what: 'websocket server', stop: () => ws.close() });

    await listen(httpServer, config.GATEWAY_PORT, config.GATEWAY_HOST);
    const { port } = httpServer.address() as AddressInfo;
    const host = config.GATEWAY_HOST === '0.0.0.0' || config.GATEWAY_HOST === '::' ? '127.0.0.1' : config.GATEWAY_HOST;
    let stopping: Promise<void> | undefined;
    return {
      httpUrl: `http://${host}:${port}${GRAPHQL_PATH}`,
      wsUrl: `ws://${host}:${port}${GRAPHQL_PATH}`,
      db,
      createWorkspace: (workspaceId) => createWorkspace(db.connection, workspaceId),
      stop: () =>
        (stopping ??= (async () => {
          log.info('gateway stopping');
          await stopAll();
          log.info('gateway stopped');
        })()),
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Stops accepting, lets requests in flight finish for a moment, then cuts what is left. */
async function closeHttpServer(server: Server, graceMs = 5_000): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  await closed;
  clearTimeout(timer);
}
