// Publishes an event to JetStream with a deterministic message id, so a retry or a
// sweep that publishes it again is dropped by the stream's duplicate window.
import type { JetStreamClient } from '@nats-io/jetstream';
import {
  interactionRoute,
  messageIds,
  type InteractionRecorded,
  type InteractionRoute,
  type Topology,
} from '@cei/contracts';
import { backoff, delay, headers as natsHeaders, type MsgHdrs } from '@nats-io/nats-core';
import { isNatsUnavailable } from './nats-errors';

export async function publishEvent(
  js: JetStreamClient,
  subject: string,
  payload: unknown,
  msgId: string,
  headers?: Readonly<Record<string, string>>,
): Promise<{ seq: number; duplicate: boolean }> {
  let hdrs: MsgHdrs | undefined;
  if (headers) {
    hdrs = natsHeaders();
    for (const [name, value] of Object.entries(headers)) hdrs.set(name, value);
  }
  const ack = await js.publish(subject, JSON.stringify(payload), { msgID: msgId, timeout: 10_000, headers: hdrs });
  return { seq: ack.seq, duplicate: ack.duplicate };
}

/**
 * Publishes a recorded interaction to its contact's partition under its message id, as the accept
 * path does (`msgId` only to publish it again as if new, outside the duplicate window), under the
 * verb `route` (by default the one for a contact the contact projector may not know: interactionRoute).
 */
export function publishInteraction(
  js: JetStreamClient,
  topology: Topology,
  event: InteractionRecorded,
  msgId = messageIds.interactionRecorded(event.workspaceId, event.interactionId),
  route: InteractionRoute = interactionRoute(event, false),
): Promise<{ seq: number; duplicate: boolean }> {
  const subject = topology.subjects.interactionRecorded(event.workspaceId, event.contactId, route);
  return publishEvent(js, subject, event, msgId);
}

/**
 * Publishes events that must stay in order (one contact's): sent one after the other on the
 * one connection, which the server reads in order, their acks awaited together. Waits for
 * every ack before rethrowing the first failure, so nothing is still in flight when the
 * caller's batch is redelivered; the redelivery publishes them all again, in order, and the
 * message ids drop the copies that landed.
 */
export async function publishInOrder(
  js: JetStreamClient,
  events: readonly { subject: string; payload: unknown; msgId: string }[],
): Promise<void> {
  const acks = await Promise.allSettled(
    events.map(({ subject, payload, msgId }) => publishEvent(js, subject, payload, msgId)),
  );
  const failed = acks.find((ack) => ack.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * `publishEvent`, tried again while NATS is unavailable (a timeout, no responders, a
 * lost connection), with a growing delay, up to `attempts` tries: safe because the
 * message id drops a copy that did land. For background work (a job's requests); a
 * request path fails fast instead and leaves the retry to its outbox.
 */
export async function publishEventWithRetry(
  js: JetStreamClient,
  subject: string,
  payload: unknown,
  msgId: string,
  attempts = 5,
): Promise<{ seq: number; duplicate: boolean }> {
  const delays = backoff([500, 1_000, 2_000, 4_000, 8_000]);
  for (let attempt = 1; ; attempt++) {
    try {
      return await publishEvent(js, subject, payload, msgId);
    } catch (err) {
      if (attempt >= attempts || !isNatsUnavailable(err)) throw err;
      await delay(delays.backoff(attempt - 1));
    }
  }
}

/**
 * Asks the server to publish `payload` to `target` at `at` (JetStream message
 * schedules, nats-server ≥ 2.12). One pending schedule per `scheduleSubject`: a new
 * one replaces the previous, so rescheduling never piles up work.
 */
export async function scheduleEvent(
  js: JetStreamClient,
  scheduleSubject: string,
  target: string,
  at: Date,
  payload: unknown,
): Promise<void> {
  await js.publish(scheduleSubject, JSON.stringify(payload), {
    schedule: { specification: at, target },
    timeout: 10_000,
  });
}
