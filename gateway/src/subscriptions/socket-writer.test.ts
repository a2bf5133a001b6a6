// The socket writer against real sockets: a ws server and a ws client on loopback, the
// client's parser checking the frames the writer builds itself.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { SocketWriter } from './socket-writer';

interface Pair {
  writer: SocketWriter;
  server: WebSocket;
  client: WebSocket;
  received: string[];
  slow: number[];
  close(): Promise<void>;
}

async function connect(maxBufferedBytes = 1024 * 1024): Promise<Pair> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await once(wss, 'listening');
  const { port } = wss.address() as AddressInfo;
  const accepted = once(wss, 'connection') as Promise<[WebSocket, import('node:http').IncomingMessage]>;
  const client = new WebSocket(`ws://127.0.0.1:${port}`);
  const received: string[] = [];
  client.on('message', (data, isBinary) => received.push(isBinary ? '<binary>' : String(data)));
  const [server, request] = await accepted;
  await once(client, 'open');
  const slow: number[] = [];
  const writer = new SocketWriter(server, request.socket, { maxBufferedBytes, onSlow: (bytes) => slow.push(bytes) });
  return {
    writer,
    server,
    client,
    received,
    slow,
    close: async () => {
      client.terminate();
      for (const socket of wss.clients) socket.terminate();
      await new Promise((resolve) => wss.close(resolve));
    },
  };
}

const waitUntil = async (what: string, done: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('socket writer', () => {
  it('sends each result as a graphql-ws next message the client parses, in order, whatever its length', async () => {
    const pair = await connect();
    try {
      const sink = pair.writer.sinkFor('sub-1');
      // Lengths on each side of the 7-bit, 16-bit and 64-bit frame lengths, and multi-byte text.
      const payloads = [
        { data: { n: 'a' } },
        { data: { n: 'b'.repeat(120) } },
        { data: { n: 'c'.repeat(70_000) } },
        { data: { n: 'é ✓ 😀 '.repeat(30) } },
      ];
      for (const payload of payloads) sink.send(payload, JSON.stringify(payload));

      await waitUntil('every message', () => pair.received.length === payloads.length);
      expect(pair.received.map((text) => JSON.parse(text))).toEqual(
        payloads.map((payload) => ({ id: 'sub-1', type: 'next', payload })),
      );
    } finally {
      await pair.close();
    }
  });

  it('writes what a stream sent before ws sends anything after the stream ended', async () => {
    const pair = await connect();
    try {
      const sink = pair.writer.sinkFor('sub-2');
      sink.send({ data: { n: 1 } }, '{"data":{"n":1}}');
      sink.end();
      pair.server.send(JSON.stringify({ id: 'sub-2', type: 'complete' }));

      await waitUntil('both messages', () => pair.received.length === 2);
      expect(pair.received.map((text) => (JSON.parse(text) as { type: string }).type)).toEqual(['next', 'complete']);
    } finally {
      await pair.close();
    }
  });

  it('ends the streams still open when the connection closes, not those that ended before', async () => {
    const pair = await connect();
    try {
      const ended: string[] = [];
      const stream = (name: string) => ({ return: () => void ended.push(name) });
      const done = pair.writer.sinkFor('done');
      const open = pair.writer.sinkFor('open');
      pair.writer.track(done, stream('done'));
      pair.writer.track(open, stream('open'));
      done.end();

      pair.writer.close();

      expect(ended).toEqual(['open']);
      pair.writer.track(pair.writer.sinkFor('late'), stream('late'));
      expect(ended).toEqual(['open', 'late']);
    } finally {
      await pair.close();
    }
  });

  it('calls onSlow once the socket holds more than its bound unsent, and then writes nothing more', async () => {
    const pair = await connect(256 * 1024);
    try {
      const sink = pair.writer.sinkFor('sub-3');
      pair.client.pause();
      const big = JSON.stringify({ data: { n: 'x'.repeat(100_000) } });
      // A stalled reader: the operating system's buffers fill, then the gateway's.
      for (let i = 0; i < 400 && pair.slow.length === 0; i++) {
        sink.send({}, big);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }

      expect(pair.slow).toHaveLength(1);
      expect(pair.slow[0]).toBeGreaterThan(256 * 1024);
      const held = pair.server.bufferedAmount;
      sink.send({}, big);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(pair.server.bufferedAmount).toBe(held);
    } finally {
      await pair.close();
    }
  });
});
