// Writes one graphql-ws connection's subscription results straight to its socket, so that an
// event going to many subscribers costs one execution and one serialization in all, and per
// socket a string concatenation and a few bytes of framing (graphql-ws would build and
// stringify a message per subscriber, and wait for each frame's flush before taking the next).
//
// Results are collected per socket and leave in one write: at the end of the turn of the
// event loop, or FLUSH_EVERY_MS after the previous flush if that is later, so under load a
// socket gets the results of several events per write (on loopback a write also costs the
// sender the receiver's TCP work) for at most a few milliseconds more. The frames are built
// here (RFC 6455: unmasked text frames, as a server sends) rather than by `ws` per message;
// `ws` writes its own frames (pings, graphql-ws's complete, close) to the same socket
// synchronously — the server runs without permessage-deflate — and a subscription's results
// are written out before its stream ends, so graphql-ws's `complete` follows them.
//
// The socket's unsent bytes are bounded: what the operating system's buffers do not take
// stays in the gateway, and once that passes `maxBufferedBytes` the client reads too slowly
// and `onSlow` closes it.
import type { Socket } from 'node:net';
import { WebSocket } from 'ws';
import type { ResultSink } from './delivery-queue';
import type { SubscriptionResult } from './hub';

export interface SocketWriterOptions {
  maxBufferedBytes: number;
  /** Called once when the socket's unsent bytes passed the bound (close it as slow). */
  onSlow(bufferedBytes: number): void;
}

/** At most one flush of every socket with results this often (at the end of a turn when idle longer). */
export const FLUSH_EVERY_MS = 5;

/** Writers holding results since the last flush. */
const waiting = new Set<SocketWriter>();
let flushScheduled = false;
let lastFlush = 0;

function scheduleFlush(): void {
  if (flushScheduled) return;
  flushScheduled = true;
  const wait = lastFlush + FLUSH_EVERY_MS - performance.now();
  if (wait > 0) setTimeout(flushAll, wait);
  else setImmediate(flushAll);
}

function flushAll(): void {
  flushScheduled = false;
  lastFlush = performance.now();
  const writers = [...waiting];
  waiting.clear();
  for (const writer of writers) writer.flush();
}

/** FIN + text opcode: a whole text message in one frame. */
const FIN_TEXT = 0x81;

function headerLength(payloadBytes: number): number {
  if (payloadBytes < 126) return 2;
  return payloadBytes < 65_536 ? 4 : 10;
}

/** Writes a server frame's header (no mask) at `offset`; returns the offset after it. */
function writeHeader(buffer: Buffer, offset: number, payloadBytes: number): number {
  buffer[offset] = FIN_TEXT;
  if (payloadBytes < 126) {
    buffer[offset + 1] = payloadBytes;
    return offset + 2;
  }
  if (payloadBytes < 65_536) {
    buffer[offset + 1] = 126;
    buffer.writeUInt16BE(payloadBytes, offset + 2);
    return offset + 4;
  }
  buffer[offset + 1] = 127;
  buffer.writeBigUInt64BE(BigInt(payloadBytes), offset + 2);
  return offset + 10;
}

/** The given text messages as consecutive WebSocket frames, in one buffer. */
export function textFrames(messages: readonly string[]): Buffer {
  const sizes = messages.map((message) => Buffer.byteLength(message));
  const total = sizes.reduce((sum, size) => sum + headerLength(size) + size, 0);
  const buffer = Buffer.allocUnsafe(total);
  let offset = 0;
  for (const [i, message] of messages.entries()) {
    offset = writeHeader(buffer, offset, sizes[i]!);
    offset += buffer.write(message, offset, 'utf8');
  }
  return buffer;
}

export class SocketWriter {
  private messages: string[] = [];
  private slow = false;
  private closed = false;
  /** Each live subscription's stream, by its sink: ended when the connection closes. */
  private readonly streams = new Map<ResultSink<SubscriptionResult>, { return(value: undefined): unknown }>();

  constructor(
    private readonly ws: WebSocket,
    /** The TCP socket under `ws` (the upgrade request's). */
    private readonly raw: Socket,
    private readonly options: SocketWriterOptions,
  ) {}

  /** A sink for subscription `id`: each result as a graphql-ws `next` message. */
  sinkFor(id: string): ResultSink<SubscriptionResult> {
    const prefix = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
    const sink: ResultSink<SubscriptionResult> = {
      send: (_result, json) => this.write(`${prefix}${json}}`),
      whenWritable: () => this.whenWritable(),
      end: () => {
        this.streams.delete(sink);
        // Before graphql-ws sends `complete`: what the stream delivered goes first.
        this.flush();
      },
    };
    return sink;
  }

  /** Ends `stream`, the one `sink` feeds, when the connection closes (graphql-ws may not have taken it yet). */
  track(sink: ResultSink<SubscriptionResult>, stream: { return(value: undefined): unknown }): void {
    if (this.closed) {
      void stream.return(undefined);
      return;
    }
    this.streams.set(sink, stream);
  }

  /** The connection closed: its streams end, nothing more is written. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.messages = [];
    for (const stream of [...this.streams.values()]) void stream.return(undefined);
    this.streams.clear();
  }

  private writable(): boolean {
    return !this.closed && !this.slow && this.ws.readyState === WebSocket.OPEN;
  }

  private write(message: string): void {
    if (!this.writable()) return;
    if (this.messages.length === 0) {
      waiting.add(this);
      scheduleFlush();
    }
    this.messages.push(message);
  }

  /** Writes the results collected since the last flush, then checks what the socket could not take. */
  flush(): void {
    if (this.messages.length === 0) return;
    const messages = this.messages;
    this.messages = [];
    if (!this.writable()) return;
    this.raw.write(textFrames(messages));
    const buffered = this.ws.bufferedAmount;
    if (buffered > this.options.maxBufferedBytes) {
      this.slow = true;
      this.options.onSlow(buffered);
    }
  }

  private async whenWritable(): Promise<void> {
    while (this.writable() && !this.raw.destroyed && this.ws.bufferedAmount > this.options.maxBufferedBytes / 2) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.raw.off('drain', done);
          this.raw.off('close', done);
          resolve();
        };
        this.raw.once('drain', done);
        this.raw.once('close', done);
      });
    }
  }
}
