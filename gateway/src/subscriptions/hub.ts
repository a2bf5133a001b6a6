// Delivers events to this gateway's subscribers: an event → the plans of the
// subscribers it matches → one query execution per distinct plan (through the stock
// gateway, which fetches the payload from every subgraph it touches) → a result
// shaped per subscriber. One core NATS subscription per (workspace, source) is shared
// by all subscribers of that workspace here; every gateway instance holds its own,
// so each delivers every event to its own subscribers.
import { randomUUID } from 'node:crypto';
import type { FormattedExecutionResult, GraphQLFormattedError } from 'graphql';
import { LRUCache } from 'lru-cache';
import pLimit from 'p-limit';
import stableStringify from 'safe-stable-stringify';
import { ERRORS, INTERNAL_MESSAGE, type CallerContext, type Topology } from '@cei/contracts';
import type { Logger } from '@cei/config';
import { DeliveryQueue } from './delivery-queue';
import { EVENT_ID_VARIABLE, EVENT_QUERY_NAME, type SubscriptionPlan } from './plan';
import { EVENT_SOURCES, type EventSource, type SourceEvent } from './sources';

export type SubscriptionResult = FormattedExecutionResult<Record<string, unknown>>;

/** The slice of NATS the hub needs (core subscriptions, no queue group). */
export interface EventBus {
  subscribe(subject: string, onMessage: (data: Uint8Array) => void): { unsubscribe(): void };
  /** Resolves once the server has seen our subscriptions. */
  flush(): Promise<void>;
}

export interface EventQueryRequest {
  query: string;
  variables: Record<string, unknown>;
  operationName: string;
}

export type ExecuteEventQuery = (caller: CallerContext, request: EventQueryRequest) => Promise<SubscriptionResult>;

export interface SubscriptionHubOptions {
  bus: EventBus;
  topology: Topology;
  execute: ExecuteEventQuery;
  log: Logger;
  sources?: Readonly<Record<string, EventSource>>;
  /** Results a subscriber may have waiting before its oldest are dropped. */
  queueCapacity?: number;
  /** Event queries in flight at once on this gateway: protects the subgraphs from bursts. */
  maxConcurrentQueries?: number;
}

interface Subscriber {
  caller: CallerContext;
  plan: SubscriptionPlan;
  matches(event: SourceEvent): boolean;
  /** Subscribers with the same key get the same result, so it is computed once per event. */
  sharingKey: string;
  queue: DeliveryQueue<SubscriptionResult>;
}

interface Channel {
  workspaceId: string;
  source: EventSource;
  subscribers: Set<Subscriber>;
  /**
   * Events delivered lately, by id. A producer re-publishes an event it already published
   * when its batch is redelivered (write, publish, then a crash before the ack); JetStream
   * drops the copy by its message id, but core NATS, which the hub listens on, delivers it.
   */
  delivered: LRUCache<string, true>;
  unsubscribe(): void;
}

/** How many event ids, and for how long, a channel remembers: beyond a redelivery's reach. */
const DELIVERED_KEPT = { max: 10_000, ttl: 30 * 60_000 } as const;

export interface SubscriptionHub {
  subscribe(
    caller: CallerContext,
    plan: SubscriptionPlan,
  ): Promise<AsyncGenerator<SubscriptionResult, undefined, unknown>>;
  stats(): { channels: number; subscribers: number };
  /** Ends every subscription (their clients get `complete`) and leaves NATS. */
  stop(): void;
}

