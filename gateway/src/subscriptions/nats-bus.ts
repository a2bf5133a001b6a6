// The hub's event bus on JetStream: one ordered consumer (ephemeral, no acks) per
// followed subject, starting after the stream's last message, so every gateway
// instance receives every event of the workspaces its own subscribers watch, each
// with its stream position: the event id a subscriber resumes from. A resume reads
// the events after that position from the stream (bounded: REPLAY_WINDOW).
import { DeliverPolicy, type JsMsg } from '@nats-io/jetstream';
import { REPLAY_FOR_HEADER } from '@cei/contracts';
import type { Nats } from '@cei/nats';
import type { Logger } from '@cei/config';
import type { BusEvent, EventBus, ReplayWindow } from './hub';

function busEvent(msg: JsMsg): BusEvent {
  // An event replayed from a dead letter is for the one consumer that gave up on it;
  // subscribers saw the original.
  return { data: msg.data, seq: msg.seq, replayForConsumer: Boolean(msg.headers?.get(REPLAY_FOR_HEADER)) };
}

/** Whether `subject` is one of those `filter` (tokens, `*` for any one) takes. */
export function subjectMatches(filter: string, subject: string): boolean {
  const wanted = filter.split('.');
  const tokens = subject.split('.');
  return wanted.length === tokens.length && wanted.every((token, i) => token === '*' || token === tokens[i]);
}

export function natsEventBus(nats: Nats, log: Logger): EventBus {
  const { js, jsm } = nats;
  return {
    async follow(stream, subject, onEvent) {
      const info = await jsm.streams.info(stream);
      // From an explicit position: if the consumer is ever recreated, it resumes where it was.
      const consumer = await js.consumers.getPushConsumer(stream, {
        filter_subjects: subject,
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: info.state.last_seq + 1,
      });
      const messages = await consumer.consume({
        callback: (msg) => {
          // An exception thrown into nats.js's handler would take the consumer down.
          try {
            onEvent(busEvent(msg));
          } catch (err) {
            log.error({ err, subject }, 'event delivery failed');
          }
        },
      });
      return { stop: () => void messages.close().catch(() => undefined) };
    },

    async replay(stream, subject, fromSeq, window: ReplayWindow) {
      const info = await jsm.streams.info(stream);
      if (fromSeq > info.state.last_seq) return { ok: false, reason: 'UNKNOWN' };
      const last = fromSeq >= info.state.first_seq ? await jsm.streams.getMessage(stream, { seq: fromSeq }) : null;
      // Gone from the stream (aged out, or never this workspace's to see): beyond the window.
      if (!last) return { ok: false, reason: 'EXCEEDED' };
      if (!subjectMatches(subject, last.subject)) return { ok: false, reason: 'UNKNOWN' };
      if (last.time.getTime() < Date.now() - window.maxAgeMs) return { ok: false, reason: 'EXCEEDED' };
      const consumer = await js.consumers.getPushConsumer(stream, {
        filter_subjects: subject,
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: fromSeq,
      });
      const { num_pending: pending } = await consumer.info(true);
      if (pending > window.maxEvents) {
        await consumer.delete().catch(() => undefined);
        return { ok: false, reason: 'EXCEEDED' };
      }
      if (pending === 0) {
        await consumer.delete().catch(() => undefined);
        return { ok: true, events: (async function* () {})(), stop: () => undefined };
      }
      const messages = await consumer.consume();
      async function* events(): AsyncGenerator<BusEvent> {
        let read = 0;
        try {
          for await (const msg of messages) {
            yield busEvent(msg);
            // What was pending when the replay began: later events come live.
            if (++read >= pending) return;
          }
        } finally {
          await messages.close().catch(() => undefined);
        }
      }
      return { ok: true, events: events(), stop: () => void messages.close().catch(() => undefined) };
    },
  };
}
