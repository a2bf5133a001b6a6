// Forces a real JetStream redelivery in a service test: wraps the batch handler a
// service gives its partitioned consumer (the service's `wrapHandler` test seam) so
// that one chosen batch fails right after the handler's writes resolved, before the
// ack. The consumer then gives the batch back and JetStream delivers the same stream
// messages again (same seq, `redelivered` set), which is what exactly-once must survive.

/** What a handler is given per message (structurally `Delivery` of @cei/nats). */
export interface SeenDelivery<T> {
  event: T;
  seq: number;
  redelivered: boolean;
}

/**
 * A consumer's batch handler; `D` is the consumer's own delivery type and `C` its batch
 * context (the abandonment signal), passed through untouched.
 */
export type BatchHandler<D, C = unknown> = (batch: D[], partition: number, context?: C) => Promise<void>;

export interface Redelivery<T, S> {
  /** The deliveries of the batch that failed (every one of them is given back), as they first came. */
  failed: SeenDelivery<T>[];
  /** The same messages as they came back, in the same order. */
  again: SeenDelivery<T>[];
  /** What `snapshot` read just before the handler was given them again. */
  before: S;
}

export interface ArmedFault<T, S> {
  /** Resolves once the failed messages came back and the handler applied them without error. */
  redelivered(timeoutMs?: number): Promise<Redelivery<T, S>>;
}

export interface FaultPlan<T, S> {
  /** The batch to fail is the first one holding a delivery that matches. */
  matches(delivery: SeenDelivery<T>): boolean;
  /**
   * Read when the failed messages come back, before the handler is given them again
   * (e.g. the state document, to show it already recorded their position).
   */
  snapshot?(): Promise<S>;
}

export interface RedeliveryFault<T> {
  /** The wrapper to pass as the service's `wrapHandler`; one fault may wrap several instances. */
  wrap: <D extends SeenDelivery<T>, C>(handle: BatchHandler<D, C>) => BatchHandler<D, C>;
  /** Arms the fault: the planned batch runs the real handler (its writes land), then throws. */
  failOnceAfterWrites<S = undefined>(plan: FaultPlan<T, S>): ArmedFault<T, S>;
}

export class InjectedFault extends Error {
  constructor() {
    super('injected by the test: the batch fails after its writes, before its ack');
    this.name = 'InjectedFault';
  }
}

interface Armed<T> {
  plan: FaultPlan<T, unknown>;
  failed?: SeenDelivery<T>[];
  before?: { value: unknown };
  /** The failed messages seen again so far, by seq (a redelivery may come in several batches). */
  again: Map<number, SeenDelivery<T>>;
  settle(redelivery: Redelivery<T, unknown>): void;
}

export function redeliveryFault<T>(): RedeliveryFault<T> {
  let armed: Armed<T> | undefined;

  const wrap =
    <D extends SeenDelivery<T>, C>(handle: BatchHandler<D, C>): BatchHandler<D, C> =>
    async (batch, partition, context) => {
      const fault = armed;
      if (!fault) return handle(batch, partition, context);
      if (!fault.failed) {
        if (!batch.some((d) => fault.plan.matches(d))) return handle(batch, partition, context);
        // The whole batch is given back, so the whole batch is what must come again.
        fault.failed = batch;
        await handle(batch, partition, context);
        throw new InjectedFault();
      }
      const failedSeqs = new Set(fault.failed.map((d) => d.seq));
      const again = batch.filter((d) => failedSeqs.has(d.seq));
      if (again.length === 0) return handle(batch, partition, context);
      fault.before ??= { value: await fault.plan.snapshot?.() };
      await handle(batch, partition, context);
      for (const delivery of again) fault.again.set(delivery.seq, delivery);
      if (fault.again.size === failedSeqs.size) {
        armed = undefined;
        const inOrder = fault.failed.map((d) => fault.again.get(d.seq)!);
        fault.settle({ failed: fault.failed, again: inOrder, before: fault.before.value });
      }
    };

  return {
    wrap,
    failOnceAfterWrites<S>(plan: FaultPlan<T, S>) {
      if (armed) throw new Error('a redelivery fault is armed already: await its redelivery first');
      let settle!: (redelivery: Redelivery<T, S>) => void;
      const done = new Promise<Redelivery<T, S>>((resolve) => (settle = resolve));
      armed = {
        plan,
        again: new Map(),
        settle: settle as (redelivery: Redelivery<T, unknown>) => void,
      };
      return {
        async redelivered(timeoutMs = 30_000) {
          let timer: NodeJS.Timeout | undefined;
          const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`the failed batch was not redelivered and applied within ${timeoutMs} ms`)),
              timeoutMs,
            );
          });
          try {
            return await Promise.race([done, timeout]);
          } finally {
            clearTimeout(timer);
          }
        },
      };
    },
  };
}
