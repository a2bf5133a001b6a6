// Connects to NATS with endless reconnects (a service survives a NATS restart) and
// hands out the JetStream client and manager that go with the connection.
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';

export interface Nats {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  /** Drains subscriptions and pending publishes, then closes. Safe to call twice. */
  close(): Promise<void>;
}

export async function connectNats(url: string, name: string): Promise<Nats> {
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: url.split(','),
      name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      // Otherwise every request (each JetStream publish) builds two Error objects up front,
      // stack traces and all, in case it times out: ~9% of scoring's CPU in a profile.
      // A timeout still rejects with a TimeoutError, without the caller's stack.
      noAsyncTraces: true,
    });
  } catch (err) {
    throw new Error(`cannot connect to NATS at ${url}: start nats-server with -js, or set NATS_URL`, { cause: err });
  }
  let jsm: JetStreamManager;
  try {
    jsm = await jetstreamManager(nc);
  } catch (err) {
    await nc.close();
    throw new Error(`NATS at ${url} answers but its JetStream does not (is nats-server started with -js?)`, {
      cause: err,
    });
  }
  const js = jetstream(nc);
  let closing: Promise<void> | undefined;
  return {
    nc,
    js,
    jsm,
    close: () => (closing ??= nc.isClosed() ? Promise.resolve() : nc.drain().catch(() => nc.close())),
  };
}

export type { NatsConnection, JetStreamClient, JetStreamManager };
