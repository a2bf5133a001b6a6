// What a partition runner keeps of a delivered message while its event waits or is applied:
// the decoded event (kept beside it) and this receipt, which answers the message through its
// reply subject as JsMsg does (the same +ACK, -NAK, +WPI and +TERM payloads), but holds only
// a few numbers and one string. A JsMsg held instead keeps its payload, a view of the
// connection's read buffer, and with it the whole buffer: under a backlog a process holds
// a batch of each of its sixteen partitions (tens of thousands of events), and the
// buffers they pinned were most of ingestion's and scoring's resident memory.
import type { JsMsg } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/nats-core';

const ACK = Uint8Array.of(43, 65, 67, 75); // +ACK
const NAK = Uint8Array.of(45, 78, 65, 75); // -NAK
const WPI = Uint8Array.of(43, 87, 80, 73); // +WPI
const encoder = new TextEncoder();

export class Receipt {
  /** Acknowledged, given back or terminated: a receipt answers once (working() aside). */
  private answered = false;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly reply: string,
    /** The stream sequence. */
    readonly seq: number,
    readonly subject: string,
    readonly deliveryCount: number,
    readonly redelivered: boolean,
  ) {}

  static of(nc: NatsConnection, msg: JsMsg): Receipt {
    return new Receipt(nc, replyOf(msg), msg.seq, msg.subject, msg.info.deliveryCount, msg.redelivered);
  }

  ack(): void {
    this.answer(ACK);
  }

  /** Gives the message back, to be redelivered after `delayMs` (at once without). */
  nak(delayMs?: number): void {
    this.answer(delayMs ? encoder.encode(`-NAK ${JSON.stringify({ delay: nanos(delayMs) })}`) : NAK);
  }

  /** Restarts the message's ack wait. */
  working(): void {
    if (!this.answered) this.nc.publish(this.reply, WPI);
  }

  term(reason: string): void {
    this.answer(encoder.encode(`+TERM ${reason}`));
  }

  private answer(payload: Uint8Array): void {
    if (this.answered) return;
    this.answered = true;
    this.nc.publish(this.reply, payload);
  }
}

/** JetStream's ack subject of the delivery: JsMsgImpl exposes it, the JsMsg interface does not. */
function replyOf(msg: JsMsg): string {
  const reply: unknown = Reflect.get(msg, 'reply');
  if (typeof reply !== 'string' || reply === '') {
    throw new Error(`JetStream message ${msg.seq} of ${msg.subject} has no reply subject to acknowledge it on`);
  }
  return reply;
}
