// The gateway's configuration, from the environment in one typed place. Defaults run
// the local platform: subgraphs on 4001–4004, the gateway on 4000.
import { resolve } from 'node:path';
import { z } from 'zod';
import { baseEnv, loadConfig, port } from '@cei/config';
import type { SubgraphName } from './compose';
import type { OperationLimits } from './operation-limits';

const subgraphUrl = (port: number) => z.url().default(`http://127.0.0.1:${port}/graphql`);

export const gatewayEnv = {
  ...baseEnv,
  /** 0 picks a free port (tests). */
  GATEWAY_PORT: port(4000),
  /** Loopback by default; 0.0.0.0 in a container behind a load balancer. */
  GATEWAY_HOST: z.string().default('127.0.0.1'),
  CEI_INGESTION_URL: subgraphUrl(4001),
  CEI_SCORING_URL: subgraphUrl(4002),
  CEI_LIFECYCLE_URL: subgraphUrl(4003),
  CEI_NOTIFICATION_URL: subgraphUrl(4004),
  CEI_SUPERGRAPH_PATH: z.string().default(resolve(__dirname, '..', 'supergraph.graphql')),
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  MAX_QUERY_DEPTH: z.coerce.number().int().positive().default(10),
  /**
   * graphql-armor's cost (see operation-limits.ts). Every field of a contact card costs about
   * 1,300; with a 200-entry `scoreHistory(first: 200)` page about 12,000.
   */
  MAX_QUERY_COST: z.coerce.number().int().positive().default(15_000),
  MAX_QUERY_ALIASES: z.coerce.number().int().min(0).default(15),
  MAX_QUERY_DIRECTIVES: z.coerce.number().int().min(0).default(50),
  MAX_QUERY_TOKENS: z.coerce.number().int().positive().default(10_000),
  /**
   * SSE: results one subscription may have unread before the gateway cuts its stream as too slow.
   * Resume with `after` to lose nothing.
   */
  SUBSCRIPTION_BUFFER: z.coerce.number().int().positive().default(100),
  /**
   * graphql-ws: bytes of results a socket may have queued in the gateway, beyond what the
   * operating system's socket buffers took, before it is closed as too slow (4008).
   */
  SUBSCRIPTION_BUFFER_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  /** graphql-ws keep-alive: a ping this often; a socket that answers none within as long is ended (1006). */
  WS_KEEPALIVE_MS: z.coerce.number().int().min(0).default(12_000),
  /** How far back a subscription may resume (`after`): the smaller bound wins (REPLAY_WINDOW_EXCEEDED beyond). */
  SUBSCRIPTION_REPLAY_HOURS: z.coerce.number().positive().default(24),
  SUBSCRIPTION_REPLAY_EVENTS: z.coerce.number().int().positive().default(10_000),
  /**
   * How long a gateway trusts a key (and a workspace's status) it read, without asking the
   * database again. Revocations and suspensions reach every gateway over NATS within a
   * second or so; this is only the bound should a gateway miss that message.
   */
  KEY_CACHE_TTL_MS: z.coerce.number().int().positive().default(5_000),
  /**
   * The operator credential: creates, lists, suspends and resumes workspaces through the
   * graph (Authorization: Bearer <it>). Unset: nobody can (the run command generates one).
   */
  CEI_OPERATOR_KEY: z
    .string()
    .regex(/^cei_operator_[A-Za-z0-9_-]{32,}$/, 'expected cei_operator_ and at least 32 letters, digits, _ or -')
    .optional(),
};

export type GatewayConfig = z.infer<z.ZodObject<typeof gatewayEnv>>;

export function loadGatewayConfig(env: Record<string, string | undefined> = process.env): GatewayConfig {
  return loadConfig(gatewayEnv, env);
}

/** A full config from a few overrides, with every default applied (what tests start from). */
export function gatewayConfig(
  overrides: Partial<GatewayConfig> & Pick<GatewayConfig, 'CEI_INTERNAL_SECRET'>,
): GatewayConfig {
  return { ...loadConfig(gatewayEnv, { CEI_INTERNAL_SECRET: overrides.CEI_INTERNAL_SECRET }), ...overrides };
}

export function operationLimits(config: GatewayConfig): OperationLimits {
  return {
    maxDepth: config.MAX_QUERY_DEPTH,
    maxCost: config.MAX_QUERY_COST,
    maxAliases: config.MAX_QUERY_ALIASES,
    maxDirectives: config.MAX_QUERY_DIRECTIVES,
    maxTokens: config.MAX_QUERY_TOKENS,
  };
}

export function subgraphUrls(config: GatewayConfig): Record<SubgraphName, string> {
  return {
    ingestion: config.CEI_INGESTION_URL,
    scoring: config.CEI_SCORING_URL,
    lifecycle: config.CEI_LIFECYCLE_URL,
    notification: config.CEI_NOTIFICATION_URL,
  };
}
