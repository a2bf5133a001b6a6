// One partition of a partitioned consumer, in one instance: pulls while the server
// pins the partition here, applies what it holds in stream order, per contact, and
// decides what happens to a message that failed. See partitioned-consumer.ts for
// the promises this keeps and why they hold.
import { backoff, type Backoff, type MsgHdrs } from '@nats-io/nats-core';
import type { ConsumerInfo, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import pLimit from 'p-limit';
import { contactKey, memberPosition, REPLAY_FOR_HEADER, topology } from '@cei/contracts';
import type { Logger } from '@cei/config';
import { recordDeadLetter, type DeadLetterInput } from './dead-letters';
import { isNatsUnavailable } from './nats-errors';
import { Receipt } from './receipt';
import type { BatchContext, ContactEvent, Delivery, ResolvedOptions } from './partitioned-consumer';

export const PRIORITY_GROUP = 'owner';
/** Set by the server on every message of a pinned pull consumer: the pin it was delivered under. */
const PIN_HEADER = 'Nats-Pin-Id';
/** Pull requests expire after this (see `subscribe`). */
const PULL_EXPIRES_MS = 2_000;
/**
 * What a held message's last start of its ack wait may be short of the wait before keepAlive
 * touches it, and how often keepAlive looks (see there).
 */
const KEEP_ALIVE_SPARE_MS = 7_500;
const KEEP_ALIVE_TICK_MS = 2_500;
/**
 * Events a partition keeps decoded as they arrive (at most a batch); those beyond are kept as their
 * payload. Counted in events, not messages: 64 packs of an accept call's interactions were ~2,000
 * decoded events a partition, and scoring's RSS grew from ~230 to 370 MB in `bench:pipeline`.
 */
const DECODED_AHEAD = 64;
/** Payloads read again from the stream at once when a batch starts (see `deliveriesOf`). */
const REREAD_CONCURRENCY = 16;

interface Held<T> {
  /** Answers the delivery (see Receipt: the JsMsg itself is not kept). */
  msg: Receipt;
  /**
   * The decoded event, or its payload to decode when its batch starts: see `arrived`. At most one
   * of the two is set; neither once the consumer's payloads in hand reached their bound
   * (`maxHeldBytes`): the payload is then read again from the stream when its batch starts. The
   * payload is kept as a latin1 string of its bytes (each byte
   * one character, an exact-size copy in V8's heap): a `Buffer` copy of a few hundred bytes is a
   * slice of Node's shared 8 KB pool, and a held one keeps its whole slab alive (in a heap
   * snapshot of scoring mid-drain, 37,859 held payloads kept 26.5 MB of slabs).
   */
  event?: T | readonly T[];
  payload?: string;
  /** The payload's size in bytes, and how many of them this entry counts in the consumer's bound. */
  size: number;
  counted: number;
  /**
   * `<workspace>:<contact>` of each contact the message carries (several for a pack, see
   * `keysOfEvents`): order is kept per key. Known once the event is decoded; one kept as its
   * payload is decoded for it only while an event is out for a retry (`keysOf`), and one not in hand
   * is read again for it then (`resolveKeys`).
   */
  keys?: readonly string[];
  /**
   * When the server last started its ack wait: its delivery, or our last working() (monotonic ms).
   * `held` keeps its entries in this order (see `touched`), so keepAlive stops at the first one not due.
   */
  touchedAt: number;
  /**
   * The consumer sequence of its first delivery here: from then on the server counts it as
   * unacknowledged (a redelivery while held changes nothing in that count).
   */
  deliveredAt: number;
}

interface InFlight {
  seqs: Set<number>;
  controller: AbortController;
  settled: Promise<void>;
  startedAt: number;
  warned: boolean;
}

/** The reason given to a handler whose batch was abandoned (AbortSignal.reason). */
export class BatchAbandonedError extends Error {
  constructor(partition: number) {
    super(`partition ${partition}: the batch was abandoned at the stop deadline; it will be redelivered elsewhere`);
    this.name = 'BatchAbandonedError';
  }
}

/** Members of a pack that failed when it was applied one member at a time (see `applyMembers`). */
class MembersFailedError<T> extends Error {
  constructor(readonly failures: readonly { index: number; event: T; err: unknown }[]) {
    super(
      `${failures.length} member(s) of a pack failed: ${failures.map(({ index, err }) => `#${index}: ${describe(err)}`).join('; ')}`,
    );
    this.name = 'MembersFailedError';
  }
}

export class PartitionRunner<T extends ContactEvent> {
  /** Messages in hand (being applied, or waiting): kept alive with working() until acked or given back. */
  private readonly held = new Map<number, Held<T>>();
  /** The events of the held messages kept decoded (see DECODED_AHEAD). */
  private decodedEvents = 0;
  /** Messages given back with a delay, expected back here: seq → keys. Later events of those keys wait for them. */
  private readonly outstanding = new Map<number, readonly string[]>();
  /** Messages of a failed batch: applied one at a time when they come back, to find the one that fails. */
  private readonly suspects = new Set<number>();
  private inFlight: InFlight | undefined;
  private messages: ConsumerMessages | undefined;
  private pinId: string | undefined;
  /** Bumped on every (re)subscribe: late arrivals of an abandoned subscription are given back. */
  private generation = 0;
  /** Batches that failed here: each one ends what handlers may keep in memory (BatchContext.ownership). */
  private failedBatches = 0;
  /** Whether this subscription has checked for events a previous owner left unacknowledged. */
  private checked = false;
  private stopped = false;
  private stopping: Promise<void> | undefined;
  /** What arrived while stopping, before the subscription closed: given back once the pin has moved. */
  private readonly returning: JsMsg[] = [];
  /** The pin the last of those arrived under. */
  private pinnedWhileStopping: string | undefined;
  private wake: (() => void) | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private loopDone: Promise<void> | undefined;
  /** Consecutive batches that failed because a dependency was unavailable; no batch starts before `pausedUntil`. */
  private unavailable = 0;
  private pausedUntil = 0;
  /** Dead letters being recorded (awaited by stop). */
  private readonly settling = new Set<Promise<void>>();
  private readonly retry: Backoff;
  private readonly log: Logger;

  constructor(
    private readonly opts: ResolvedOptions<T>,
    private readonly name: string,
    private readonly partition: number,
  ) {
    this.log = opts.log.child({ consumer: name });
    // Exponential from the delivery count, capped; nats-core's backoff adds jitter (×0.5–1.5).
    const policy: number[] = [];
    for (let delay = opts.retry.baseMs; policy.at(-1) !== opts.retry.maxMs; delay *= 2) {
      policy.push(Math.min(delay, opts.retry.maxMs));
    }
    this.retry = backoff(policy);
  }

  run(): void {
    this.loopDone = this.loop().catch((err) => this.log.error({ err }, 'partition runner crashed'));
  }

  /**
   * Stops pulling, hands the partition over, gives back what no handler is applying,
   * and finishes the batch in flight. At the deadline that batch is abandoned, not
   * given back: see partitioned-consumer.ts. Idempotent.
   */
  stop(deadlineMs: number): Promise<void> {
    this.stopping ??= this.drain(deadlineMs);
    return this.stopping;
  }

  /** Whether this instance was pinned the partition and has not lost the pin since (no server call). */
  holdsPin(): boolean {
    return !this.stopped && this.pinId !== undefined;
  }

  /** Whether the server pins this partition to this instance right now. */
  async owns(): Promise<boolean> {
    if (this.stopped || !this.pinId) return false;
    const info = await this.opts.nats.jsm.consumers.info(this.opts.stream.name, this.name);
    return pinnedClientOf(info) === this.pinId;
  }

  private async drain(deadlineMs: number): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    this.stopped = true;
    this.wake?.();
    const messages = this.messages;
    this.messages = undefined;
    // Unpin while still subscribed: it voids our pull requests open on the server and lets
    // another instance take the partition now, and what the server sent us until then still
    // arrives here (a flush later). Closed first, that would be dropped unread by the client
    // and come back only after its ack wait, holding up its contact on the next owner that
    // long. What arrives is kept (see `arrived`) and given back only after the unpin: given
    // back before, it would come straight back here, each time a delivery toward max_deliver.
    await this.unpin().catch((err: unknown) => this.log.warn({ err }, 'could not hand the partition over'));
    await this.opts.nats.nc.flush().catch(() => undefined);
    this.generation++;
    await messages?.close().catch((err: unknown) => this.log.warn({ err }, 'closing the subscription failed'));
    // Pinned again meanwhile (our client pulled again when its requests were voided): hand over again.
    await this.unpin(this.pinnedWhileStopping).catch((err: unknown) =>
      this.log.warn({ err }, 'could not hand the partition over'),
    );
    for (const msg of this.returning.splice(0)) msg.nak();
    this.giveBackIdle();
    const inFlight = this.inFlight;
    if (inFlight) {
      const finished = await Promise.race([
        inFlight.settled.then(() => true),
        sleep(Math.max(0, deadline - Date.now())).then(() => false),
      ]);
      if (!finished) this.abandon(inFlight, deadlineMs);
      else await this.loopDone;
    } else {
      // A loop waiting for its turn behind another partition's batch applies nothing once
      // stopped: it is not waited for past the deadline.
      await Promise.race([this.loopDone, sleep(Math.max(0, deadline - Date.now()))]);
    }
    await Promise.allSettled([...this.settling]);
    clearInterval(this.heartbeat);
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        await this.subscribe();
        const paused = this.pausedUntil - Date.now();
        if (paused > 0) {
          await this.idle(paused);
          continue;
        }
        // While an event is out for a retry, later events wait by their key: know every key.
        if (this.outstanding.size > 0) await this.resolveKeys();
        // Not the batch itself: an array kept in this loop's frame while it idles would keep a
        // whole batch of receipts and payloads alive after they were acknowledged (a heap
        // snapshot of scoring after a drain found 10,282 of them, ~40 MB).
        if (!this.hasNext()) {
          await this.idle();
          continue;
        }
        if (!this.checked) {
          await this.awaitStragglers();
          this.checked = true;
          continue; // what arrived meanwhile may come first
        }
        // The batch is taken when this partition's turn comes: what arrived meanwhile joins it.
        // A pin lost and taken again meanwhile wants its straggler check first (`checked`).
        await this.opts.batchTurns(() => (this.checked ? this.apply(this.nextBatch()) : undefined));
        failures = 0;
      } catch (err) {
        // NATS itself failed (subscribe, consumer info): what is held stays held, and kept alive.
        failures++;
        this.log.warn({ err, failures }, 'partition runner: a NATS request failed; trying again');
        await this.idle(this.retry.backoff(failures - 1));
      }
    }
  }

  private async subscribe(): Promise<void> {
    if (this.messages) return;
    const consumer = await this.opts.nats.js.consumers.get(this.opts.stream.name, this.name);
    if (this.stopped) return;
    const generation = ++this.generation;
    this.checked = false;
    this.outstanding.clear();
    this.suspects.clear();
    this.pinId = undefined;
    const messages = await consumer.consume({
      group: PRIORITY_GROUP,
      max_messages: this.opts.maxBatch,
      // A pull request outlives its client until it expires, and keeps the pin with it:
      // short pulls let the pin move to a live instance within seconds of a crash.
      expires: PULL_EXPIRES_MS,
      callback: (msg: JsMsg) => this.arrived(msg, generation),
    } as Parameters<typeof consumer.consume>[0]);
    if (this.stopped) {
      await messages.close().catch(() => undefined);
      return;
    }
    this.messages = messages;
    void this.watch(messages, generation);
    this.heartbeat ??= setInterval(() => this.keepAlive(), keepAliveTickMs(this.opts.ackWaitMs));
    this.heartbeat.unref();
  }

  /** Follows the subscription: losing the pin gives back what is held; a dead subscription is replaced. */
  private async watch(messages: ConsumerMessages, generation: number): Promise<void> {
    void messages.closed().then(() => {
      if (generation !== this.generation || this.stopped) return;
      this.messages = undefined;
      this.wake?.();
    });
    for await (const status of messages.status()) {
      if (generation !== this.generation) return;
      if (status.type === 'consumer_unpinned') this.lostPin();
    }
  }

  private arrived(msg: JsMsg, generation: number): void {
    if (generation !== this.generation) {
      msg.nak();
      return;
    }
    const pin = msg.headers?.get(PIN_HEADER);
    if (this.stopped) {
      // Stopping: given back once the partition has been handed over (see `drain`).
      if (this.held.has(msg.seq)) this.redelivered(msg);
      else this.returning.push(msg);
      if (pin) this.pinnedWhileStopping = pin;
      return;
    }
    this.pinId = pin || this.pinId;
    // An event replayed from a dead letter is for the consumer that gave up on it only.
    const replayFor = msg.headers?.get(REPLAY_FOR_HEADER);
    if (replayFor && replayFor !== this.opts.durable) {
      msg.ack();
      return;
    }
    this.outstanding.delete(msg.seq);
    if (this.held.has(msg.seq)) {
      this.redelivered(msg);
      return;
    }
    const held = {
      msg: Receipt.of(this.opts.nats.nc, msg),
      touchedAt: performance.now(),
      deliveredAt: msg.info.deliverySequence,
      size: msg.data.byteLength,
      counted: 0,
    };
    // Decoded on arrival (a payload that does not decode is a dead letter at once) while this
    // partition holds a few: under a backlog every partition holds a batch while at most
    // `concurrentBatches` of them are applied, and a decoded event takes several times the heap
    // of its payload (16 partitions × 2 × 1,000 decoded interactions were ~45 MB of scoring's heap
    // in a snapshot; kept decoded up to a batch per partition, 16 × 2,000 still were). The rest is
    // kept as its payload and decoded once, when its batch starts (`deliveriesOf`): decoding it on
    // arrival too, for its key alone, was a second JSON.parse and schema check of every event of
    // a backlog. Without a backlog a batch is what arrived, decoded as it came.
    //
    // What a consumer keeps in hand is bounded in bytes too (`maxHeldBytes`, all its partitions
    // together, decoded or not): 16 partitions × 10,000 held events of the largest interactions
    // (8 KB of properties) were gigabytes, and scoring ran out of heap as soon as it resumed on such
    // a backlog (docs/benchmarks.md, twenty-second session). Past the bound only the receipt is
    // kept, and the payload is read again from the stream when its batch starts.
    if (!this.opts.heldBytes.take(held.size)) {
      this.held.set(msg.seq, held);
      this.wake?.();
      return;
    }
    if (this.decodedEvents >= Math.min(this.opts.maxBatch, DECODED_AHEAD)) {
      this.held.set(msg.seq, { ...held, counted: held.size, payload: latin1(msg.data) });
      this.wake?.();
      return;
    }
    let event: T | readonly T[];
    let keys: readonly string[];
    try {
      event = this.opts.decode(msg.data, msg.subject);
      keys = keysOfEvents(event);
    } catch (err) {
      this.opts.heldBytes.release(held.size);
      this.track(this.deadLetter(msg, `cannot decode the payload: ${describe(err)}`));
      return;
    }
    this.held.set(msg.seq, { ...held, counted: held.size, event, keys });
    this.decodedEvents += eventCount(event);
    this.wake?.();
  }

  /** Redelivered while held (its ack wait ran out): keep the newest delivery to acknowledge. */
  private redelivered(msg: JsMsg): void {
    const known = this.held.get(msg.seq)!;
    known.msg = Receipt.of(this.opts.nats.nc, msg);
    this.touched(msg.seq, known, performance.now());
  }

  /** Its ack wait started again now: moved to the end of `held`, which stays in `touchedAt` order. */
  private touched(seq: number, held: Held<T>, now: number): void {
    held.touchedAt = now;
    this.held.delete(seq);
    this.held.set(seq, held);
  }

  /** Whether `nextBatch` would return anything (without sorting what is held). */
  private hasNext(): boolean {
    if (this.outstanding.size === 0) return this.held.size > 0;
    const firstOut = this.firstOutstanding();
    for (const [seq, held] of this.held) {
      const keys = this.keysOf(held);
      if (keys !== undefined && !waitsForRetry(firstOut, seq, keys)) return true;
    }
    return false;
  }

  /**
   * A held message's keys. One kept as its payload is decoded for them (only while an event is out
   * for a retry, see `nextBatch`); one that does not decode waits for nothing, and becomes a dead
   * letter when its batch starts.
   */
  private keysOf(held: Held<T>): readonly string[] | undefined {
    if (held.keys === undefined && held.payload !== undefined) {
      try {
        held.keys = keysOfEvents(this.opts.decode(Buffer.from(held.payload, 'latin1'), held.msg.subject));
      } catch {
        held.keys = [`undecodable:${held.msg.seq}`];
      }
    }
    return held.keys;
  }

  /** Per contact key, the earliest of its events out for a delayed retry. */
  private firstOutstanding(): Map<string, number> {
    const firstOut = new Map<string, number>();
    for (const [seq, keys] of this.outstanding) {
      for (const key of keys) firstOut.set(key, Math.min(seq, firstOut.get(key) ?? Infinity));
    }
    return firstOut;
  }

  /**
   * The next events to apply: in stream order, skipping the events of a contact while an
   * earlier event of it is out for a delayed retry; an event of a failed batch alone. At most
   * `maxBatch` events, and no more payload bytes than `maxBatchBytes` past the first event.
   */
  private nextBatch(): Held<T>[] {
    const firstOut = this.firstOutstanding();
    const batch: Held<T>[] = [];
    let bytes = 0;
    for (const [seq, held] of [...this.held].sort((a, b) => a[0] - b[0])) {
      if (firstOut.size > 0) {
        const keys = this.keysOf(held);
        // Not known yet (it came while the keys were read): nothing after it goes before it.
        if (keys === undefined) break;
        if (waitsForRetry(firstOut, seq, keys)) continue;
      }
      if (this.suspects.has(seq)) {
        if (batch.length === 0) batch.push(held);
        break;
      }
      if (batch.length > 0 && bytes + held.size > this.opts.maxBatchBytes) break;
      batch.push(held);
      bytes += held.size;
      if (batch.length === this.opts.maxBatch) break;
    }
    return batch;
  }

  /**
   * The batch's events, in its order: what was kept as its payload is decoded now, once (see
   * `arrived`), and what was kept as its receipt alone is read from the stream first; a payload
   * that does not decode leaves the batch as a dead letter, and the rest is applied.
   */
  private async deliveriesOf(batch: Held<T>[]): Promise<Delivery<T>[]> {
    const reread = await this.reread(batch.filter((held) => held.event === undefined && held.payload === undefined));
    const deliveries: Delivery<T>[] = [];
    for (const held of batch) {
      const { msg } = held;
      let event = held.event;
      if (event === undefined) {
        const data = held.payload === undefined ? reread.get(msg.seq) : Buffer.from(held.payload, 'latin1');
        if (data === undefined) {
          // Gone from the stream (its limits dropped it while it waited here): nothing can apply it.
          this.take([msg.seq]);
          this.suspects.delete(msg.seq);
          msg.term('no longer in its stream');
          this.log.error({ seq: msg.seq, subject: msg.subject }, 'a held event is no longer in its stream: dropped');
          continue;
        }
        try {
          event = this.opts.decode(data, msg.subject);
          held.keys ??= keysOfEvents(event);
        } catch (err) {
          this.take([msg.seq]);
          this.suspects.delete(msg.seq);
          this.track(this.deadLetter(msg, `cannot decode the payload: ${describe(err)}`));
          continue;
        }
      }
      const { redelivered, deliveryCount } = msg;
      if (!isList(event)) deliveries.push({ event, seq: msg.seq, redelivered, deliveryCount });
      else {
        // A pack's members are of different contacts: each at the message's own position (its
        // contact's "last applied"); the events of one contact apart by 1/1024 (memberPosition).
        const pack = isPack(held.keys ?? keysOfEvents(event));
        event.forEach((member, i) =>
          deliveries.push({
            event: member,
            seq: pack ? msg.seq : memberPosition(msg.seq, i),
            redelivered,
            deliveryCount,
          }),
        );
      }
    }
    return deliveries;
  }

  /**
   * The keys of the held events whose payload is not in hand, from their payloads read again (only
   * while an event is out for a retry: the events after it wait by key, see `nextBatch`).
   */
  private async resolveKeys(): Promise<void> {
    const unknown = [...this.held.values()].filter((held) => held.keys === undefined && held.payload === undefined);
    if (unknown.length === 0) return;
    const found = await this.reread(unknown);
    for (const held of unknown) {
      const data = found.get(held.msg.seq);
      try {
        // Gone from the stream: its batch drops it (see deliveriesOf), it waits for nothing.
        held.keys = data ? keysOfEvents(this.opts.decode(data, held.msg.subject)) : [`gone:${held.msg.seq}`];
      } catch {
        held.keys = [`undecodable:${held.msg.seq}`];
      }
    }
  }

  /** The payloads of these held events, read again from the stream (absent: no longer stored). */
  private async reread(batch: Held<T>[]): Promise<Map<number, Uint8Array>> {
    const found = new Map<number, Uint8Array>();
    if (batch.length === 0) return found;
    const limit = pLimit(REREAD_CONCURRENCY);
    await Promise.all(
      batch.map(({ msg: { seq } }) =>
        limit(async () => {
          const stored = await this.opts.nats.jsm.streams.getMessage(this.opts.stream.name, { seq });
          if (stored) found.set(seq, stored.data);
        }),
      ),
    );
    this.opts.heldBytes.reread += batch.length;
    return found;
  }

  private async apply(batch: Held<T>[]): Promise<void> {
    if (this.stopped || batch.length === 0) return;
    const deliveries = await this.deliveriesOf(batch);
    // Given back while payloads were read (a stop, a lost pin): another instance applies them now.
    const given = new Map(batch.map((held) => [held.msg.seq, held]));
    if (this.stopped || deliveries.some(({ seq }) => this.held.get(Math.floor(seq)) !== given.get(Math.floor(seq)))) {
      return;
    }
    if (deliveries.length === 0) return;
    const controller = new AbortController();
    // Not pinned (yet): nothing to keep between batches.
    const ownership = this.pinId ? `${this.partition}/${this.generation}/${this.pinId}/${this.failedBatches}` : '';
    const context = { signal: controller.signal, ownership };
    const outcome = Promise.resolve()
      .then(() =>
        batch.length === 1 && this.isolates(batch[0]!)
          ? this.applyMembers(deliveries, context)
          : this.opts.handle(deliveries, this.partition, context),
      )
      .then(
        () => ({ ok: true as const }),
        (err: unknown) => ({ ok: false as const, err }),
      );
    const inFlight: InFlight = {
      // The messages: a message's later events are at positions between its own and the next's.
      seqs: new Set(deliveries.map((delivery) => Math.floor(delivery.seq))),
      controller,
      settled: outcome.then(() => undefined),
      startedAt: Date.now(),
      warned: false,
    };
    this.inFlight = inFlight;
    const result = await outcome;
    this.inFlight = undefined;
    if (!result.ok) this.failedBatches++;
    // Abandoned by stop(): the messages are the server's to give out again, after their ack wait.
    if (controller.signal.aborted) return;
    if (result.ok) {
      this.unavailable = 0;
      this.acknowledge(inFlight.seqs);
    } else if (isNatsUnavailable(result.err) || this.opts.transient?.(result.err)) {
      this.waitForDependency(inFlight.seqs, result.err);
    } else {
      this.unavailable = 0;
      await this.failed(inFlight.seqs, result.err);
    }
  }

  /**
   * Whether a message alone in its batch is applied one member at a time: a pack (events of several
   * contacts) that failed before, here (a suspect) or anywhere (delivered again). Only then can the
   * member that fails be told from the others, which are applied and go on; a pack applied whole
   * at its last delivery could only become one dead letter, and replaying it would apply again the
   * members that had been applied (at a new position).
   */
  private isolates(held: Held<T>): boolean {
    return (
      held.keys !== undefined && isPack(held.keys) && (this.suspects.has(held.msg.seq) || held.msg.deliveryCount > 1)
    );
  }

  /**
   * A pack's members, one handler call each, in order. A member applied on an earlier delivery is
   * skipped by its handler (its contact's position is past it). A dependency that is unavailable
   * fails the whole pack at once (it waits in hand, see `waitForDependency`); any other failure is
   * kept, the members after it still applied, and the failed ones are thrown together.
   */
  private async applyMembers(deliveries: Delivery<T>[], context: BatchContext): Promise<void> {
    const failures: { index: number; event: T; err: unknown }[] = [];
    for (const [index, delivery] of deliveries.entries()) {
      context.signal.throwIfAborted();
      try {
        await this.opts.handle([delivery], this.partition, context);
      } catch (err) {
        if (isNatsUnavailable(err) || this.opts.transient?.(err)) throw err;
        failures.push({ index, event: delivery.event, err });
      }
    }
    if (failures.length > 0) throw new MembersFailedError(failures);
  }

  /**
   * Acknowledged without waiting for the server to confirm: a lost ack only brings its event back
   * after the ack wait, to be skipped by its position, and an ack the server has not processed yet
   * only makes a new owner's straggler check wait a round longer (it counts as unacknowledged).
   * Confirming the last ack of every batch cost each batch of one a reply and a wake-up of both
   * processes (`bench:latency`: most batches hold one event).
   */
  private acknowledge(seqs: Set<number>): void {
    for (const held of this.take(seqs)) held.msg.ack();
    for (const seq of seqs) this.suspects.delete(seq);
  }

  /**
   * A failed batch comes back after a backoff, and its events are then applied one at a
   * time: the event that fails is found, the others are applied and go on. A single
   * event that fails is retried after a backoff that grows with its delivery count,
   * until the last delivery: then it becomes a dead letter.
   */
  private async failed(seqs: Set<number>, err: unknown): Promise<void> {
    const batch = this.take(seqs);
    if (batch.length > 1) {
      this.log.warn(
        { err, events: batch.length, firstSeq: batch[0]!.msg.seq },
        'batch failed; its events come back after a backoff, to be applied one at a time',
      );
      for (const held of batch) this.retryLater(held);
      return;
    }
    const held = batch[0];
    if (!held) return;
    const deliveries = held.msg.deliveryCount;
    if (deliveries >= this.opts.retry.maxDeliver) {
      this.suspects.delete(held.msg.seq);
      if (err instanceof MembersFailedError) await this.deadLetterMembers(held.msg, err as MembersFailedError<T>);
      else await this.deadLetter(held.msg, describe(err));
      return;
    }
    const delayMs = this.retryLater(held);
    this.log.warn(
      { err, seq: held.msg.seq, subject: held.msg.subject, deliveries, retryInMs: delayMs },
      'event failed; retrying after a backoff',
    );
  }

  /**
   * NATS or the database is unavailable: nothing is wrong with these events, so they
   * are not given back (each redelivery would count toward their dead letter). They
   * stay in hand, kept alive, and the partition pauses with a growing delay.
   */
  private waitForDependency(seqs: Set<number>, err: unknown): void {
    const delayMs = this.retry.backoff(this.unavailable++);
    this.pausedUntil = Date.now() + delayMs;
    this.log.warn(
      { err, events: seqs.size, failures: this.unavailable, retryInMs: delayMs },
      'a dependency is unavailable; the batch waits in hand and is tried again',
    );
  }

  /** Gives a message back to JetStream with a delay; later events of its contact wait for it. */
  private retryLater(held: Held<T>): number {
    const delayMs = this.retry.backoff(held.msg.deliveryCount - 1);
    this.suspects.add(held.msg.seq);
    // Known: the batch that failed decoded it.
    this.outstanding.set(held.msg.seq, held.keys ?? this.keysOf(held) ?? [`unknown:${held.msg.seq}`]);
    held.msg.nak(delayMs);
    return delayMs;
  }

  /**
   * Records the message as a dead letter, then terminates it (in that order: a crash in
   * between redelivers it, and the second record is dropped by its message id).
   */
  private async deadLetter(msg: JsMsg | Receipt, error: string): Promise<void> {
    const deliveries = msg instanceof Receipt ? msg.deliveryCount : msg.info.deliveryCount;
    const fields = { seq: msg.seq, subject: msg.subject, deliveries, error };
    try {
      const { headers, payload } =
        msg instanceof Receipt ? await this.storedMessage(msg.seq) : { headers: msg.headers, payload: msg.data };
      const letter = await this.recordLetter({
        subject: msg.subject,
        seq: msg.seq,
        deliveries,
        error,
        headers,
        payload,
      });
      msg.term(`dead letter ${letter}`);
      this.log.error({ ...fields, letter }, 'event given up on: terminated and kept as a dead letter');
    } catch (err) {
      // Not recorded: not terminated either. At its last delivery the server drops it and
      // announces that; the consumer's advisory listener records the dead letter then.
      this.log.error({ ...fields, err }, 'could not record a dead letter; giving the event back');
      msg.nak(this.opts.retry.maxMs);
    }
  }

  /**
   * A pack's members that kept failing, each recorded as a dead letter of its own (its event alone:
   * replayed, it is applied alone, and the members that were applied are not applied again); then
   * the pack is terminated. A crash in between redelivers it: the letters recorded are dropped as
   * duplicates by their message ids, and the members applied are skipped by their positions.
   */
  private async deadLetterMembers(msg: Receipt, failed: MembersFailedError<T>): Promise<void> {
    const fields = { seq: msg.seq, subject: msg.subject, deliveries: msg.deliveryCount };
    try {
      const { headers } = await this.storedMessage(msg.seq);
      const letters: number[] = [];
      for (const { index, event, err } of failed.failures) {
        letters.push(
          await this.recordLetter({
            subject: msg.subject,
            seq: msg.seq,
            member: index,
            deliveries: msg.deliveryCount,
            error: describe(err),
            headers,
            payload: Buffer.from(JSON.stringify(event)),
          }),
        );
      }
      msg.term(`dead letters ${letters.join(', ')} (members ${failed.failures.map((f) => f.index).join(', ')})`);
      this.log.error(
        { ...fields, letters, members: failed.failures.map((f) => f.index) },
        'members of a pack given up on: kept as dead letters, the rest of the pack applied; terminated',
      );
    } catch (err) {
      this.log.error({ ...fields, err }, 'could not record the dead letters of a pack; giving it back');
      msg.nak(this.opts.retry.maxMs);
    }
  }

  /** Records a dead letter of this consumer's stream and name. */
  private recordLetter(letter: Omit<DeadLetterInput, 'consumer' | 'stream'>): Promise<number> {
    const { nats, stream, durable } = this.opts;
    return recordDeadLetter(nats, topology(stream.namespace), { ...letter, consumer: durable, stream: stream.name });
  }

  /** A held event's payload and headers, read again from the stream (a receipt keeps neither). */
  private async storedMessage(seq: number): Promise<{ headers?: MsgHdrs; payload: Uint8Array }> {
    const stored = await this.opts.nats.jsm.streams.getMessage(this.opts.stream.name, { seq });
    if (!stored) throw new Error(`event ${seq} is no longer in stream ${this.opts.stream.name}`);
    return { headers: stored.header, payload: stored.data };
  }

  /**
   * On taking a partition over, before applying anything: events a previous owner
   * received and never acknowledged (it crashed, it abandoned a batch at its stop
   * deadline, they were on the wire when it stopped, or it gave them back with a delay)
   * come back only later, yet must be applied before anything newer of their contact.
   * While the consumer counts more unacknowledged events than this instance holds, keep
   * pulling (and the pin) and wait; the queue is then applied in stream order. Bounded
   * by the longest such wait (ack wait after a drain, or the longest retry delay).
   *
   * The count is the server's at the moment of the consumer info, and what is held here is
   * compared with it as of that moment: a message delivered after it (its consumer sequence
   * beyond `delivered.consumer_seq`) is not in that count, and counting it would hide a
   * straggler (B held 22..24, the server counted 21..23: "nothing missing", and 22 went
   * before 21, which the old owner's closed subscription had received).
   */
  private async awaitStragglers(): Promise<void> {
    const deadline = Date.now() + this.opts.strandedWaitMs;
    let warned = false;
    while (!this.stopped) {
      const info = await this.opts.nats.jsm.consumers.info(this.opts.stream.name, this.name);
      const seen = info.delivered.consumer_seq;
      let counted = 0;
      for (const held of this.held.values()) if (held.deliveredAt <= seen) counted++;
      const stranded = info.num_ack_pending - counted;
      if (stranded <= 0) return;
      if (Date.now() > deadline) {
        this.log.error({ stranded }, 'unacknowledged events did not come back in time; going on, order may break');
        return;
      }
      if (!warned) {
        this.log.info({ stranded }, 'waiting for events a previous owner left unacknowledged, to keep order');
        warned = true;
      }
      await this.idle(100);
    }
  }

  /** Pinned elsewhere now: give back what no handler is applying, and check for stragglers again. */
  private lostPin(): void {
    this.log.info({ held: this.held.size }, 'the partition moved to another instance');
    this.pinId = undefined;
    this.checked = false;
    this.outstanding.clear();
    this.suspects.clear();
    this.giveBackIdle();
  }

  /** Gives back (nak, no delay) every held message no handler is applying: none of it was written. */
  private giveBackIdle(): void {
    for (const [seq, held] of this.held) {
      if (this.inFlight?.seqs.has(seq)) continue;
      held.msg.nak();
      this.forget(seq, held);
    }
  }

  private abandon(inFlight: InFlight, deadlineMs: number): void {
    inFlight.controller.abort(new BatchAbandonedError(this.partition));
    // No more working(): the ack wait runs out, and only then does another instance get them.
    this.take(inFlight.seqs);
    this.log.warn(
      { events: inFlight.seqs.size, deadlineMs, ackWaitMs: this.opts.ackWaitMs },
      'stop deadline passed while a batch was being applied: abandoned, to be redelivered after its ack wait',
    );
  }

  /** Releases the pin if the server still pins the partition to this instance (under `pin`). */
  private async unpin(pin = this.pinId): Promise<void> {
    this.pinId = undefined;
    if (!pin) return;
    const { jsm } = this.opts.nats;
    const info = await jsm.consumers.info(this.opts.stream.name, this.name);
    if (pinnedClientOf(info) === pin) await jsm.consumers.unpin(this.opts.stream.name, this.name, PRIORITY_GROUP);
  }

  /**
   * Keeps every held message from being redelivered while it is applied or waits its turn:
   * restarts the ack wait of what has been held for half of it. A message applied and
   * acknowledged within seconds of its delivery never needs it. Under a backlog every partition
   * holds a batch for up to tens of seconds, and each working() is a message the server
   * handles: refreshed at a quarter of the ack wait, the keep-alives of a 60k-interaction bench
   * were most of the NATS server's CPU, and at half of it scoring still sent 271,000 for the
   * 200,000 interactions of `pnpm bench:pipeline` (1.4 per event, ~14% of the messages the
   * server took in). So a message is touched once its wait has KEEP_ALIVE_SPARE_MS left (22.5 s
   * into 30 s; half of a short wait, as tests use), looked at every KEEP_ALIVE_TICK_MS: touched
   * at most 25 s after its last start, 5 s to spare. One touched late is redelivered while held,
   * which only renews its receipt (`redelivered`).
   */
  private keepAlive(): void {
    const now = performance.now();
    const due = now - keepAliveAfterMs(this.opts.ackWaitMs);
    // Oldest first (see Held.touchedAt): a backlog of 100,000 held events is not walked every tick.
    const touched: [number, Held<T>][] = [];
    for (const entry of this.held) {
      if (entry[1].touchedAt > due) break;
      touched.push(entry);
    }
    for (const [seq, held] of touched) {
      held.msg.working();
      this.touched(seq, held, now);
    }
    const inFlight = this.inFlight;
    if (inFlight && !inFlight.warned && Date.now() - inFlight.startedAt > this.opts.ackWaitMs) {
      inFlight.warned = true;
      this.log.warn({ events: inFlight.seqs.size }, 'a batch is taking longer than the ack wait');
    }
  }

  /** Removes these messages from the held set; returns them in stream order. */
  private take(seqs: Iterable<number>): Held<T>[] {
    const taken: Held<T>[] = [];
    for (const seq of [...seqs].sort((a, b) => a - b)) {
      const held = this.held.get(seq);
      if (!held) continue;
      this.forget(seq, held);
      taken.push(held);
    }
    return taken;
  }

  /** No longer in hand: its bytes and decoded events are off the bounds. */
  private forget(seq: number, held: Held<T>): void {
    this.held.delete(seq);
    this.opts.heldBytes.release(held.counted);
    if (held.event !== undefined) this.decodedEvents -= eventCount(held.event);
  }

  private track(work: Promise<void>): void {
    this.settling.add(work);
    void work.finally(() => this.settling.delete(work));
  }

  /** Waits for an arrival, a stop, or `ms` (when given). */
  private idle(ms?: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = ms === undefined ? undefined : setTimeout(done, ms);
      timer?.unref();
      this.wake = done;
    });
  }
}

