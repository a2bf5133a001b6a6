// One writer per contact: a stream's subjects end in a partition token, each
// partition has a durable pull consumer whose priority group pins exactly one
// client at a time (NATS >= 2.11 `pinned_client`). Every instance of a service
// pulls from every partition; the server delivers each partition to one of them
// and moves the pin when that instance stops pulling. Within a partition, events
// are handled in stream order, in batches, and acknowledged only after the
// handler's writes are durable.
//
// Stop. `stop()` stops pulling, unpins the partitions it owns (another instance
// takes them at once), gives back (nak) what no handler is applying, including what
// reached it while stopping (once the pin has moved, so it goes to the next owner
// at once rather than after its ack wait), and lets the batch in flight finish, keeping it alive with working(). If the deadline passes
// first, the batch is abandoned, never given back: its handler's AbortSignal fires
// and working() stops, so JetStream redelivers it only when its ack wait runs out.
// Why no write of ours lands after another instance got that batch:
//   - after the abort, the handler starts no write: `writeAll` and the handlers
//     check the signal before each write of a contact's state;
//   - a write started before the abort ends (done, or failed by the driver) within
//     the driver's pool wait + socket timeout (packages/mongo/src/connection.ts:
//     10 s + 15 s), which is shorter than the ack wait (30 s) that must pass after
//     the last working() before the server gives the batch to anyone else.
// (The bound assumes a database that applies a write it received within the socket
// timeout; one that holds a write longer is wedged, and stalls the new owner too.)
//
// Balance. Every instance pulls from every partition, so whichever pulls first is pinned,
// and an instance that started alone holds all of them. The instances of a consumer tell
// each other how many partitions they hold (core NATS, every BALANCE_INTERVAL_MS); one that
// holds more than its share (all partitions / live instances, rounded up) hands the excess
// over: it stops each such partition's runner as `stop()` does (the batch in flight
// finishes, the pin is released), another instance's waiting pull is pinned, and the
// partition is pulled here again only after HANDOVER_STANDBY_MS, as a standby for failover.
//
// Turns. A process applies at most `concurrentBatches` of a consumer's batches at once; the
// other partitions hold one batch each (`max_ack_pending`, unacknowledged, kept alive) and wait
// their turn; a partition pulls its next batch once the last is acknowledged, while others
// apply theirs. (Two batches each were held before: under a backlog the second only waited
// longer, kept alive; with one, the NATS server's CPU per interaction of the 60k/10k bench
// fell by about a fifth.) An event is decoded on
// arrival while its partition holds fewer than 64, and beyond that kept as its payload and
// decoded once, when its batch starts, so a backlog costs bytes, not decoded objects (a payload
// that does not decode is a dead letter then, at arrival or at its batch's start, and the rest of
// its batch goes on). A partition's batch is taken
// when its turn comes, so a backlog makes batches full, and each contact is written once per
// batch however many of its events the batch holds.
//
// Failure. A batch that throws comes back after a backoff (`nak(delay)`: a real
// redelivery) and its events are then applied one at a time, so the one that fails
// is found and the others go on. An event that fails alone is retried after a delay
// that grows exponentially with its delivery count (with jitter), while later events
// of its contact wait in hand (kept alive) so per-contact order holds; other contacts
// are not held up. At `maxDeliver` it is terminated, logged, and recorded as a dead
// letter (dead-letters.ts), replayable once its cause is fixed. A payload that does
// not decode is a dead letter at once. A message the server itself gives up on (an
// instance crashed during its last try) is recorded from the server's advisory.
// A batch that fails because NATS or the database is unavailable (told by error class
// or code, see `transient`) is not given back at all: it waits in hand while the
// partition pauses with a growing delay, so an outage turns no event into a dead letter.
import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import pLimit from 'p-limit';
import type { Subscription } from '@nats-io/nats-core';
import { contactKey, PARTITIONS, topology, type StreamSpec } from '@cei/contracts';
import type { Logger } from '@cei/config';
import type { Nats } from './connection';
import { recordDeadLetter } from './dead-letters';
import { isConsumerExists } from './nats-errors';
import { PartitionRunner, PRIORITY_GROUP } from './partition-runner';

