// The raw JetStream publish baseline: what this NATS server takes with acks awaited, 256 in
// flight, on a stream of its own (created and deleted here). Benchmarks report their figures
// as a ratio to it, measured in the same run on the same server.
import { connectNats } from '@cei/nats';

export const RAW_PUBLISHES = 10_000;

export async function measureRawJetStreamPublish(natsUrl: string, publishes = RAW_PUBLISHES): Promise<number> {
  const nats = await connectNats(natsUrl, 'bench');
  await nats.jsm.streams.add({ name: 'BENCH_RAW', subjects: ['bench.raw.>'] });
  try {
    const payload = JSON.stringify({ v: 1, kind: 'PAGE_VISIT', properties: { url: '/pricing' } });
    const started = performance.now();
    for (let i = 0; i < publishes; i += 256) {
      const window = Array.from({ length: Math.min(256, publishes - i) }, (_, j) =>
        nats.js.publish(`bench.raw.${(i + j) % 16}`, payload, { msgID: `m${i + j}` }),
      );
      await Promise.all(window);
    }
    return Math.round((publishes / (performance.now() - started)) * 1000);
  } finally {
    await nats.jsm.streams.delete('BENCH_RAW');
    await nats.close();
  }
}
