// `pnpm bench:consumer [-- --rates 50,200 --events 1000 --consumers 1]`: what a partitioned consumer costs
// per event when its handler does nothing, at a steady rate (most batches hold one event) and flat out:
// CPU of this process and of the NATS server per event, publishing alone first (the baseline), then
// publishing with the consumers running; the difference is the consumers' own cost. The cost of the
// runner, the client and the server around every batch, which the single-interaction path pays in each
// of its ~14 batches. Prints one JSON object; progress on stderr.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '@cei/config';
import { topology } from '@cei/contracts';
import { connectNats, createPartitionedConsumer, ensureStreams, type PartitionedConsumer } from '@cei/nats';
import { startInfrastructure, testNamespace } from '@cei/testing';
import { cpuSeconds } from './rss';

const progress = (message: string) => process.stderr.write(`[bench:consumer] ${message}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round3 = (n: number) => Math.round(n * 1000) / 1000;
/** Flat out: each publish waits only for its own acknowledgement. */
const FLAT_OUT = 0;

interface Run {
  /** Events per second asked for (0: as fast as one publisher goes). */
  rate: number;
  events: number;
  /** CPU milliseconds per event: this process (publisher and consumers), and the NATS server. */
  process: number;
  nats: number;
}

async function main() {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      rates: { type: 'string', default: '50,200' },
      events: { type: 'string', default: '1000' },
      consumers: { type: 'string', default: '1' },
    },
  });
  const rates = [...values.rates.split(',').map(Number), FLAT_OUT];
  const events = Number(values.events);
  const consumerCount = Number(values.consumers);
  if (rates.some((r) => !(r >= 0)) || !(events > 0) || !(consumerCount > 0)) {
    throw new Error('--rates must be positive numbers separated by commas, --events and --consumers positive');
  }
  const dir = mkdtempSync(join(tmpdir(), 'cei-bench-consumer-'));
  const infra = await startInfrastructure({ dir });
  const t = topology(testNamespace('benchcons'));
  const nats = await connectNats(infra.natsUrl, 'bench-consumer');
  const publisher = await connectNats(infra.natsUrl, 'bench-consumer-publisher');
  const natsPid = { 'nats-server': infra.serverPids['nats-server']! };
  let handled = 0;
  let sent = 0;

  /** Publishes `count` events on the schedule, each for a new contact (spread over the partitions). */
  async function measure(rate: number, count: number, expectHandled: number): Promise<Run> {
    const natsBefore = cpuSeconds(natsPid)['nats-server']!;
    const usage = process.cpuUsage();
    const handledBefore = handled;
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      const wait = rate === FLAT_OUT ? 0 : started + (i * 1000) / rate - performance.now();
      if (wait >= 1) await sleep(wait);
      const contactId = `c${sent++}`;
      await publisher.js.publish(
        t.subjects.interactionRecorded('ws-bench', contactId, 'profiled'),
        JSON.stringify({ workspaceId: 'ws-bench', contactId }),
      );
    }
    while (handled - handledBefore < expectHandled) await sleep(5);
    const { user, system } = process.cpuUsage(usage);
    const nats = cpuSeconds(natsPid)['nats-server']! - natsBefore;
    return {
      rate,
      events: count,
      process: round3((user + system) / 1000 / count),
      nats: round3((nats * 1000) / count),
    };
  }

  const consumers: PartitionedConsumer[] = [];
  try {
    await ensureStreams(nats.jsm, t);
    progress(`publishing alone: ${events} events at ${rates.map((r) => r || 'full speed').join(', ')}/s…`);
    const alone: Run[] = [];
    for (const rate of rates) alone.push(await measure(rate, events, 0));

    const log = createLogger('bench-consumer', 'error');
    for (let k = 0; k < consumerCount; k++) {
      const consumer = createPartitionedConsumer<{ workspaceId: string; contactId: string }>({
        nats,
        stream: t.streams.interactions,
        durable: `bench-${k}`,
        decode: (data) => JSON.parse(Buffer.from(data).toString('utf8')) as { workspaceId: string; contactId: string },
        handle: async (batch) => {
          handled += batch.length;
        },
        log,
      });
      await consumer.start();
      consumers.push(consumer);
    }
    progress(`with ${consumerCount} consumer(s) of 16 partitions each, handlers doing nothing…`);
    // The consumers take what was published alone first (their durables start at the stream's start).
    while (handled < sent * consumerCount) await sleep(50);
    const consumed: Run[] = [];
    for (const rate of rates) consumed.push(await measure(rate, events, events * consumerCount));

    const runs = rates.map((rate, i) => ({
      rate: rate === FLAT_OUT ? 'full speed' : `${rate}/s`,
      events,
      publishingAlone: { processMs: alone[i]!.process, natsMs: alone[i]!.nats },
      withConsumers: { processMs: consumed[i]!.process, natsMs: consumed[i]!.nats },
      // What the consumers add per event, per consumer: the runner, the client and the server around a batch.
      perConsumerPerEvent: {
        processMs: round3((consumed[i]!.process - alone[i]!.process) / consumerCount),
        natsMs: round3((consumed[i]!.nats - alone[i]!.nats) / consumerCount),
      },
    }));
    process.stdout.write(`${JSON.stringify({ consumers: consumerCount, partitions: 16, runs }, null, 2)}\n`);
  } finally {
    await Promise.all(consumers.map((consumer) => consumer.stop()));
    await publisher.close();
    await nats.close();
    await infra.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`[bench:consumer] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