export { BatchAbandonedError } from './partition-runner';

/** JetStream's own default; must exceed the database driver's pool wait + socket timeout (see above). */
export const ACK_WAIT_MS = 30_000;
const nanos = (ms: number) => ms * 1_000_000;

/** What a partitioned consumer's events carry: the contact whose order is kept. */
export interface ContactEvent {
  workspaceId: string;
  contactId: string;
}

export interface Delivery<T> {
  event: T;
  /** Stream sequence: the position a state document records as "last applied". */
  seq: number;
  redelivered: boolean;
  /** 1 on the first delivery. */
  deliveryCount: number;
}

export interface BatchContext {
  /**
   * Fires when the batch is abandoned (stop deadline): from then on another instance
   * may get these events, so the handler must start no further write.
   */
  signal: AbortSignal;
  /**
   * This instance's current hold on the partition. It changes whenever the partition's
   * events may have been applied by anyone else since the previous batch (a new pin, a
   * new subscription) or a batch failed (a write may have landed unconfirmed). What a
   * handler keeps in memory between batches is valid only under the same value (see
   * OwnedState). Empty: keep nothing (a handler called outside a consumer).
   */
  ownership: string;
}

/** For a handler called outside a consumer (a tool, a test wrapper): never abandoned, caches nothing. */
export const NOT_ABANDONED: BatchContext = { signal: new AbortController().signal, ownership: '' };

export interface RetryPolicy {
  /** Deliveries before an event that keeps failing becomes a dead letter (the consumer's `max_deliver`). */
  maxDeliver: number;
  /** The first retry's delay; doubled per delivery, up to `maxMs`. */
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxDeliver: 10, baseMs: 1_000, maxMs: 60_000 };

export interface PartitionedConsumerOptions<T extends ContactEvent> {
  nats: Nats;
  stream: StreamSpec;
  /** Consumer name prefix: `<durable>-p<partition>`. One per (service, stream). Names its dead letters. */
  durable: string;
  /** The subjects of one partition this consumer takes (default: the stream's partition filters). */
  partitionFilters?(partition: number): string[];
  /**
   * Parses a payload (the subject says which kind it is); throwing makes it a dead letter. A
   * message may carry several events of one contact (a list, in order): each is a delivery of
   * its own at its `memberPosition` (the message's position, then apart by 1/1024). Or a pack:
   * events of several contacts, each contact once, each a delivery at the message's position;
   * a pack that fails is applied member by member, and only a member that keeps failing becomes
   * a dead letter (its event alone, `JSON.stringify`d: a pack's members must be JSON events).
   */
  decode(data: Uint8Array, subject: string): T | readonly T[];
  /**
   * Applies a batch of one partition, in stream order. Must be idempotent per
   * event (redelivery happens). Throwing makes the batch be redelivered, so it must
   * not throw while its own writes are still in flight (see `writeAll`). The consumer
   * always passes `context`; a handler defaults it to NOT_ABANDONED so it can be called
   * (and wrapped) without one.
   */
  handle(batch: Delivery<T>[], partition: number, context?: BatchContext): Promise<void>;
  log: Logger;
  maxBatch?: number;
  /**
   * The most payload bytes a batch holds past its first event (default DEFAULT_MAX_BATCH_BYTES):
   * a batch of `maxBatch` of the largest events would be hundreds of megabytes once decoded.
   */
  maxBatchBytes?: number;
  /**
   * The most payload bytes this consumer keeps in hand, all its partitions together (default
   * DEFAULT_MAX_HELD_BYTES). Under a backlog each partition holds up to `maxBatch` events; past
   * this bound only their receipts are kept, and their payloads are read again from the stream
   * when their batch starts.
   */
  maxHeldBytes?: number;
  /**
   * How many of this consumer's partitions apply a batch at once in this process (default
   * 4). The others keep pulling and wait their turn with their events kept as payloads, so
   * a batch waiting grows (up to `maxBatch`) and the decoded events in memory are those of
   * these batches only. The database's own limit (`Database.limit`) shares the connection pool.
   */
  concurrentBatches?: number;
  /** How long a silent owner keeps its partition before another instance gets it. */
  pinTimeoutMs?: number;
  /** See ACK_WAIT_MS; tests shorten it. */
  ackWaitMs?: number;
  /** How long `stop()` lets the batch in flight finish by default. */
  drainMs?: number;
  retry?: Partial<RetryPolicy>;
  /**
   * Whether a handler's error says a dependency is unavailable (the database: see
   * `isDatabaseUnavailable` in @cei/mongo), as NATS's own unavailability does: the batch
   * then waits in hand and is tried again, and the failure does not count toward its
   * events' `max_deliver`, so an outage turns no event into a dead letter.
   */
  transient?(err: unknown): boolean;
}

