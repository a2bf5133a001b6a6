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
