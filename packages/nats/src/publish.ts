// Publishes an event to JetStream with a deterministic message id, so a retry or a
// sweep that publishes it again is dropped by the stream's duplicate window.
import type { JetStreamClient } from '@nats-io/jetstream';

export async function publishEvent(
  js: JetStreamClient,
  subject: string,
  payload: unknown,
  msgId: string,
): Promise<{ seq: number; duplicate: boolean }> {
  const ack = await js.publish(subject, JSON.stringify(payload), { msgID: msgId, timeout: 10_000 });
  return { seq: ack.seq, duplicate: ack.duplicate };
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
