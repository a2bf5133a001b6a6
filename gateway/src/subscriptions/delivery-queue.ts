// One subscriber's pending results, in event order, as the AsyncGenerator graphql-ws
// consumes. Results are promises (executions run concurrently) but leave in the order
// their events arrived. Bounded: a subscriber that leaves `capacity` results ready and
// unread reads too slowly and is closed (onOverflow) rather than holding everyone's memory
// or losing events silently. Results still being resolved do not count against a reader
// (a burst of events is the subgraphs' time, not the client's), up to MAX_OUTSTANDING. `return()` ends it at once, even
// while a `next()` is waiting — an `async function*` would wait for the next event.

export interface Delivery<T> {
  result: Promise<T>;
  /** Called when the result will never be read (dropped, or the subscriber left). */
  release(): void;
}

export interface DeliveryQueueOptions {
  capacity: number;
  /** Called once when more than `capacity` results are ready and unread: the queue is closed. */
  onOverflow(): void;
  /** Called once, when the subscriber leaves or the queue is closed. */
  onClose(): void;
}

/** Pending results, resolved or not, a queue may hold at most (a full replay window's worth). */
export const MAX_OUTSTANDING = 10_000;

type Waiter<T> = (result: IteratorResult<T, undefined> | PromiseLike<IteratorResult<T, undefined>>) => void;

export class DeliveryQueue<T> implements AsyncGenerator<T, undefined, unknown> {
  private readonly pending: Delivery<T>[] = [];
  /** Pending deliveries whose result has resolved: what the reader could have taken. */
  private readonly ready = new Set<Delivery<T>>();
  private readonly taken = new WeakSet<Delivery<T>>();
  private readonly waiters: Waiter<T>[] = [];
  private closed = false;
  private readonly roomWaiters: (() => void)[] = [];

  constructor(private readonly options: DeliveryQueueOptions) {}

  get size(): number {
    return this.pending.length;
  }

  push(delivery: Delivery<T>): void {
    if (this.closed) {
      delivery.release();
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter(delivery.result.then((value) => ({ value, done: false })));
      return;
    }
    if (this.pending.length >= Math.max(this.options.capacity, MAX_OUTSTANDING)) {
      delivery.release();
      this.overflow();
      return;
    }
    this.pending.push(delivery);
    delivery.result.then(
      () => {
        if (this.closed || this.taken.has(delivery)) return;
        this.ready.add(delivery);
        // Checked as results become ready: a burst of events may all arrive before any is.
        if (this.ready.size > this.options.capacity) this.overflow();
      },
      () => undefined,
    );
  }

  private overflow(): void {
    this.close();
    this.options.onOverflow();
  }

  /** Resolves when at most half the capacity is unread (or the queue closed): paces a replay. */
  async waitForRoom(): Promise<void> {
    while (!this.closed && this.pending.length > this.options.capacity / 2) {
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private wakeRoomWaiters(): void {
    for (const wake of this.roomWaiters.splice(0)) wake();
  }

  next(): Promise<IteratorResult<T, undefined>> {
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    const delivery = this.pending.shift();
    if (delivery) {
      this.ready.delete(delivery);
      this.taken.add(delivery);
    }
    if (this.roomWaiters.length > 0 && this.pending.length <= this.options.capacity / 2) this.wakeRoomWaiters();
    if (delivery) return delivery.result.then((value) => ({ value, done: false }));
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Ends the stream now: pending results are released, a waiting `next()` gets `done`. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const delivery of this.pending.splice(0)) delivery.release();
    this.ready.clear();
    for (const waiter of this.waiters.splice(0)) waiter({ value: undefined, done: true });
    this.wakeRoomWaiters();
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