/** Consumer info of nats-server ≥ 2.11 names the client a priority group is pinned to. */
function pinnedClientOf(info: ConsumerInfo): string | undefined {
  const groups = (info as ConsumerInfo & { priority_groups?: { group: string; pinned_client_id?: string }[] })
    .priority_groups;
  return groups?.find((g) => g.group === PRIORITY_GROUP)?.pinned_client_id || undefined;
}

/** Whether message `seq` of `keys` waits for an earlier event of one of its keys, out for a delayed retry. */
function waitsForRetry(firstOut: ReadonlyMap<string, number>, seq: number, keys: readonly string[]): boolean {
  return keys.some((key) => (firstOut.get(key) ?? Infinity) < seq);
}

/** The bytes as a string of one character each (see Held.payload), read in place. */
function latin1(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1');
}

function describe(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.replace(/\s+/g, ' ').slice(0, 1000);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** How long a held message goes untouched (see keepAlive). */
export function keepAliveAfterMs(ackWaitMs: number): number {
  return Math.max(ackWaitMs / 2, ackWaitMs - KEEP_ALIVE_SPARE_MS);
}

/** How often keepAlive looks: a sixth of a short ack wait, KEEP_ALIVE_TICK_MS at most. */
export function keepAliveTickMs(ackWaitMs: number): number {
  return Math.max(100, Math.min(ackWaitMs / 6, KEEP_ALIVE_TICK_MS));
}

const isList = <T>(event: T | readonly T[]): event is readonly T[] => Array.isArray(event);
const eventCount = <T>(event: T | readonly T[]): number => (isList(event) ? event.length : 1);

/**
 * The keys (`<workspace>:<contact>`) of a message's events: one for an event alone or several
 * events of one contact (in order), one per member of a pack of several contacts' events, each
 * contact once. A message of several contacts with one of them twice is refused: its members
 * share the message's position, and two events of a contact at one position cannot keep order.
 */
function keysOfEvents(event: ContactEvent | readonly ContactEvent[]): readonly string[] {
  const events = isList(event) ? event : [event];
  if (events.length === 0) throw new Error('a message with no event');
  const keys = events.map((e) => contactKey(e.workspaceId, e.contactId));
  const distinct = new Set(keys);
  if (distinct.size === 1) return [keys[0]!];
  if (distinct.size < keys.length) {
    throw new Error(`a message of several contacts holds one of them more than once (${keys.length} events)`);
  }
  return keys;
}

/** Whether a message of these keys is a pack (several contacts' events, each at the message's position). */
const isPack = (keys: readonly string[]): boolean => keys.length > 1;