export interface ResolvedOptions<T extends ContactEvent> extends PartitionedConsumerOptions<T> {
  maxBatch: number;
  maxBatchBytes: number;
  /** The payload bytes the consumer's partitions keep in hand (see `maxHeldBytes`). */
  heldBytes: HeldBytes;
  /** Turns for applying a batch, shared by the consumer's partitions (see `concurrentBatches`). */
  batchTurns: pLimit.Limit;
  ackWaitMs: number;
  drainMs: number;
  retry: RetryPolicy;
  /** How long a new owner waits for events a previous one left unacknowledged. */
  strandedWaitMs: number;
}

/** How often the instances of a consumer tell each other how many partitions they hold. */
export const BALANCE_INTERVAL_MS = 2_000;
/** An instance missing this long from the membership is no longer counted. */
const MEMBER_TIMEOUT_MS = 3 * BALANCE_INTERVAL_MS + 500;
/** A partition handed over is pulled here again (as a standby) after this long. */
const HANDOVER_STANDBY_MS = 10_000;

/**
 * See `maxBatchBytes`: 8 MiB is ~9,000 of the bench's interactions (~0.9 KB each, so its batches of
 * up to 10,000 are barely shorter), ~1,000 of the largest ones.
 */
export const DEFAULT_MAX_BATCH_BYTES = 8 * 1024 * 1024;
/**
 * See `maxHeldBytes`: of a 384 MB heap (infra/local/app-processes.ts), beside `concurrentBatches`
 * decoded batches and the owners' state. In `pnpm bench:pipeline` (200k/10k) scoring held up to
 * ~127,000 events of ~0.9 KB (a heap snapshot): 132 MB of strings. Since interactions come packed
 * (several contacts' to a message) `max_ack_pending` lets a partition hold its whole backlog, and a
 * million-interaction import filled a bound of 96 MiB (13,000 packs, 100 MB of strings in a heap
 * snapshot) and ran scoring out of heap; a pack read again costs one request for ~30 interactions.
 */
export const DEFAULT_MAX_HELD_BYTES = 48 * 1024 * 1024;

/** The payload bytes a consumer keeps in hand, against its bound; and how many it had to read again. */
export class HeldBytes {
  used = 0;
  peak = 0;
  reread = 0;
  constructor(readonly limit: number) {}

  /** Counts `bytes` if they fit under the bound; false (nothing counted) if not. */
  take(bytes: number): boolean {
    if (this.used + bytes > this.limit) return false;
    this.used += bytes;
    this.peak = Math.max(this.peak, this.used);
    return true;
  }

  release(bytes: number): void {
    this.used -= bytes;
  }
}

/** See `concurrentBatches`: a two-core machine gains nothing from more, and each holds a decoded batch. */
export const DEFAULT_CONCURRENT_BATCHES = 4;

/** How many writes `writeAll` runs at once: about the database pool (more would only queue in the driver). */
export const WRITE_CONCURRENCY = 8;

/**
 * Runs `write` for every item, a few at a time, and waits for ALL started writes
 * before rethrowing the first failure. A handler must never leave a write in flight
 * when it throws: the batch is redelivered, and a stale write landing after the
 * retry's newer one would be a lost update (Promise.all rejects on the first error
 * while the others still run). After a failure, or once `signal` fires (the batch
 * was abandoned), no further write starts. `limit` (the database's, see
 * `Database.limit` in @cei/mongo) makes the writes of every partition of the process
 * take turns for the connection pool; the signal is checked again when a write's turn
 * comes.
 */
