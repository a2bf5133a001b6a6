// Writes one graphql-ws connection's subscription results straight to its socket, so that an
// event going to many subscribers costs one execution and one serialization in all and a
// string concatenation and a frame per socket (graphql-ws would build and stringify a
// message per subscriber and wait for each frame to be flushed before taking the next).
// Frames of one turn of the event loop leave in one write (the socket is corked until the
// turn ends). The socket's unsent bytes are bounded: what the operating system's buffers do
// not take stays in the gateway, and once that passes `maxBufferedBytes` the client reads
// too slowly and `onSlow` closes it.
import type { Socket } from 'node:net';
import { WebSocket } from 'ws';
import type { ResultSink } from './delivery-queue';
import type { SubscriptionResult } from './hub';

export interface SocketWriterOptions {
  maxBufferedBytes: number;
  /** Called once when the socket's unsent bytes passed the bound (close it as slow). */
  onSlow(bufferedBytes: number): void;
}

/** Writers with frames corked in this turn of the event loop. */
const corked = new Set<SocketWriter>();
let flushScheduled = false;

function flushAll(): void {
  flushScheduled = false;
  const writers = [...corked];
  corked.clear();
  for (const writer of writers) writer.flush();
}

export class SocketWriter {
  private isCorked = false;
  private slow = false;
  private closed = false;
  private readonly streams = new Set<{ return(value: undefined): unknown }>();

  constructor(
    private readonly ws: WebSocket,
    /** The TCP socket under `ws` (the upgrade request's). */
    private readonly raw: Socket,
    private readonly options: SocketWriterOptions,
  ) {}

  /** A sink for subscription `id`: each result as a graphql-ws `next` message. */
  sinkFor(id: string): ResultSink<SubscriptionResult> {
    const prefix = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
    return {
      send: (_result, json) => this.write(`${prefix}${json}}`),
      whenWritable: () => this.whenWritable(),
    };
  }

  /** Ends `stream` when the connection closes (graphql-ws may not have taken it yet). */
  track(stream: { return(value: undefined): unknown }): void {
    if (this.closed) {
      void stream.return(undefined);
      return;
    }
    this.streams.add(stream);
  }

  /** The connection closed: its streams end, nothing more is written. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const stream of this.streams) void stream.return(undefined);
    this.streams.clear();
  }

  private write(frame: string): void {
    if (this.closed || this.slow || this.ws.readyState !== WebSocket.OPEN) return;
    if (!this.isCorked) {
      this.raw.cork();
      this.isCorked = true;
      corked.add(this);
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flushAll);
      }
    }
    this.ws.send(frame);
  }

  /** Writes what this turn corked, then checks what the socket could not take. */
  flush(): void {
    if (!this.isCorked) return;
    this.isCorked = false;
    this.raw.uncork();
    const buffered = this.ws.bufferedAmount;
    if (!this.slow && buffered > this.options.maxBufferedBytes && this.ws.readyState === WebSocket.OPEN) {
      this.slow = true;
      this.options.onSlow(buffered);
    }
  }

  private async whenWritable(): Promise<void> {
    while (
      !this.closed &&
      !this.slow &&
      !this.raw.destroyed &&
      this.ws.bufferedAmount > this.options.maxBufferedBytes / 2
    ) {
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
