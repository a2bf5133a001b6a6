// One subscriber's pending results, in event order. Results are computed concurrently (one
// execution per distinct selection per event, shared by every subscriber of that selection)
// but leave in the order their events arrived. Two ways out:
// - pulled, as an AsyncGenerator (graphql-sse, tests): bounded, a subscriber that leaves
//   `capacity` results ready and unread reads too slowly and is closed (onOverflow) rather
//   than holding everyone's memory or losing events silently;
// - pushed to a sink (graphql-ws): each result goes out the moment it and the ones before it
//   are resolved, serialized once for all its subscribers; the sink bounds what its transport
//   holds (in bytes) and closes a stalled subscriber itself. The generator then only tells
//   graphql-ws when the stream ends.
// Results still being resolved do not count against a reader (a burst of events is the
// subgraphs' time, not the client's), up to MAX_OUTSTANDING. `return()` ends it at once,
// even while a `next()` is waiting — an `async function*` would wait for the next event.

/**
 * One event's result for every subscriber that shares it: resolved once, serialized once.
 * `settle` is called by whoever computes it; the queues holding it are then flushed.
 */
export class SharedResult<T> {
  private state: { value: T } | undefined;
  private serialized: string | undefined;
  private readonly queues: DeliveryQueue<T>[] = [];
  readonly promise: Promise<T>;
  private resolvePromise!: (value: T) => void;

  constructor() {
    this.promise = new Promise<T>((resolve) => (this.resolvePromise = resolve));
  }

  get settled(): boolean {
    return this.state !== undefined;
  }

  get value(): T {
    if (!this.state) throw new Error('the result is not resolved yet');
    return this.state.value;
  }

  /** The result as JSON, computed once for all its subscribers. */
  get json(): string {
    this.serialized ??= JSON.stringify(this.value);
    return this.serialized;
  }

  settle(value: T): void {
    if (this.state) return;
    this.state = { value };
    this.resolvePromise(value);
    for (const queue of this.queues.splice(0)) queue.settled();
  }

  /** `queue` holds it: tell it when it settles. */
  watch(queue: DeliveryQueue<T>): void {
    if (!this.state) this.queues.push(queue);
  }
}

export interface Delivery<T> {
  result: SharedResult<T>;
  /** Called when the result will never be read (dropped, or the subscriber left). */
  release(): void;
}

/** Where a pushed queue sends its results, in order. */
export interface ResultSink<T> {
  /** One result, with its JSON (the same string for every subscriber it went to). */
  send(result: T, json: string): void;
  /** Resolves once the transport has room again (paces a replay). */
  whenWritable(): Promise<void>;
  /** The stream ends: write out what was sent before the transport says so. */
  end(): void;
}

export interface DeliveryQueueOptions<T> {
  capacity: number;
  /** Called once when more than `capacity` results are ready and unread: the queue is closed. */
  onOverflow(): void;
  /** Called once, when the subscriber leaves or the queue is closed. */
  onClose(): void;
  /** Push results here as they resolve instead of waiting to be pulled. */
  sink?: ResultSink<T>;
}

/** Pending results, resolved or not, a queue may hold at most (a full replay window's worth). */
export const MAX_OUTSTANDING = 10_000;

type Waiter<T> = (result: IteratorResult<T, undefined> | PromiseLike<IteratorResult<T, undefined>>) => void;

export class DeliveryQueue<T> implements AsyncGenerator<T, undefined, unknown> {
  private pending: Delivery<T>[] = [];
  /** Index of the first pending delivery (shifting an array per result is O(n)). */
  private head = 0;
  /** Pending deliveries whose result has resolved: what the reader could have taken. */
  private ready = 0;
  private readonly waiters: Waiter<T>[] = [];
  private closed = false;
  private readonly roomWaiters: (() => void)[] = [];

  constructor(private readonly options: DeliveryQueueOptions<T>) {}

  get size(): number {
    return this.pending.length - this.head;
  }

  push(delivery: Delivery<T>): void {
    if (this.closed) {
      delivery.release();
      return;
    }
    if (!this.options.sink) {
      const waiter = this.waiters.shift();
      if (waiter) {
        waiter(delivery.result.promise.then((value) => ({ value, done: false })));
        return;
      }
    }
    if (this.size >= Math.max(this.options.capacity, MAX_OUTSTANDING)) {
      delivery.release();
      this.overflow();
      return;
    }
    this.pending.push(delivery);
    if (delivery.result.settled) this.settled();
    else delivery.result.watch(this);
  }

  /** A pending result resolved: push what is now in order, or count what a reader could take. */
  settled(): void {
    if (this.closed) return;
    const { sink } = this.options;
    if (sink) {
      while (this.head < this.pending.length && this.pending[this.head]!.result.settled) {
        const { result } = this.pending[this.head]!;
        this.pending[this.head++] = undefined as never;
        sink.send(result.value, result.json);
        if (this.closed) return;
      }
      this.compact();
      this.wakeRoomWaiters();
      return;
    }
    // Counted from the head: ready results behind an unresolved one are not the reader's delay.
    let ready = 0;
    for (let i = this.head; i < this.pending.length && this.pending[i]!.result.settled; i++) ready++;
    this.ready = ready;
    // Checked as results become ready: a burst of events may all arrive before any is.
    if (this.ready > this.options.capacity) this.overflow();
  }

  private compact(): void {
    if (this.head === this.pending.length) {
      this.pending = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.pending.length) {
      this.pending = this.pending.slice(this.head);
      this.head = 0;
    }
  }

  private overflow(): void {
    this.close();
    this.options.onOverflow();
  }

  /** Resolves when at most half the capacity is pending and the sink has room (or the queue closed): paces a replay. */
  async waitForRoom(): Promise<void> {
    while (!this.closed && this.size > this.options.capacity / 2) {
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }
    if (!this.closed) await this.options.sink?.whenWritable();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private wakeRoomWaiters(): void {
    if (this.roomWaiters.length === 0 || this.size > this.options.capacity / 2) return;
    for (const wake of this.roomWaiters.splice(0)) wake();
  }

  next(): Promise<IteratorResult<T, undefined>> {
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    // Pushed: the stream only ends.
    if (this.options.sink) return new Promise((resolve) => this.waiters.push(resolve));
    if (this.head < this.pending.length) {
      const delivery = this.pending[this.head]!;
      this.pending[this.head++] = undefined as never;
      if (delivery.result.settled) this.ready--;
      this.compact();
      this.wakeRoomWaiters();
      return delivery.result.promise.then((value) => ({ value, done: false }));
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Ends the stream now: pending results are released, a waiting `next()` gets `done`. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.options.sink?.end();
    for (let i = this.head; i < this.pending.length; i++) this.pending[i]!.release();
    this.pending = [];
    this.head = 0;
    this.ready = 0;
    for (const waiter of this.waiters.splice(0)) waiter({ value: undefined, done: true });
    for (const wake of this.roomWaiters.splice(0)) wake();
    this.options.onClose();
  }

  async return(): Promise<IteratorResult<T, undefined>> {
    this.close();
    return { value: undefined, done: true };
  }

  async throw(error: unknown): Promise<IteratorResult<T, undefined>> {
    this.close();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }
}