export async function writeAll<T>(
  items: Iterable<T>,
  write: (item: T) => Promise<unknown>,
  {
    signal,
    concurrency = WRITE_CONCURRENCY,
    limit,
  }: {
    signal?: AbortSignal;
    concurrency?: number;
    limit?: <R>(operation: () => Promise<R>, signal?: AbortSignal) => Promise<R>;
  } = {},
): Promise<void> {
  const pending = [...items];
  let next = 0;
  let failure: { reason: unknown } | undefined;
  // A write whose turn comes after another failed is not started either.
  const started = (item: T) => (failure ? Promise.resolve() : write(item));
  const worker = async () => {
    while (next < pending.length && !failure) {
      if (signal?.aborted) {
        failure = { reason: signal.reason };
        return;
      }
      const item = pending[next++]!;
      try {
        await (limit ? limit(() => started(item), signal) : started(item));
      } catch (err) {
        failure ??= { reason: err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, pending.length) }, worker));
  if (failure) throw failure.reason;
}

/** A batch's deliveries per contact (`<workspace>:<contact>`), each list in stream order. */
export function groupByContact<T extends ContactEvent>(batch: readonly Delivery<T>[]): Map<string, Delivery<T>[]> {
  const groups = new Map<string, Delivery<T>[]>();
  for (const delivery of batch) {
    const key = contactKey(delivery.event.workspaceId, delivery.event.contactId);
    const group = groups.get(key);
    if (group) group.push(delivery);
    else groups.set(key, [delivery]);
  }
  return groups;
}

export interface PartitionedConsumer {
  /** The durable name prefix (the consumer's name in dead letters and health reports). */
  readonly name: string;
  start(): Promise<void>;
  /** Stops pulling, finishes the batch in flight (up to the deadline) and returns. Idempotent. */
  stop(deadlineMs?: number): Promise<void>;
  readiness(): boolean;
  /** The partitions the server pins to this instance right now (found from the pin, not assumed). */
  ownedPartitions(): Promise<number[]>;
  /**
   * The payload bytes its partitions keep in hand now and at most so far, against the bound
   * (`maxHeldBytes`), and how many events' payloads it read again from the stream for their batch.
   */
  heldPayloads(): { bytes: number; peakBytes: number; limitBytes: number; reread: number };
}

export function createPartitionedConsumer<T extends ContactEvent>(
  options: PartitionedConsumerOptions<T>,
): PartitionedConsumer {
  const opts = resolve(options);
  const runners: PartitionRunner<T>[] = [];
  let advisories: Subscription | undefined;
  let balancer: { stop(): Promise<void> } | undefined;
  let phase: 'idle' | 'starting' | 'running' | 'stopping' | 'stopped' = 'idle';
  let stopping: Promise<void> | undefined;
  const runnerFor = (partition: number) => new PartitionRunner(opts, `${opts.durable}-p${partition}`, partition);

  return {
    name: opts.durable,
    async start() {
      if (phase !== 'idle') return;
      phase = 'starting';
      advisories = recordGivenUp(opts);
      for (let partition = 0; partition < PARTITIONS; partition++) {
        await ensurePartitionConsumer(opts, `${opts.durable}-p${partition}`, partition);
        runners.push(runnerFor(partition));
      }
      for (const runner of runners) runner.run();
      balancer = balancePartitions(opts, runners, runnerFor, () => phase === 'running');
      phase = 'running';
    },
    stop(deadlineMs = opts.drainMs) {
      stopping ??= (async () => {
        phase = 'stopping';
        await balancer?.stop();
        await Promise.all(runners.map((r) => r.stop(deadlineMs)));
        advisories?.unsubscribe();
        phase = 'stopped';
      })();
      return stopping;
    },
    readiness: () => phase === 'running',
    heldPayloads: () => {
      const { used, peak, limit, reread } = opts.heldBytes;
      return { bytes: used, peakBytes: peak, limitBytes: limit, reread };
    },
    async ownedPartitions() {
      const owned = await Promise.all(runners.map((r) => r.owns()));
      return runners.flatMap((_, partition) => (owned[partition] ? [partition] : []));
    },
  };
}

