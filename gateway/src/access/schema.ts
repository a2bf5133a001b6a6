// The gateway's own part of the graph as a federation subgraph named `access`: composed
// into the supergraph with the four services (compose.ts) and executed in-process by the
// Apollo gateway (LocalGraphQLDataSource), so the operator's and admins' operations
// are planned, limited, role-checked and error-formatted like any other.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LocalGraphQLDataSource } from '@apollo/gateway';
import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';

import { GraphQLError, parse } from 'graphql';
import { isErrorCode } from '@cei/contracts';
import { DateTimeScalar } from '@cei/subgraph';
import type { Logger } from '@cei/config';
import type { GatewayContext } from '../auth/operation-access';
import { accessResolvers } from './resolvers';
import type { KeyStore } from './key-store';

export const ACCESS_SUBGRAPH = 'access';
export const ACCESS_SCHEMA_FILE = resolve(__dirname, 'schema.graphql');

export function readAccessSchema(): string {
  return readFileSync(ACCESS_SCHEMA_FILE, 'utf8');
}

type Resolver = (parent: unknown, args: never, context: GatewayContext) => Promise<unknown>;

/** Unexpected failures are logged here with the caller's trace id; clients see only the generic message. */
function logged(map: Record<string, Record<string, Resolver>>, log: Logger) {
  return Object.fromEntries(
    Object.entries(map).map(([type, fields]) => [
      type,
      Object.fromEntries(
        Object.entries(fields).map(([name, resolver]) => [
          name,
          async (parent: unknown, args: never, context: GatewayContext) => {
            try {
              return await resolver(parent, args, context);
            } catch (err) {
              if (!(err instanceof GraphQLError && isErrorCode(err.extensions.code))) {
                const traceId = context.caller?.traceId ?? context.operator?.traceId;
                log.error({ err, field: `${type}.${name}`, traceId }, 'access operation failed');
              }
              throw err;
            }
          },
        ]),
      ),
    ]),
  );
}

export function accessDataSource(store: KeyStore, log: Logger): LocalGraphQLDataSource {
  const resolvers = { DateTime: DateTimeScalar, ...logged(accessResolvers(store) as never, log) };
  const schema = buildSubgraphSchema([
    { typeDefs: parse(readAccessSchema()), resolvers: resolvers as unknown as GraphQLResolverMap<unknown> },
  ]);
  return new LocalGraphQLDataSource(schema);
}
