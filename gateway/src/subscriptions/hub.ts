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
import { ERRORS, INTERNAL_MESSAGE, memberPosition, type CallerContext, type Topology } from '@cei/contracts';
import type { Logger } from '@cei/config';
import { DeliveryQueue, SharedResult, type Delivery, type ResultSink } from './delivery-queue';
import { EVENT_ID_VARIABLE, EVENT_QUERY_NAME, type SubscriptionPlan } from './plan';
import { EVENT_SOURCES, type EventSource, type SourceEvent } from './sources';
import type { EventEntity } from './event-entity';

export type SubscriptionResult = FormattedExecutionResult<Record<string, unknown>>;

/** An event as the bus hands it over: its bytes and its position in its stream (the event id). */
export interface BusEvent {
  data: Uint8Array;
  seq: number;
  /** Re-published from a dead letter for one consumer: subscribers saw the original. */
  replayForConsumer: boolean;
}

/** How far back a resume may reach: the smaller of the two bounds wins (`maxEvents` counts stream messages). */
export interface ReplayWindow {
  maxAgeMs: number;
  maxEvents: number;
}

export const REPLAY_WINDOW: ReplayWindow = { maxAgeMs: 24 * 3600_000, maxEvents: 10_000 };

export type Replay =
  | { ok: true; events: AsyncIterable<BusEvent>; stop(): void }
  /** EXCEEDED: the event is older than the window allows; UNKNOWN: not an event of this subject. */
  | { ok: false; reason: 'EXCEEDED' | 'UNKNOWN' };

/** The slice of JetStream the hub needs. */
export interface EventBus {
  /** Every event of `subject` in `stream` from now on, in stream order (resolves once following). */
  follow(stream: string, subject: string, onEvent: (event: BusEvent) => void): Promise<{ stop(): void }>;
  /**
   * The events of `subject` from the message at `fromSeq` on (it included: an event resumed after
   * may be one of several its message carries), up to the stream's end when asked.
   */
  replay(stream: string, subject: string, fromSeq: number, window: ReplayWindow): Promise<Replay>;
}

export interface EventQueryRequest {
  query: string;
  variables: Record<string, unknown>;
  operationName: string;
}

/** Runs an event query; `entity` is what the event says of its root entity (event-entity.ts), if anything. */
export type ExecuteEventQuery = (
  caller: CallerContext,
  request: EventQueryRequest,
  entity?: EventEntity,
) => Promise<SubscriptionResult>;

export interface SubscriptionHubOptions {
  bus: EventBus;
  topology: Topology;
  execute: ExecuteEventQuery;
  log: Logger;
  sources?: Readonly<Record<string, EventSource>>;
  /** Results a subscriber may have unread before it is closed as too slow. */
  queueCapacity?: number;
  /** Event queries in flight at once on this gateway: protects the subgraphs from bursts. */
  maxConcurrentQueries?: number;
  replayWindow?: ReplayWindow;
}

/** Why a subscription could not start; `code` is the GraphQL error code to answer with. */
export class SubscribeError extends Error {
  override name = 'SubscribeError';
  constructor(
    readonly code: 'REPLAY_WINDOW_EXCEEDED' | 'BAD_USER_INPUT',
    message: string,
  ) {
    super(message);
  }
}

export interface SubscribeOptions {
  /** Called when the subscriber was closed for reading too slowly (its transport closes with its code). */
  onOverflow?(): void;
  /**
   * Push results here, in order, as they resolve (with their JSON, serialized once per event
   * and selection), instead of waiting for the returned stream to be read; the stream then
   * only ends. The sink bounds its transport's buffer itself.
   */
  sink?: ResultSink<SubscriptionResult>;
}

interface Subscriber {
  caller: CallerContext;
  plan: SubscriptionPlan;
  matches(event: SourceEvent): boolean;
  /** Subscribers with the same key get the same result, so it is computed once per event. */
  sharingKey: string;
  /** Subscribers with the same key have the same selection and filter: an event matches all or none. */
  groupKey: string;
  queue: DeliveryQueue<SubscriptionResult>;
  /** While a resume replays: live events wait here, in order, to follow the replay. */
  held: { event: SourceEvent; seq: number }[] | null;
}

/** One event's execution for one selection, and the delivery every subscriber of it holds. */
interface EventRun extends Delivery<SubscriptionResult> {
  /** Subscribers still holding it: none left, and the execution is skipped. */
  wanted: number;
  /** Whose caller and plan it runs with (same role, query and variables as the rest). */
  first: Subscriber;
}

