// Entity fetches of subscription payloads, sent together. Each event's payload is planned and
// executed on its own (plan.ts, hub.ts), so a burst of phase changes made one `_entities`
// request per event to the subgraph owning a selected field (a phase change's
// `contact { score { general } }`: one request to scoring each, with its request pipeline and
// its read). The fetches that one burst starts within WINDOW_MS of each other, with the same
// query and caller, go out as one request with all their representations — what the query
// planner does for the entities of one operation — and each gets back its own slice of
// `_entities`, with the errors whose path points into it. In `pnpm bench:latency` at 200 fresh
// contacts a second, the fetch cost the platform ~1.2 ms of CPU per interaction.
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';

type GatewayGraphQLResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

/**
 * How long the first fetch of a batch waits for others. A burst of events is not one turn of the
 * event loop: JetStream stores and delivers each published event on its own, so the gateway reads
 * them a fraction of a millisecond apart.
 */
export const WINDOW_MS = 2;

/** Representations in one request at most: a larger burst goes out as several. */
export const MAX_REPRESENTATIONS = 100;

type Options<C extends Record<string, unknown>> = GraphQLDataSourceProcessOptions<C>;
type Send<C extends Record<string, unknown>> = (options: Options<C>) => Promise<GatewayGraphQLResponse>;

interface Waiting<C extends Record<string, unknown>> {
  options: Options<C>;
  representations: readonly unknown[];
  resolve(response: GatewayGraphQLResponse): void;
  reject(err: unknown): void;
}

interface Batch<C extends Record<string, unknown>> {
  waiting: Waiting<C>[];
  count: number;
}

/** The representations of an entity fetch (`_entities(representations:)`); undefined for any other fetch. */
export function representationsOf(options: Options<Record<string, unknown>>): readonly unknown[] | undefined {
  const representations = options.request.variables?.['representations'];
  return Array.isArray(representations) && representations.length > 0 ? representations : undefined;
}

/**
 * Batches entity fetches by `key` (the query, the other variables and the caller: only fetches
 * that would be the same request but for their representations go together).
 */
export function createEntityBatches<C extends Record<string, unknown>>(send: Send<C>) {
  const open = new Map<string, Batch<C>>();

  function flush(key: string, batch: Batch<C>): void {
    if (open.get(key) === batch) open.delete(key);
    const { waiting } = batch;
    if (waiting.length === 1) {
      const [only] = waiting;
      send(only!.options).then(only!.resolve, only!.reject);
      return;
    }
    const first = waiting[0]!.options;
    const merged: Options<C> = {
      ...first,
      request: {
        ...first.request,
        variables: { ...first.request.variables, representations: waiting.flatMap((w) => w.representations) },
      },
    };
    send(merged).then(
      (response) => {
        let offset = 0;
        for (const w of waiting) {
          w.resolve(sliceOf(response, offset, w.representations.length));
          offset += w.representations.length;
        }
      },
      (err: unknown) => {
        for (const w of waiting) w.reject(err);
      },
    );
  }

  return {
    fetch(key: string, options: Options<C>, representations: readonly unknown[]): Promise<GatewayGraphQLResponse> {
      return new Promise<GatewayGraphQLResponse>((resolve, reject) => {
        let batch = open.get(key);
        if (batch && batch.count + representations.length > MAX_REPRESENTATIONS) {
          flush(key, batch);
          batch = undefined;
        }
        if (!batch) {
          const created: Batch<C> = { waiting: [], count: 0 };
          open.set(key, created);
          setTimeout(() => {
            if (open.get(key) === created) flush(key, created);
          }, WINDOW_MS);
          batch = created;
        }
        batch.waiting.push({ options, representations, resolve, reject });
        batch.count += representations.length;
      });
    },
  };
}

/**
 * One fetch's part of a batched response: its `_entities` (by position), the errors whose path
 * points into them (re-indexed), and every error that points into none (the whole request's).
 */
export function sliceOf(response: GatewayGraphQLResponse, offset: number, length: number): GatewayGraphQLResponse {
  const entities = response.data?.['_entities'];
  const data = Array.isArray(entities)
    ? { ...response.data, _entities: entities.slice(offset, offset + length) }
    : response.data;
  const errors = response.errors?.flatMap((error) => {
    const [field, index, ...rest] = error.path ?? [];
    if (field !== '_entities' || typeof index !== 'number') return [error];
    if (index < offset || index >= offset + length) return [];
    return [{ ...error, path: [field, index - offset, ...rest] }];
  });
  const { errors: _all, ...rest } = response;
  // No `errors` at all when none is this fetch's: a GraphQL response never holds an empty list.
  return errors && errors.length > 0 ? { ...rest, data, errors } : { ...rest, data };
}