interface Membership {
  id: string;
  holds: number;
}

/**
 * Keeps this instance at its share of the partitions (see "Balance" above): announces how many
 * it holds, counts the live instances from their announcements, and hands over what it holds
 * beyond its share (one round at a time). Hands nothing over while alone.
 */
function balancePartitions<T extends ContactEvent>(
  opts: ResolvedOptions<T>,
  runners: PartitionRunner<T>[],
  runnerFor: (partition: number) => PartitionRunner<T>,
  running: () => boolean,
): { stop(): Promise<void> } {
  const { nats, log } = opts;
  const id = `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  const subject = `${opts.stream.namespace}._members.${opts.durable}`;
  const peers = new Map<string, number>(); // id → last seen
  const standbys = new Set<NodeJS.Timeout>();
  let handingOver: Promise<void> | undefined;
  let lastHandover = 0;

  const members = nats.nc.subscribe(subject, {
    callback: (err, msg) => {
      if (err) return;
      try {
        const member = msg.json<Membership>();
        if (member.id !== id) peers.set(member.id, Date.now());
      } catch {
        // Not a membership message: ignored.
      }
    },
  });

  const held = () => runners.flatMap((runner, partition) => (runner.holdsPin() ? [partition] : []));

  function handOver(partition: number): Promise<void> {
    const old = runners[partition]!;
    const next = runnerFor(partition);
    runners[partition] = next;
    return old
      .stop(opts.drainMs)
      .then(() => {
        const standby = setTimeout(() => {
          standbys.delete(standby);
          if (running() && runners[partition] === next) next.run();
        }, HANDOVER_STANDBY_MS);
        standby.unref();
        standbys.add(standby);
      })
      .catch((err: unknown) => log.warn({ err, partition }, 'handing a partition over failed'));
  }

  const tick = setInterval(() => {
    if (!running()) return;
    const mine = held();
    nats.nc.publish(subject, JSON.stringify({ id, holds: mine.length } satisfies Membership));
    const now = Date.now();
    for (const [peer, seenAt] of peers) if (now - seenAt > MEMBER_TIMEOUT_MS) peers.delete(peer);
    const live = peers.size + 1;
    const share = Math.ceil(PARTITIONS / live);
    // One round at a time, and not before the last one has had time to move and be counted.
    if (live === 1 || mine.length <= share || handingOver || now - lastHandover < 2 * BALANCE_INTERVAL_MS) return;
    lastHandover = now;
    const excess = mine.slice(share);
    log.info(
      { consumer: opts.durable, live, holds: mine.length, share, handingOver: excess },
      'holding more than a fair share of the partitions: handing the excess over to the other instances',
    );
    handingOver = Promise.all(excess.map(handOver))
      .then(() => undefined)
      .finally(() => {
        handingOver = undefined;
      });
  }, BALANCE_INTERVAL_MS);
  tick.unref();

  return {
    async stop() {
      clearInterval(tick);
      for (const standby of standbys) clearTimeout(standby);
      members.unsubscribe();
      await handingOver;
    },
  };
}

function resolve<T extends ContactEvent>(options: PartitionedConsumerOptions<T>): ResolvedOptions<T> {
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  if (!(retry.maxDeliver >= 1 && retry.baseMs >= 1 && retry.maxMs >= retry.baseMs)) {
    throw new Error(`retry policy of ${options.durable}: need maxDeliver ≥ 1 and 1 ≤ baseMs ≤ maxMs`);
  }
  const ackWaitMs = options.ackWaitMs ?? ACK_WAIT_MS;
  // Two consumers of a service drain one after the other within its stop deadline (15 s).
  const drainMs = options.drainMs ?? 5_000;
  return {
    ...options,
    maxBatch: options.maxBatch ?? 256,
    maxBatchBytes: options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES,
    heldBytes: new HeldBytes(options.maxHeldBytes ?? DEFAULT_MAX_HELD_BYTES),
    batchTurns: pLimit(options.concurrentBatches ?? DEFAULT_CONCURRENT_BATCHES),
    ackWaitMs,
    drainMs,
    retry,
    // The longest a previous owner's unacknowledged event can stay away: its drain then its
    // ack wait, or a retry delay (×1.5 jitter).
    strandedWaitMs: Math.max(drainMs + ackWaitMs, 1.5 * retry.maxMs) + 5_000,
  };
}

async function ensurePartitionConsumer<T extends ContactEvent>(
  opts: ResolvedOptions<T>,
  name: string,
  partition: number,
) {
  const filters = (opts.partitionFilters ?? opts.stream.partitionFilters)(partition);
  const config = {
    durable_name: name,
    // One filter as filter_subject, several as filter_subjects: never both, also when an
    // update merges this into a consumer an older version created (undefined clears a field).
    filter_subject: filters.length === 1 ? filters[0] : undefined,
    filter_subjects: filters.length > 1 ? filters : undefined,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(opts.ackWaitMs),
    max_deliver: opts.retry.maxDeliver,
    max_ack_pending: opts.maxBatch,
    priority_groups: [PRIORITY_GROUP],
    priority_policy: 'pinned_client' as const,
    priority_timeout: nanos(opts.pinTimeoutMs ?? 5_000),
  };
  try {
    await opts.nats.jsm.consumers.add(opts.stream.name, config);
  } catch (err) {
    // Another instance created it first (the expected race), or an older version of
    // the service did with another config: bring it to this config.
    if (!isConsumerExists(err)) throw err;
    const { durable_name: _name, ...update } = config;
    await opts.nats.jsm.consumers.update(opts.stream.name, name, update);
  }
}

/** What the server publishes when it stops redelivering a message (`max_deliver` reached). */
interface MaxDeliveriesAdvisory {
  stream: string;
  consumer: string;
  stream_seq: number;
  deliveries: number;
}

/**
 * A message whose last delivery was never acknowledged (the instance applying it
 * crashed, or abandoned it at a stop deadline) is dropped by the server with an
 * advisory, not handed to any handler again: record it as a dead letter from there.
 * Every instance listens; the dead letter's message id keeps one record.
 */
function recordGivenUp<T extends ContactEvent>(opts: ResolvedOptions<T>): Subscription {
  const { nats, stream, durable, log } = opts;
  // Exactly this consumer's partitions (`scoring-p3`, not `scoring-phases-p3`).
  const ownConsumer = new RegExp(`^${durable.replace(/[^A-Za-z0-9_]/g, '\\$&')}-p\\d+$`);
  return nats.nc.subscribe(`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${stream.name}.*`, {
    callback: (err, msg) => {
      if (err) {
        log.error({ err }, 'max-deliveries advisories: subscription failed');
        return;
      }
      let advisory: MaxDeliveriesAdvisory;
      try {
        advisory = msg.json<MaxDeliveriesAdvisory>();
      } catch (parseErr) {
        log.warn({ err: parseErr }, 'max-deliveries advisory does not parse; ignored');
        return;
      }
      if (!ownConsumer.test(advisory.consumer)) return;
      void (async () => {
        const original = await nats.jsm.streams.getMessage(stream.name, { seq: advisory.stream_seq });
        if (!original) {
          log.error({ seq: advisory.stream_seq }, 'a message given up on by the server is gone from its stream');
          return;
        }
        const error = `its last delivery (${advisory.deliveries} of ${advisory.deliveries}) was never acknowledged: the instance applying it stopped or crashed`;
        const letter = await recordDeadLetter(nats, topology(stream.namespace), {
          consumer: durable,
          stream: stream.name,
          subject: original.subject,
          seq: advisory.stream_seq,
          deliveries: advisory.deliveries,
          error,
          headers: original.header,
          payload: original.data,
        });
        log.error(
          { consumer: advisory.consumer, seq: advisory.stream_seq, subject: original.subject, letter, error },
          'event given up on by the server: kept as a dead letter',
        );
      })().catch((recordErr: unknown) =>
        log.error(
          { err: recordErr, seq: advisory.stream_seq },
          'could not record a dead letter for a message given up on',
        ),
      );
    },
  });
}