interface Channel {
  workspaceId: string;
  source: EventSource;
  subscribers: Set<Subscriber>;
  /** The subscribers by group key (selection and filter): one filter check per group and event. */
  groups: Map<string, Set<Subscriber>>;
  /** Resolves once the bus follows the subject: events after that reach the subscribers. */
  ready: Promise<void>;
  /**
   * Events delivered lately, by id: a producer re-publishing an event outside the stream's
   * duplicate window (a redelivery long after) puts a second copy in the stream.
   */
  delivered: LRUCache<string, true>;
  stop(): void;
}

/** How many event ids, and for how long, a channel remembers: beyond a redelivery's reach. */
const DELIVERED_KEPT = { max: 10_000, ttl: 30 * 60_000 } as const;

export interface SubscriptionHub {
  subscribe(
    caller: CallerContext,
    plan: SubscriptionPlan,
    options?: SubscribeOptions,
  ): Promise<AsyncGenerator<SubscriptionResult, undefined, unknown>>;
  stats(): { channels: number; subscribers: number };
  /** Ends every subscription (their clients get `complete`) and leaves NATS. */
  stop(): void;
}

export function createSubscriptionHub(options: SubscriptionHubOptions): SubscriptionHub {
  const { bus, topology, execute, sources = EVENT_SOURCES, queueCapacity = 100 } = options;
  const replayWindow = options.replayWindow ?? REPLAY_WINDOW;
  const log = options.log.child({ component: 'subscription-hub' });
  const limit = pLimit(options.maxConcurrentQueries ?? 32);
  const channels = new Map<string, Channel>();
  let stopped = false;

  function openChannel(key: string, workspaceId: string, source: EventSource): Channel {
    const subject = source.subject(topology, workspaceId);
    let following: { stop(): void } | undefined;
    let closed = false;
    const channel: Channel = {
      workspaceId,
      source,
      subscribers: new Set(),
      groups: new Map(),
      delivered: new LRUCache(DELIVERED_KEPT),
      ready: Promise.resolve(),
      stop: () => {
        closed = true;
        following?.stop();
      },
    };
    channel.ready = bus
      .follow(source.stream(topology), subject, (event) => deliver(channel, event))
      .then(
        (handle) => {
          following = handle;
          if (closed) handle.stop();
          log.info({ workspaceId, subject }, 'listening for events');
        },
        (err: unknown) => {
          // The next subscriber tries again.
          if (channels.get(key) === channel) channels.delete(key);
          throw err;
        },
      );
    return channel;
  }

  /** A message's events with their positions (a message may carry several: memberPosition). */
  function decodeEvents(channel: Channel, busEvent: BusEvent): { event: SourceEvent; seq: number }[] {
    const decoded = channel.source.decode(busEvent.data);
    if (!decoded.ok) {
      log.warn(
        { workspaceId: channel.workspaceId, source: channel.source.rootField, reason: decoded.reason },
        'event skipped: it does not parse',
      );
      return [];
    }
    const events = decoded.events ?? [decoded.event];
    const foreign = events.find((event) => event.workspaceId !== channel.workspaceId);
    if (foreign) {
      // The subject says one workspace and the payload another: deliver to nobody.
      log.error(
        { workspaceId: channel.workspaceId, eventWorkspaceId: foreign.workspaceId },
        'event skipped: workspace mismatch',
      );
      return [];
    }
    return events.map((event, i) => ({ event, seq: memberPosition(busEvent.seq, i) }));
  }

  function deliver(channel: Channel, busEvent: BusEvent): void {
    if (busEvent.replayForConsumer) return;
    for (const { event, seq } of decodeEvents(channel, busEvent)) deliverEvent(channel, event, seq);
  }

  /** `seq`: the event's position, what a subscriber resumes after. */
  function deliverEvent(channel: Channel, event: SourceEvent, seq: number): void {
    if (channel.delivered.has(event.entityId)) {
      log.debug({ workspaceId: channel.workspaceId, entityId: event.entityId }, 'event skipped: delivered already');
      return;
    }
    channel.delivered.set(event.entityId, true);
    // One execution per distinct selection (sharing key), whatever filters its groups have.
    const runs = new Map<string, EventRun>();
    for (const members of channel.groups.values()) {
      // One selection and one filter per group: whether the event matches is asked once per group.
      let matched: boolean | undefined;
      let run: EventRun | undefined;
      for (const member of members) {
        if (member.held) {
          member.held.push({ event, seq });
          continue;
        }
        if (!(matched ??= member.matches(event))) continue;
        if (!run) {
          run = runs.get(member.sharingKey);
          if (!run) {
            const created: EventRun = { result: new SharedResult(), wanted: 0, first: member, release: () => {} };
            created.release = () => void created.wanted--;
            runs.set(member.sharingKey, created);
            run = created;
          }
        }
        run.wanted++;
        member.queue.push(run);
      }
    }
    // After every subscriber took its place: one whose queue was closed meanwhile released it.
    for (const run of runs.values()) {
      resolveInto(run.result, () => (run.wanted > 0 ? runEventQuery(run.first, event, seq) : Promise.resolve(skipped)));
    }
    const queries = runs.size;
    log.debug(
      {
        workspaceId: channel.workspaceId,
        source: channel.source.rootField,
        entityId: event.entityId,
        subscribers: channel.subscribers.size,
        queries,
      },
      'event fanned out',
    );
  }

  /** One subscriber's own result for an event (replayed events are not shared). */
  function deliverTo(subscriber: Subscriber, event: SourceEvent, seq: number): void {
    if (!subscriber.matches(event)) return;
    const shared = new SharedResult<SubscriptionResult>();
    subscriber.queue.push({ result: shared, release: () => undefined });
    resolveInto(shared, () => runEventQuery(subscriber, event, seq));
  }

  /**
   * Replays what the subscriber missed, then the live events held meanwhile, skipping
   * those the replay already delivered (both come in stream order), then goes live.
   */
  async function catchUp(subscriber: Subscriber, channel: Channel, events: AsyncIterable<BusEvent>): Promise<void> {
    let last = subscriber.plan.after ?? 0;
    const seen = new Set<string>();
    for await (const busEvent of events) {
      if (subscriber.queue.isClosed) return;
      if (busEvent.replayForConsumer) continue;
      // The replay starts at the message of the event resumed after: its later events are missed ones.
      for (const { event, seq } of decodeEvents(channel, busEvent)) {
        if (seq <= last) continue;
        last = seq;
        if (seen.has(event.entityId)) continue;
        seen.add(event.entityId);
        deliverTo(subscriber, event, seq);
      }
      // Paced by the subscriber: a replay never overflows its own queue.
      await subscriber.queue.waitForRoom();
    }
    // No await from here on: no live event can slip between the held ones and going live.
    const held = subscriber.held ?? [];
    subscriber.held = null;
    for (const { event, seq } of held) {
      if (seq > last && !seen.has(event.entityId)) deliverTo(subscriber, event, seq);
    }
  }

  /** Runs the event query when the limit allows, then hands its result to every queue holding it. */
  function resolveInto(shared: SharedResult<SubscriptionResult>, run: () => Promise<SubscriptionResult>): void {
    limit(run)
      .then((result) => shared.settle(result))
      .catch((err: unknown) => log.error({ err }, 'delivering an event failed'));
  }

  /**
   * The event's payload for `subscriber`'s plan. A failure that may be transient (a subgraph
   * request cut, e.g. a keep-alive connection the subgraph closed as it was reused) is tried
   * again, a few times, before every subscriber sharing the result gets the error: it is a
   * read, and this subscriber's later events wait behind it anyway.
   */
  async function runEventQuery(subscriber: Subscriber, event: SourceEvent, seq: number): Promise<SubscriptionResult> {
    const { plan } = subscriber;
    const caller: CallerContext = { ...subscriber.caller, traceId: randomUUID() };
    const request = {
      query: plan.query,
      variables: { ...plan.variables, [EVENT_ID_VARIABLE]: event.entityId },
      operationName: EVENT_QUERY_NAME,
    };
    // What the event says of the root entity: the query's first fetch may be answered from it.
    const entity: EventEntity | undefined = event.entity && {
      field: sources[plan.source]!.entityField,
      id: event.entityId,
      value: event.entity,
    };
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await execute(caller, request, entity);
        if (!mayBeTransient(result) || attempt >= EVENT_QUERY_RETRY_MS.length)
          return shapeResult(result, plan, event, seq);
      } catch (err) {
        if (attempt >= EVENT_QUERY_RETRY_MS.length) {
          log.error(
            { err, workspaceId: caller.workspaceId, traceId: caller.traceId, entityId: event.entityId },
            'event query failed',
          );
          return {
            data: null,
            errors: [
              { message: INTERNAL_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR', traceId: caller.traceId } },
            ],
            extensions: { eventId: String(seq) },
          };
        }
      }
      log.warn(
        { workspaceId: caller.workspaceId, traceId: caller.traceId, entityId: event.entityId, attempt: attempt + 1 },
        'event query failed; trying again',
      );
      await new Promise((resolve) => setTimeout(resolve, EVENT_QUERY_RETRY_MS[attempt]));
    }
  }

  function shapeResult(
    result: SubscriptionResult,
    plan: SubscriptionPlan,
    event: SourceEvent,
    seq: number,
  ): SubscriptionResult {
    // The id a subscriber resumes after (`after:`) when it reconnects.
    const extensions = { eventId: String(seq) };
    const value = result.data?.[plan.payloadKey];
    const errors = result.errors?.length ? result.errors : undefined;
    if (value === null || value === undefined) {
      const source = sources[plan.source];
      const notFound: GraphQLFormattedError = {
        message: `this event's payload, ${source?.entityField ?? 'entity'}(id: "${event.entityId}"), could not be loaded`,
        extensions: { code: ERRORS.NOT_FOUND.code },
      };
      return { data: null, errors: errors ?? [notFound], extensions };
    }
    return { data: { [plan.responseKey]: value }, ...(errors ? { errors } : {}), extensions };
  }

  function leave(key: string, channel: Channel, subscriber: Subscriber): void {
    channel.subscribers.delete(subscriber);
    const group = channel.groups.get(subscriber.groupKey);
    group?.delete(subscriber);
    if (group?.size === 0) channel.groups.delete(subscriber.groupKey);
    if (channel.subscribers.size === 0 && channels.get(key) === channel) {
      channels.delete(key);
      channel.stop();
      log.info(
        { workspaceId: channel.workspaceId, source: channel.source.rootField },
        'stopped listening: last subscriber left',
      );
    }
  }

  return {
    async subscribe(caller, plan, subscribeOptions = {}) {
      const source = sources[plan.source];
      if (!source) throw new Error(`no event source ${plan.source}`);
      if (stopped) throw new Error('the gateway is stopping');
      const key = `${caller.workspaceId}\u0000${plan.source}`;
      const channel = channels.get(key) ?? openChannel(key, caller.workspaceId, source);
      channels.set(key, channel);
      const subscriber: Subscriber = {
        caller,
        plan,
        matches: source.compileFilter(plan.arguments),
        // Keys sorted: equal variables in any order share one execution.
        sharingKey: [caller.role, plan.query, stableStringify(plan.variables)].join('\u0000'),
        groupKey: [
          caller.role,
          plan.query,
          stableStringify(plan.variables),
          stableStringify({ ...plan.arguments, after: null }),
        ].join('\u0000'),
        held: plan.after === null ? null : [],
        queue: new DeliveryQueue<SubscriptionResult>({
          capacity: queueCapacity,
          onOverflow: () => {
            log.warn(
              { workspaceId: caller.workspaceId, traceId: caller.traceId, capacity: queueCapacity },
              'slow subscriber closed: its unread results reached the buffer',
            );
            subscribeOptions.onOverflow?.();
          },
          onClose: () => leave(key, channel, subscriber),
          sink: subscribeOptions.sink,
        }),
      };
      // In the channel before the replay starts: every event after it is held, none lost.
      channel.subscribers.add(subscriber);
      const group = channel.groups.get(subscriber.groupKey);
      if (group) group.add(subscriber);
      else channel.groups.set(subscriber.groupKey, new Set([subscriber]));
      try {
        await channel.ready;
        if (plan.after !== null) {
          const replay = await bus.replay(
            source.stream(topology),
            source.subject(topology, caller.workspaceId),
            Math.floor(plan.after),
            replayWindow,
          );
          if (!replay.ok) {
            throw replay.reason === 'EXCEEDED'
              ? new SubscribeError(
                  'REPLAY_WINDOW_EXCEEDED',
                  `${plan.source}(after: "${plan.after}"): that event is beyond the replay window (the last ${replayWindow.maxAgeMs / 3600_000} h or ${replayWindow.maxEvents} messages): subscribe without after, and read what was missed by query`,
                )
              : new SubscribeError(
                  'BAD_USER_INPUT',
                  `${plan.source}(after: "${plan.after}") is not an event id of this subscription: give the extensions.eventId of a result received`,
                );
          }
          catchUp(subscriber, channel, replay.events).catch((err: unknown) => {
            log.error({ err, workspaceId: caller.workspaceId, traceId: caller.traceId }, 'replay failed');
            replay.stop();
            subscriber.queue.close();
          });
        }
      } catch (err) {
        subscriber.queue.close();
        throw err;
      }
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

/** Waits before each new attempt at an event query that failed in a way that may pass. */
const EVENT_QUERY_RETRY_MS = [50, 250, 1_000];

/** An internal error or an unavailable subgraph, with no payload: worth another attempt. */
function mayBeTransient(result: SubscriptionResult): boolean {
  const failed = result.errors?.some((error) =>
    ['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE'].includes(String(error.extensions?.code)),
  );
  return Boolean(failed) && Object.values(result.data ?? {}).every((value) => value === null || value === undefined);
}

/** What a released execution resolves to; nobody reads it. */
const skipped: SubscriptionResult = { data: null };