export function createSubscriptionHub(options: SubscriptionHubOptions): SubscriptionHub {
  const { bus, topology, execute, sources = EVENT_SOURCES, queueCapacity = 1000 } = options;
  const log = options.log.child({ component: 'subscription-hub' });
  const limit = pLimit(options.maxConcurrentQueries ?? 32);
  const channels = new Map<string, Channel>();
  let stopped = false;

  function openChannel(workspaceId: string, source: EventSource): Channel {
    const subject = source.subject(topology, workspaceId);
    const channel: Channel = {
      workspaceId,
      source,
      subscribers: new Set(),
      delivered: new LRUCache(DELIVERED_KEPT),
      unsubscribe: () => undefined,
    };
    const subscription = bus.subscribe(subject, (data) => deliver(channel, data));
    channel.unsubscribe = () => subscription.unsubscribe();
    log.info({ workspaceId, subject }, 'listening for events');
    return channel;
  }

  function deliver(channel: Channel, data: Uint8Array): void {
    const decoded = channel.source.decode(data);
    if (!decoded.ok) {
      log.warn(
        { workspaceId: channel.workspaceId, source: channel.source.rootField, reason: decoded.reason },
        'event skipped: it does not parse',
      );
      return;
    }
    const event = decoded.event;
    if (event.workspaceId !== channel.workspaceId) {
      // The subject says one workspace and the payload another: deliver to nobody.
      log.error(
        { workspaceId: channel.workspaceId, eventWorkspaceId: event.workspaceId },
        'event skipped: workspace mismatch',
      );
      return;
    }
    if (channel.delivered.has(event.entityId)) {
      log.debug({ workspaceId: channel.workspaceId, entityId: event.entityId }, 'event skipped: delivered already');
      return;
    }
    channel.delivered.set(event.entityId, true);
    const groups = new Map<string, Subscriber[]>();
    for (const subscriber of channel.subscribers) {
      if (!subscriber.matches(event)) continue;
      groups.set(subscriber.sharingKey, [...(groups.get(subscriber.sharingKey) ?? []), subscriber]);
    }
    for (const members of groups.values()) {
      const first = members[0]!;
      let wanted = members.length;
      const result = limit(() => (wanted > 0 ? runEventQuery(first, event) : Promise.resolve(skipped)));
      for (const member of members) member.queue.push({ result, release: () => void wanted-- });
    }
    log.debug(
      {
        workspaceId: channel.workspaceId,
        source: channel.source.rootField,
        entityId: event.entityId,
        subscribers: channel.subscribers.size,
        queries: groups.size,
      },
      'event fanned out',
    );
  }

  async function runEventQuery(subscriber: Subscriber, event: SourceEvent): Promise<SubscriptionResult> {
    const { plan } = subscriber;
    const caller: CallerContext = { ...subscriber.caller, traceId: randomUUID() };
    try {
      const result = await execute(caller, {
        query: plan.query,
        variables: { ...plan.variables, [EVENT_ID_VARIABLE]: event.entityId },
        operationName: EVENT_QUERY_NAME,
      });
      return shapeResult(result, plan, event);
    } catch (err) {
      log.error(
        { err, workspaceId: caller.workspaceId, traceId: caller.traceId, entityId: event.entityId },
        'event query failed',
      );
      return {
        data: null,
        errors: [{ message: INTERNAL_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR', traceId: caller.traceId } }],
      };
    }
  }

  function shapeResult(result: SubscriptionResult, plan: SubscriptionPlan, event: SourceEvent): SubscriptionResult {
    const value = result.data?.[plan.payloadKey];
    const errors = result.errors?.length ? result.errors : undefined;
    if (value === null || value === undefined) {
      const source = sources[plan.source];
      const notFound: GraphQLFormattedError = {
        message: `this event's payload, ${source?.entityField ?? 'entity'}(id: "${event.entityId}"), could not be loaded`,
        extensions: { code: ERRORS.NOT_FOUND.code },
      };
      return { data: null, errors: errors ?? [notFound] };
    }
    return { data: { [plan.responseKey]: value }, ...(errors ? { errors } : {}) };
  }

  return {
    async subscribe(caller, plan) {
      const source = sources[plan.source];
      if (!source) throw new Error(`no event source ${plan.source}`);
      if (stopped) throw new Error('the gateway is stopping');
      const key = `${caller.workspaceId}\u0000${plan.source}`;
      const isNew = !channels.has(key);
      const channel = channels.get(key) ?? openChannel(caller.workspaceId, source);
      channels.set(key, channel);
      const subscriber: Subscriber = {
        caller,
        plan,
        matches: source.compileFilter(plan.arguments),
        // Keys sorted: equal variables in any order share one execution.
        sharingKey: [caller.role, plan.query, stableStringify(plan.variables)].join('\u0000'),
        queue: new DeliveryQueue<SubscriptionResult>({
          capacity: queueCapacity,
          onDrop: (dropped) => {
            if (dropped === 1 || dropped % 100 === 0) {
              log.warn(
                { workspaceId: caller.workspaceId, traceId: caller.traceId, dropped },
                'slow subscriber: oldest results dropped',
              );
            }
          },
          onClose: () => {
            channel.subscribers.delete(subscriber);
            if (channel.subscribers.size === 0 && channels.get(key) === channel) {
              channels.delete(key);
              channel.unsubscribe();
              log.info(
                { workspaceId: caller.workspaceId, source: plan.source },
                'stopped listening: last subscriber left',
              );
            }
          },
        }),
      };
      channel.subscribers.add(subscriber);
      if (isNew) await bus.flush();
      return subscriber.queue;
    },
    stats: () => ({
      channels: channels.size,
      subscribers: [...channels.values()].reduce((sum, channel) => sum + channel.subscribers.size, 0),
    }),
    stop() {
      stopped = true;
      for (const channel of [...channels.values()]) {
        for (const subscriber of [...channel.subscribers]) subscriber.queue.close();
      }
    },
  };
}

/** What a released execution resolves to; nobody reads it. */
const skipped: SubscriptionResult = { data: null };
