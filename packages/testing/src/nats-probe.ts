// Records what is published on a subject pattern, so tests can assert on the
// events a service emitted (core NATS: sees JetStream publishes as they happen).
import { connect } from '@nats-io/transport-node';
import type { Msg, NatsConnection } from '@nats-io/nats-core';

export interface NatsProbe<T> {
  events: { subject: string; payload: T }[];
  /** Resolves once at least `count` events matched, or throws after the deadline. */
  waitForCount(count: number, timeoutMs?: number): Promise<{ subject: string; payload: T }[]>;
  nc: NatsConnection;
  /**
   * What happened to the probe's connection (disconnects, reconnects, errors), in order: a core
   * subscriber misses what is published while it is away, so a test's failure message can say so.
   */
  connectionEvents: string[];
  close(): Promise<void>;
}

/**
 * `url`: the server to listen on (default NATS_URL); in a cluster, the one the publishers use.
 * `expand`: the events a message carries, when one may carry several (e.g. a ScoreChanges).
 */
export async function probeSubject<T = Record<string, unknown>>(
  subject: string,
  url: string = process.env.NATS_URL!,
  expand: (payload: unknown) => T[] = (payload) => [payload as T],
): Promise<NatsProbe<T>> {
  const nc = await connect({ servers: url });
  const events: { subject: string; payload: T }[] = [];
  const sub = nc.subscribe(subject, {
    callback: (err: Error | null, msg: Msg) => {
      if (err) return;
      for (const payload of expand(JSON.parse(msg.string()))) events.push({ subject: msg.subject, payload });
    },
  });
  await nc.flush();
  const connectionEvents: string[] = [];
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type !== 'ping') connectionEvents.push(`${new Date().toISOString()} ${status.type}`);
    }
  })();
  return {
    events,
    nc,
    connectionEvents,
    async waitForCount(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (events.length < count) {
        if (Date.now() > deadline) {
          throw new Error(`timed out waiting for ${count} events on ${subject}; saw ${events.length}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return events;
    },
    async close() {
      sub.unsubscribe();
      await nc.drain();
    },
  };
}
