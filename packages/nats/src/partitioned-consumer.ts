// One writer per contact: a stream's subjects end in a partition token, each
// partition has a durable pull consumer whose priority group pins exactly one
// client at a time (NATS >= 2.11 `pinned_client`). Every instance of a service
// pulls from every partition; the server delivers each partition to one of them
// and moves the pin when that instance stops pulling. Within a partition, events
// are handled in stream order, in batches, and acknowledged only after the
// handler's writes are durable.
import { AckPolicy, DeliverPolicy, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { contactKey, PARTITIONS, type StreamSpec } from '@cei/contracts';
import type { Logger } from '@cei/config';
import type { Nats } from './connection';

const PRIORITY_GROUP = 'owner';
/** Pull requests expire after this (see `subscribe`). */
const PULL_EXPIRES_MS = 2_000;
const ACK_WAIT_MS = 10_000;
const nanos = (ms: number) => ms * 1_000_000;

export interface Delivery<T> {
  event: T;
  /** Stream sequence: the position a state document records as "last applied". */
  seq: number;
  redelivered: boolean;
}

export interface PartitionedConsumerOptions<T> {
  nats: Nats;
  stream: StreamSpec;
  /** Consumer name prefix: `<durable>-p<partition>`. One per (service, stream). */
  durable: string;
  /** The subjects of one partition this consumer takes (default: the stream's partition filters). */
  partitionFilters?(partition: number): string[];
  /** Parses a payload (the subject says which kind it is); throwing marks the message as one that can never succeed. */
  decode(data: Uint8Array, subject: string): T;
  /**
   * Applies a batch of one partition, in stream order. Must be idempotent per
   * event (redelivery happens). Throwing makes the whole batch be redelivered, so
   * it must not throw while its own writes are still in flight (see `writeAll`).
   */
  handle(batch: Delivery<T>[], partition: number): Promise<void>;
  log: Logger;
  maxBatch?: number;
  /** How long a silent owner keeps its partition before another instance gets it. */
  pinTimeoutMs?: number;
  retryDelayMs?: number;
}

/**
 * Runs `write` for every item in parallel and waits for ALL of them before
 * rethrowing the first failure. A handler must never leave a write in flight when
 * it throws: the batch is redelivered at once, and a stale write landing after the
 * retry's newer one would be a lost update (Promise.all rejects on the first error
 * while the others still run).
 */
export async function writeAll<T>(items: Iterable<T>, write: (item: T) => Promise<unknown>): Promise<void> {
  const results = await Promise.allSettled([...items].map(write));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** A batch's deliveries per contact (`<workspace>:<contact>`), each list in stream order. */
export function groupByContact<T extends { workspaceId: string; contactId: string }>(
  batch: readonly Delivery<T>[],
): Map<string, Delivery<T>[]> {
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
  start(): Promise<void>;
  /** Stops pulling, finishes the batch in flight (up to the deadline) and returns. Idempotent. */
  stop(deadlineMs?: number): Promise<void>;
  readiness(): boolean;
}

export function createPartitionedConsumer<T>(opts: PartitionedConsumerOptions<T>): PartitionedConsumer {
  const maxBatch = opts.maxBatch ?? 256;
  const runners: PartitionRunner<T>[] = [];
  let phase: 'idle' | 'starting' | 'running' | 'stopping' | 'stopped' = 'idle';
  let stopping: Promise<void> | undefined;

  return {
    async start() {
      if (phase !== 'idle') return;
      phase = 'starting';
      for (let partition = 0; partition < PARTITIONS; partition++) {
        const name = `${opts.durable}-p${partition}`;
        await ensurePartitionConsumer(opts, name, partition);
        runners.push(new PartitionRunner(opts, name, partition, maxBatch));
      }
      for (const runner of runners) runner.run();
      phase = 'running';
    },
    stop(deadlineMs = 10_000) {
      stopping ??= (async () => {
        phase = 'stopping';
        await Promise.all(runners.map((r) => r.stop(deadlineMs)));
        phase = 'stopped';
      })();
      return stopping;
    },
    readiness: () => phase === 'running',
  };
}

async function ensurePartitionConsumer<T>(opts: PartitionedConsumerOptions<T>, name: string, partition: number) {
  const filters = (opts.partitionFilters ?? opts.stream.partitionFilters)(partition);
  const config = {
    durable_name: name,
    // One filter as filter_subject, several as filter_subjects: never both, also when an
    // update merges this into a consumer an older version created (undefined clears a field).
    filter_subject: filters.length === 1 ? filters[0] : undefined,
    filter_subjects: filters.length > 1 ? filters : undefined,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(ACK_WAIT_MS),
    max_ack_pending: 4 * (opts.maxBatch ?? 256),
    priority_groups: [PRIORITY_GROUP],
    priority_policy: 'pinned_client' as const,
    priority_timeout: nanos(opts.pinTimeoutMs ?? 5_000),
  };
  try {
    await opts.nats.jsm.consumers.add(opts.stream.name, config);
  } catch (err) {
    // Another instance created it first (the expected race), or an older version of
    // the service did with other filters: bring it to this config.
    if (!(err instanceof Error && /already exists|in use/i.test(err.message))) throw err;
    const { durable_name: _name, ...update } = config;
    await opts.nats.jsm.consumers.update(opts.stream.name, name, update);
  }
}

class PartitionRunner<T> {
  private queue: JsMsg[] = [];
  private wake: (() => void) | undefined;
  private messages: ConsumerMessages | undefined;
  private stopped = false;
  /** Bumped on every resubscribe: late arrivals of an abandoned subscription are given back. */
  private generation = 0;
  /** Whether this subscription has checked for events a previous owner left unacknowledged. */
  private checked = false;
  private done: Promise<void> | undefined;
  private readonly log: Logger;

  constructor(
    private readonly opts: PartitionedConsumerOptions<T>,
    private readonly name: string,
    private readonly partition: number,
    private readonly maxBatch: number,
  ) {
    this.log = opts.log.child({ consumer: name });
  }

  run(): void {
    this.done = this.loop().catch((err) => this.log.error({ err }, 'partition runner crashed'));
  }

  /** Finishes the batch in hand, gives back the rest and leaves the partition. */
  async stop(deadlineMs: number): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await Promise.race([this.done, sleep(deadlineMs)]);
    this.nakAll(this.queue.splice(0));
    await this.messages?.close().catch(() => undefined);
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.subscribe();
        await this.drainQueue();
      } catch (err) {
        // A failed batch: give back everything not yet applied, in stream order, and
        // resubscribe after a pause, so that redelivery keeps per-contact order.
        this.log.warn({ err }, 'batch failed; redelivering from the first unapplied event');
        this.generation++;
        this.nakAll(this.queue.splice(0));
        await this.messages?.close().catch(() => undefined);
        this.messages = undefined;
        await sleep(this.opts.retryDelayMs ?? 1_000);
      }
    }
  }

  private async subscribe(): Promise<void> {
    if (this.messages) return;
    const consumer = await this.opts.nats.js.consumers.get(this.opts.stream.name, this.name);
    const generation = ++this.generation;
    this.checked = false;
    this.messages = await consumer.consume({
      group: PRIORITY_GROUP,
      max_messages: this.maxBatch * 2,
      // A pull request outlives its client until it expires, and keeps the pin with it:
      // short pulls let the pin move to a live instance within seconds of a stop or crash.
      expires: PULL_EXPIRES_MS,
      callback: (msg) => {
        if (this.stopped || generation !== this.generation) return msg.nak();
        this.queue.push(msg);
        this.wake?.();
      },
    } as Parameters<typeof consumer.consume>[0]);
  }

  private async drainQueue(): Promise<void> {
    while (!this.stopped) {
      if (this.queue.length === 0) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      if (!this.checked) {
        await this.awaitStragglers();
        this.checked = true;
        if (this.stopped) return;
      }
      // Stream order, whatever order redeliveries arrived in.
      this.queue.sort((a, b) => a.seq - b.seq);
      const batch = this.queue.slice(0, this.maxBatch);
      await this.apply(batch);
      this.queue.splice(0, batch.length);
    }
  }

  /**
   * On taking a partition over, before applying anything: events a previous owner
   * received and never acknowledged (it crashed, or they were on the wire when it
   * stopped) come back only when their ack wait ends, yet must be applied before
   * anything newer. While the consumer counts more unacknowledged events than this
   * instance holds, keep pulling (and the pin) and wait for them; the queue is then
   * applied in stream order. Bounded by the ack wait.
   */
  private async awaitStragglers(): Promise<void> {
    const deadline = Date.now() + ACK_WAIT_MS + 2_000;
    let warned = false;
    for (;;) {
      const info = await this.opts.nats.jsm.consumers.info(this.opts.stream.name, this.name);
      const stranded = info.num_ack_pending - this.queue.length;
      if (stranded <= 0 || this.stopped) return;
      if (Date.now() > deadline) {
        this.log.warn({ stranded }, 'unacknowledged events did not come back within the ack wait; going on');
        return;
      }
      if (!warned) {
        this.log.info({ stranded }, 'waiting for events a previous owner left unacknowledged, to keep order');
        warned = true;
      }
      await sleep(100);
    }
  }

  private async apply(batch: JsMsg[]): Promise<void> {
    const deliveries: Delivery<T>[] = [];
    const applied: JsMsg[] = [];
    for (const msg of batch) {
      let event: T;
      try {
        event = this.opts.decode(msg.data, msg.subject);
      } catch (err) {
        const reason = err instanceof Error ? err.message.replace(/\s+/g, ' ').slice(0, 300) : String(err);
        this.log.error({ reason, seq: msg.seq, subject: msg.subject }, 'undecodable event terminated');
        msg.term('undecodable payload');
        continue;
      }
      deliveries.push({ event, seq: msg.seq, redelivered: msg.redelivered });
      applied.push(msg);
    }
    if (deliveries.length > 0) await this.opts.handle(deliveries, this.partition);
    // Acks on one connection are processed in order: confirming the last confirms
    // them all, so the unacknowledged count the straggler check reads is exact.
    const last = applied.pop();
    for (const msg of applied) msg.ack();
    await last?.ackAck();
  }

  private nakAll(msgs: JsMsg[]): void {
    for (const msg of msgs) msg.nak();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
