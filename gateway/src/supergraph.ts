// The stock Apollo gateway over the checked-in supergraph: it plans queries and
// mutations across the subgraphs and signs the caller's context into every subgraph
// request, which is the only thing subgraphs trust.
import { readFileSync } from 'node:fs';
import {
  ApolloGateway,
  RemoteGraphQLDataSource,
  type GraphQLDataSource,
  type GraphQLDataSourceProcessOptions,
} from '@apollo/gateway';
import { INTERNAL_CONTEXT_HEADER, signCallerContext } from '@cei/contracts';
import type { Logger } from '@cei/config';
import type { GatewayContext } from './auth/operation-access';
import { SUBGRAPH_NAMES, type SubgraphName } from './compose';
import { createSubgraphFetcher } from './subgraph-fetcher';
import { answerFromEvent } from './subscriptions/event-entity';
import { createEntityBatches, representationsOf } from './subscriptions/entity-batches';
import { subgraphUrls, type GatewayConfig } from './config';

export function readSupergraph(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the supergraph at ${path}: run \`pnpm compose\` or set CEI_SUPERGRAPH_PATH`, {
      cause: err,
    });
  }
}

/**
 * A subgraph's data source that answers an event query's first fetch from the event when it
 * asks nothing more than the event says (subscriptions/event-entity.ts); every other request goes
 * to the subgraph.
 */
class EventAnsweringDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  /** An event query's entity fetches, sent together with those of the same burst (entity-batches.ts). */
  private readonly batches = createEntityBatches<GatewayContext>((options) => super.process(options));

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    // Only an operation's fetches carry a context of ours (not health checks or schema loads).
    const { eventEntity: entity, caller } = options.context as Partial<GatewayContext>;
    const { query, variables } = options.request;
    const answer = entity && query ? answerFromEvent(query, variables, entity) : undefined;
    if (answer) return answer;
    const representations = entity ? representationsOf(options) : undefined;
    if (!representations || !caller) return super.process(options);
    // Fetches of one caller go together whatever their trace: the request carries the first one's.
    const { representations: _, ...others } = variables!;
    const key = JSON.stringify([query, others, caller.workspaceId, caller.role, caller.actor ?? null]);
    return this.batches.fetch(key, options, representations);
  }
}

type SubgraphFetcher = NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher'];

export function createSupergraphGateway(
  config: GatewayConfig,
  log: Logger,
  /** The gateway's own subgraph (access/schema.ts), executed in-process. */
  access: { name: string; dataSource: GraphQLDataSource },
): ApolloGateway {
  const urls = subgraphUrls(config);
  const secret = config.CEI_INTERNAL_SECRET;
  const fetcher = createSubgraphFetcher() as unknown as SubgraphFetcher;
  return new ApolloGateway({
    supergraphSdl: readSupergraph(config.CEI_SUPERGRAPH_PATH),
    logger: log.child({ component: 'apollo-gateway' }),
    buildService({ name }) {
      if (name === access.name) return access.dataSource;
      if (!(SUBGRAPH_NAMES as readonly string[]).includes(name)) {
        throw new Error(`the supergraph names subgraph "${name}", which this gateway has no url for`);
      }
      return new EventAnsweringDataSource({
        url: urls[name as SubgraphName],
        // node:http with a keep-alive agent (subgraph-fetcher.ts), not the default make-fetch-happen
        // (its agent builds an Error and reads its stack on every request, ~10% of the gateway's
        // CPU at 50 requests/s) nor Node's fetch (its web streams and objects, ~24%).
        fetcher,
        willSendRequest({ request, ...options }) {
          // Only requests made for a caller are signed; anything else is refused downstream.
          const caller = 'context' in options ? (options.context as Partial<GatewayContext>).caller : undefined;
          if (caller) request.http?.headers.set(INTERNAL_CONTEXT_HEADER, signCallerContext(secret, caller));
        },
      });
    },
  });
}
