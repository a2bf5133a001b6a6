// The partitioned consumer against the real nats-server of the jest global setup:
// a stop that abandons a slow batch lets no write of it land after another instance
// got it; a failing batch really comes back from JetStream (backoff), its poison event
// becomes a dead letter after max_deliver while the events after it are applied in
// order; failover from the instance the server pins the partition to; replay of a
// dead letter reaches only its consumer, once.
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@cei/config';
import { partitionOf, topology, type Topology } from '@cei/contracts';
import { testNamespace, testWorkspace, waitFor } from '@cei/testing';
import { connectNats, type Nats } from './connection';
import { ensureStreams } from './streams';
import { publishEvent } from './publish';
import {
  BatchAbandonedError,
  createPartitionedConsumer,
  writeAll,
  type BatchContext,
  type Delivery,
  type PartitionedConsumer,
  type PartitionedConsumerOptions,
} from './partitioned-consumer';
import { createDeadLetterStore } from './dead-letters';
import { keepAliveAfterMs, keepAliveTickMs } from './partition-runner';

interface Counted {
  workspaceId: string;
  contactId: string;
  n: number;
}

/** One application of an event by one instance. */
interface Applied {
  instance: string;
  contactId: string;
  n: number;
  seq: number;
  redelivered: boolean;
  deliveryCount: number;
}

const ACK_WAIT_MS = 2_000;

describe('partitioned consumer', () => {
  let nats: Nats;
  let ns: Topology;
  const consumers: PartitionedConsumer[] = [];
  const logLines: Record<string, unknown>[] = [];
  const log: Logger = createLogger(
    'consumer-test',
    'info',
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    }),
  );

  beforeAll(async () => {
    nats = await connectNats(process.env.NATS_URL!, 'consumer-test');
    ns = topology(testNamespace('consumer'));
    await ensureStreams(nats.jsm, ns);
  });
  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop(1_000)));
  });
  afterAll(async () => {
    await nats?.close();
  });

  let published = 0;
  const publish = (event: Counted) =>
    publishEvent(nats.js, ns.subjects.scoreChanged(event.workspaceId, event.contactId), event, `m${++published}`);
  const decode = (data: Uint8Array): Counted => JSON.parse(Buffer.from(data).toString('utf8')) as Counted;

  async function start(
    durable: string,
    handle: PartitionedConsumerOptions<Counted>['handle'],
    extra: Partial<PartitionedConsumerOptions<Counted>> = {},
  ): Promise<PartitionedConsumer> {
    const consumer = createPartitionedConsumer<Counted>({
      nats,
      stream: ns.streams.scores,
      durable,
      decode,
      handle,
      log,
      ackWaitMs: ACK_WAIT_MS,
      ...extra,
    });
    consumers.push(consumer);
    await consumer.start();
    return consumer;
  }

  /** A handler that records what it applies, for one workspace (other tests' events are ignored). */
  function recorder(instance: string, ws: string, applied: Applied[], fail?: (d: Delivery<Counted>) => boolean) {
    return async (batch: Delivery<Counted>[]) => {
      const mine = batch.filter((d) => d.event.workspaceId === ws);
      const bad = mine.find((d) => fail?.(d));
      if (bad) throw new Error(`event ${bad.event.n} of ${bad.event.contactId} cannot be applied`);
      for (const { event, seq, redelivered, deliveryCount } of mine) {
        applied.push({ instance, contactId: event.contactId, n: event.n, seq, redelivered, deliveryCount });
      }
    };
  }

  /** A contact of `ws` other than `contactId` whose events share its partition. */
  function neighbourOf(ws: string, contactId: string): string {
    for (let i = 0; ; i++) {
      const candidate = `neighbour-${i}`;
      if (partitionOf(ws, candidate) === partitionOf(ws, contactId)) return candidate;
    }
  }

  /** `count` contacts of `ws` (named `<prefix>-<i>`), each in a partition of its own. */
  function inDistinctPartitions(ws: string, count: number, prefix: string): string[] {
    const contacts: string[] = [];
    for (let i = 0; contacts.length < count; i++) {
      const candidate = `${prefix}-${i}`;
      if (!contacts.some((c) => partitionOf(ws, c) === partitionOf(ws, candidate))) contacts.push(candidate);
    }
    return contacts;
  }

  async function ownerOf(partition: number, instances: Record<string, PartitionedConsumer>): Promise<string> {
    return waitFor(`the instance pinned to partition ${partition}`, async () => {
      const owning: string[] = [];
      for (const [name, consumer] of Object.entries(instances)) {
        if ((await consumer.ownedPartitions()).includes(partition)) owning.push(name);
      }
      return owning.length === 1 && owning[0];
    });
  }

  it('keeps every held message alive while a slow batch holds them up: nothing is redelivered past its ack wait', async () => {
    const ws = testWorkspace();
    const contactId = 'patient';
    const applied: Applied[] = [];
    const record = recorder('A', ws, applied);
    // The first event takes three ack waits; six others arrive at different times meanwhile and wait.
    await start('held-alive', async (batch) => {
      if (batch.some((d) => d.event.workspaceId === ws && d.event.n === 1)) await sleep(ACK_WAIT_MS * 3);
      await record(batch);
    });
    const events = [1, 2, 3, 4, 5, 6, 7];
    for (const n of events) {
      if (n > 1) await sleep(ACK_WAIT_MS / 6);
      await publish({ workspaceId: ws, contactId, n });
    }
    await waitFor('all seven applied', () => applied.length >= events.length, { timeoutMs: 20_000 });
    expect(applied.map((a) => [a.n, a.deliveryCount, a.redelivered])).toEqual(events.map((n) => [n, 1, false]));
    const info = await nats.jsm.consumers.info(ns.streams.scores.name, `held-alive-p${partitionOf(ws, contactId)}`);
    expect(info.num_redelivered).toBe(0);
  }, 30_000);

  it('abandons a slow batch at the stop deadline, and none of its writes lands after another instance got it', async () => {
    const ws = testWorkspace();
    const contactId = 'slow';
    const partition = partitionOf(ws, contactId);
    const writes: { instance: string; n: number; endedAt: number }[] = [];
    const firstSeen = new Map<number, number>(); // seq → when B was first given it
    let aborted: unknown;
    const slowWriter =
      (instance: string) => async (batch: Delivery<Counted>[], _p: number, context?: { signal: AbortSignal }) => {
        const mine = batch.filter((d) => d.event.workspaceId === ws);
        if (instance === 'B') for (const d of mine) if (!firstSeen.has(d.seq)) firstSeen.set(d.seq, Date.now());
        const signal = context?.signal;
        signal?.addEventListener('abort', () => (aborted = signal.reason));
        // One write at a time, each slow: the batch outlives A's stop deadline.
        await writeAll(
          mine,
          async (d) => {
            await new Promise((resolve) => setTimeout(resolve, instance === 'A' ? 250 : 1));
            writes.push({ instance, n: d.event.n, endedAt: Date.now() });
          },
          { signal, concurrency: 1 },
        );
      };

    // Given instance A owns the partition and is applying a batch of ten slow writes
    for (let n = 1; n <= 10; n++) await publish({ workspaceId: ws, contactId, n });
    const a = await start('slow', slowWriter('A'));
    await waitFor('A writing the batch', () => writes.filter((w) => w.instance === 'A').length >= 2);
    const b = await start('slow', slowWriter('B'));
    expect(await ownerOf(partition, { A: a, B: b })).toBe('A');

    // When A is stopped with a deadline shorter than the batch
    await a.stop(300);

    // Then B applies the whole batch, once A's abandoned messages came back after their ack wait
    await waitFor('B applied all ten', () => writes.filter((w) => w.instance === 'B').length >= 10, {
      timeoutMs: 30_000,
    });
    expect(aborted).toBeInstanceOf(BatchAbandonedError);
    const byA = writes.filter((w) => w.instance === 'A');
    expect(byA.length).toBeLessThan(10); // A stopped writing once abandoned
    const handedOver = Math.min(...firstSeen.values());
    expect(byA.every((w) => w.endedAt < handedOver)).toBe(true);
    expect(writes.filter((w) => w.instance === 'B').map((w) => w.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('really redelivers a failed event after a backoff (same seq, redelivered, delivery count 2)', async () => {
    const ws = testWorkspace();
    const applied: Applied[] = [];
    let failures = 0;
    const failsOnce = (d: Delivery<Counted>) => d.event.n === 1 && failures === 0 && ++failures === 1;
    // Given a handler that fails the first time it sees event 1
    await start('backoff', recorder('A', ws, applied, failsOnce), { retry: { baseMs: 200, maxMs: 400 } });
    // When the event is published
    const { seq } = await publish({ workspaceId: ws, contactId: 'bo', n: 1 });
    // Then JetStream gives it back, and it is applied on its second delivery
    await waitFor('the event applied', () => applied.length === 1);
    expect(failures).toBe(1);
    expect(applied[0]).toMatchObject({ n: 1, seq, redelivered: true, deliveryCount: 2 });
  });

  it('holds a batch that failed because a dependency was unavailable: not given back, not counted, applied once it is back', async () => {
    const ws = testWorkspace();
    const applied: Applied[] = [];
    class Outage extends Error {}
    let outages = 0;
    const apply = recorder('A', ws, applied);
    // Given a handler whose database is down for its first three tries, and only two deliveries allowed
    await start(
      'outage',
      async (batch) => {
        if (batch.some((d) => d.event.workspaceId === ws) && outages < 3) {
          outages++;
          throw new Outage('the database is unavailable');
        }
        await apply(batch);
      },
      { transient: (err) => err instanceof Outage, retry: { maxDeliver: 2, baseMs: 50, maxMs: 100 } },
    );
    // When an event arrives
    const { seq } = await publish({ workspaceId: ws, contactId: 'patient', n: 1 });
    // Then it is applied once the database is back, on its first delivery: it never went back to JetStream
    await waitFor('the event applied', () => applied.length === 1);
    expect(outages).toBe(3);
    expect(applied[0]).toMatchObject({ seq, redelivered: false, deliveryCount: 1 });
    expect((await createDeadLetterStore(nats, ns).counts(ws)).length).toBe(0);
  });

  it('terminates a poison event after max_deliver as a dead letter, and applies the events after it in order', async () => {
    const ws = testWorkspace();
    const contactId = 'poisoned';
    const neighbour = neighbourOf(ws, contactId);
    const applied: Applied[] = [];
    // When the contact's events, and a neighbour's in the same partition, are there before it starts
    const events: Counted[] = [
      { workspaceId: ws, contactId, n: 1 },
      { workspaceId: ws, contactId, n: 2 },
      { workspaceId: ws, contactId, n: 3 },
      { workspaceId: ws, contactId: neighbour, n: 1 },
      { workspaceId: ws, contactId, n: 4 },
      { workspaceId: ws, contactId: neighbour, n: 2 },
    ];
    const seqs: number[] = [];
    for (const event of events) seqs.push((await publish(event)).seq);
    // …for a handler that can never apply event 3 of the contact
    await start(
      'poison',
      recorder('A', ws, applied, (d) => d.event.contactId === contactId && d.event.n === 3),
      { retry: { maxDeliver: 3, baseMs: 100, maxMs: 200 } },
    );

    // Then every other event is applied, each contact's in order, the poison one never
    await waitFor('event 4 of the contact applied (after the poison)', () =>
      applied.some((a) => a.contactId === contactId && a.n === 4),
    );
    await waitFor("the neighbour's last event applied", () =>
      applied.some((a) => a.contactId === neighbour && a.n === 2),
    );
    expect(applied.filter((a) => a.contactId === contactId).map((a) => a.n)).toEqual([1, 2, 4]);
    expect(applied.filter((a) => a.contactId === neighbour).map((a) => a.n)).toEqual([1, 2]);

    // And the poison event is a dead letter an operator can count and read
    const store = createDeadLetterStore(nats, ns);
    const page = await waitFor('the dead letter', async () => {
      const found = await store.page(ws, { consumer: 'poison', first: 10 });
      return found.letters.length === 1 && found;
    });
    expect(page).toMatchObject({ totalCount: 1, pendingCount: 1, hasNextPage: false });
    expect(page.letters[0]).toMatchObject({
      workspaceId: ws,
      consumer: 'poison',
      stream: ns.streams.scores.name,
      subject: ns.subjects.scoreChanged(ws, contactId),
      seq: seqs[2],
      deliveries: 3,
      error: `Error: event 3 of ${contactId} cannot be applied`,
      replay: null,
    });
    expect(decode(page.letters[0]!.payload)).toEqual(events[2]);
    expect(await store.counts(ws)).toEqual([{ consumer: 'poison', total: 1, pending: 1 }]);
    // …terminated (nothing left unacknowledged), with a log line that names it
    const info = await nats.jsm.consumers.info(ns.streams.scores.name, `poison-p${partitionOf(ws, contactId)}`);
    expect(info.num_ack_pending).toBe(0);
    expect(logLines).toContainEqual(
      expect.objectContaining({
        level: 50,
        msg: 'event given up on: terminated and kept as a dead letter',
        seq: seqs[2],
        deliveries: 3,
      }),
    );
  });

  it('fails over from the instance the partition is pinned to: the other goes on in order, nothing lost or doubled', async () => {
    const ws = testWorkspace();
    const contactId = 'moving';
    const partition = partitionOf(ws, contactId);
    const applied: Applied[] = [];
    const instances = {
      A: await start('failover', recorder('A', ws, applied)),
      B: await start('failover', recorder('B', ws, applied)),
    };
    // Given the first events applied by whichever instance the server pinned the partition to
    for (let n = 1; n <= 20; n++) await publish({ workspaceId: ws, contactId, n });
    await waitFor('the first events applied', () => applied.length >= 20);
    const owner = await ownerOf(partition, instances);
    const other = owner === 'A' ? 'B' : 'A';

    // When the owner stops while events keep coming, and more come after it stopped
    const publishing = (async () => {
      for (let n = 21; n <= 40; n++) await publish({ workspaceId: ws, contactId, n });
    })();
    await instances[owner as 'A' | 'B'].stop();
    await publishing;
    for (let n = 41; n <= 60; n++) await publish({ workspaceId: ws, contactId, n });

    // Then the other instance applies the rest, after the owner's last one, each event once
    await waitFor('the last event applied', () => applied.some((a) => a.n === 60), { timeoutMs: 30_000 });
    expect(applied.map((a) => a.n)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    const firstByOther = applied.findIndex((a) => a.instance === other);
    expect(applied.slice(0, firstByOther).every((a) => a.instance === owner)).toBe(true);
    expect(applied.slice(firstByOther).every((a) => a.instance === other)).toBe(true);
    expect(await instances[other].ownedPartitions()).toContain(partition);
  });

  it('gives what reached the stopping owner to the next one at once: nothing waits out its ack wait', async () => {
    const ws = testWorkspace();
    const contactId = 'caught';
    const partition = partitionOf(ws, contactId);
    const applied: Applied[] = [];
    // An ack wait longer than the test waits: an event left with the stopped owner would come back too late
    const slowAckWait = { ackWaitMs: 120_000 };
    const instances = {
      A: await start('caught', recorder('A', ws, applied), slowAckWait),
      B: await start('caught', recorder('B', ws, applied), slowAckWait),
    };
    // Given events applied by the instance the partition is pinned to
    for (let n = 1; n <= 5; n++) await publish({ workspaceId: ws, contactId, n });
    await waitFor('the first events applied', () => applied.length >= 5);
    const owner = await ownerOf(partition, instances);
    const other = owner === 'A' ? 'B' : 'A';

    // When it stops while events are on their way to it
    const publishing = (async () => {
      for (let n = 6; n <= 15; n++) await publish({ workspaceId: ws, contactId, n });
    })();
    await instances[owner as 'A' | 'B'].stop();
    await publishing;
    await publish({ workspaceId: ws, contactId, n: 16 });

    // Then the other instance applies all of them, in order, long before their ack wait
    await waitFor('the last event applied', () => applied.some((a) => a.n === 16), { timeoutMs: 20_000 });
    expect(applied.map((a) => a.n)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    const firstByOther = applied.findIndex((a) => a.instance === other);
    expect(applied.slice(0, firstByOther).every((a) => a.instance === owner)).toBe(true);
    expect(applied.slice(firstByOther).every((a) => a.instance === other)).toBe(true);
  });

  it('splits the partitions: an instance that holds them all hands the excess to one that starts later, and every event is applied once, in order', async () => {
    const ws = testWorkspace();
    const applied: Applied[] = [];
    // A contact in every partition
    const contacts = Array.from({ length: 16 }, (_, p) => {
      for (let i = 0; ; i++) if (partitionOf(ws, `c${p}-${i}`) === p) return `c${p}-${i}`;
    });
    let n = 0;
    const round = async () => {
      n++;
      for (const contactId of contacts) await publish({ workspaceId: ws, contactId, n });
    };
    // Given one instance alone, pinned to every partition by the events it applied
    const A = await start('balance', recorder('A', ws, applied));
    await round();
    await waitFor('every partition held by A', async () => (await A.ownedPartitions()).length === 16);
    // When a second instance starts, and events keep coming
    const B = await start('balance', recorder('B', ws, applied));
    const held = await waitFor(
      'the partitions split between A and B',
      async () => {
        await round();
        const [a, b] = await Promise.all([A.ownedPartitions(), B.ownedPartitions()]);
        return a.length === 8 && b.length === 8 && { a, b };
      },
      { timeoutMs: 45_000, intervalMs: 500 },
    );
    // Then each holds its share, no partition twice
    expect(new Set([...held.a, ...held.b]).size).toBe(16);
    // And after a last round (the sentinel), every event was applied exactly once, in order per contact
    await round();
    await waitFor('the last round applied', () => applied.filter((a) => a.n === n).length === 16, {
      timeoutMs: 30_000,
    });
    for (const contactId of contacts) {
      expect(applied.filter((a) => a.contactId === contactId).map((a) => a.n)).toEqual(
        Array.from({ length: n }, (_, i) => i + 1),
      );
    }
    expect(new Set(applied.map((a) => a.instance))).toEqual(new Set(['A', 'B']));
  });

  it("gives a batch its instance's ownership: the same while it holds the partition, new after a failed batch and on the next owner", async () => {
    const ws = testWorkspace();
    const contactId = 'owned';
    const partition = partitionOf(ws, contactId);
    const seen: { instance: string; n: number; ownership: string; failed: boolean }[] = [];
    let failedOnce = false;
    const watcher = (instance: string) => async (batch: Delivery<Counted>[], _p: number, context?: BatchContext) => {
      for (const { event } of batch.filter((d) => d.event.workspaceId === ws)) {
        const fail = event.n === 3 && !failedOnce;
        seen.push({ instance, n: event.n, ownership: context?.ownership ?? '', failed: fail });
        if (fail) {
          failedOnce = true;
          throw new Error('event 3 fails once');
        }
      }
    };
    const retry = { baseMs: 200, maxMs: 400 };
    const a = await start('ownership', watcher('A'), { retry });
    // Given A applies two events in two batches
    await publish({ workspaceId: ws, contactId, n: 1 });
    await waitFor('event 1 applied', () => seen.some((s) => s.n === 1));
    await publish({ workspaceId: ws, contactId, n: 2 });
    await waitFor('event 2 applied', () => seen.some((s) => s.n === 2));
    // When event 3 fails once and is applied on its redelivery
    await publish({ workspaceId: ws, contactId, n: 3 });
    await waitFor('event 3 applied on its retry', () => seen.some((s) => s.n === 3 && !s.failed));
    // And then B takes the partition over from A
    const b = await start('ownership', watcher('B'), { retry });
    expect(await ownerOf(partition, { A: a, B: b })).toBe('A');
    await a.stop();
    await publish({ workspaceId: ws, contactId, n: 4 });
    await waitFor('event 4 applied by B', () => seen.some((s) => s.n === 4));

    // Then the ownership held across A's batches, changed after the failure, and B's is another
    const [one, two, failed, retried, four] = [
      seen.find((s) => s.n === 1)!,
      seen.find((s) => s.n === 2)!,
      seen.find((s) => s.n === 3 && s.failed)!,
      seen.find((s) => s.n === 3 && !s.failed)!,
      seen.find((s) => s.n === 4)!,
    ];
    expect(one.ownership).not.toBe('');
    expect(two.ownership).toBe(one.ownership);
    expect(failed.ownership).toBe(one.ownership);
    expect(retried.ownership).not.toBe(failed.ownership);
    expect(four.instance).toBe('B');
    expect(four.ownership).not.toBe('');
    expect(four.ownership).not.toBe(retried.ownership);
  });

  it('applies at most `concurrentBatches` batches at once, and decodes each event once: on arrival, or beyond the first 64 a partition holds when its turn comes', async () => {
    const ws = testWorkspace();
    // Four contacts in four partitions, 100 events each, published before the consumer starts.
    const contacts = inDistinctPartitions(ws, 4, 'turns');
    for (let n = 1; n <= 100; n++) for (const contactId of contacts) await publish({ workspaceId: ws, contactId, n });
    const decoded = new Map<string, number>();
    let active = 0;
    let mostActive = 0;
    const batches: number[] = [];
    const applied: Applied[] = [];
    const record = recorder('A', ws, applied);
    // When one consumer with batches of 100 and one turn at a time applies them, slowly
    await start(
      'turns',
      async (batch) => {
        const mine = batch.filter((d) => d.event.workspaceId === ws);
        if (mine.length === 0) return;
        mostActive = Math.max(mostActive, ++active);
        batches.push(mine.length);
        await new Promise((resolve) => setTimeout(resolve, 30));
        await record(mine);
        active--;
      },
      {
        maxBatch: 100,
        concurrentBatches: 1,
        decode: (data) => {
          const event = decode(data);
          if (event.workspaceId === ws)
            decoded.set(`${event.contactId}/${event.n}`, (decoded.get(`${event.contactId}/${event.n}`) ?? 0) + 1);
          return event;
        },
      },
    );

    // Then every event is applied once, in order per contact, never two batches at once
    await waitFor('all 400 applied', () => applied.length === 400);
    for (const contactId of contacts) {
      expect(applied.filter((a) => a.contactId === contactId).map((a) => a.n)).toEqual(
        Array.from({ length: 100 }, (_, i) => i + 1),
      );
    }
    expect(mostActive).toBe(1);
    expect(Math.max(...batches)).toBeLessThanOrEqual(100);
    // and each event was decoded once: what a partition held beyond its first 64 was kept as its
    // payload and decoded for its batch only (it was decoded on arrival too before)
    expect(decoded.size).toBe(400);
    expect([...decoded.values()].every((times) => times === 1)).toBe(true);
  });

  it('keeps at most `maxHeldBytes` of payloads in hand under a backlog, reads the rest again for its batch, and applies every event once, in order', async () => {
    const ws = testWorkspace();
    // Given three contacts in three partitions, 100 events of ~1 KB each, published before the consumer starts
    const contacts = inDistinctPartitions(ws, 3, 'bounded');
    const pad = 'x'.repeat(1_000);
    for (let n = 1; n <= 100; n++) {
      for (const contactId of contacts) await publish({ workspaceId: ws, contactId, n, pad } as Counted);
    }
    const applied: Applied[] = [];
    const record = recorder('A', ws, applied);
    const batchBytes: number[] = [];
    // When a consumer that keeps 20 KB of payloads in hand and makes batches of 10 KB applies them
    // slowly, one batch at a time (the other partitions hold what arrives meanwhile: 300 KB)
    const consumer = await start(
      'bounded',
      async (batch) => {
        const mine = batch.filter((d) => d.event.workspaceId === ws);
        if (mine.length === 0) return;
        batchBytes.push(mine.reduce((sum, d) => sum + JSON.stringify(d.event).length, 0));
        await new Promise((resolve) => setTimeout(resolve, 20));
        await record(mine);
      },
      { maxBatch: 100, concurrentBatches: 1, maxHeldBytes: 20_000, maxBatchBytes: 10_000 },
    );

    // Then every event is applied once, in order per contact
    await waitFor('all 300 applied', () => applied.length === 300, { timeoutMs: 30_000 });
    for (const contactId of contacts) {
      expect(applied.filter((a) => a.contactId === contactId).map((a) => a.n)).toEqual(
        Array.from({ length: 100 }, (_, i) => i + 1),
      );
    }
    expect(applied.every((a) => a.deliveryCount === 1)).toBe(true);
    // never with more than 20 KB of payloads in hand: the rest were read again from the stream for
    // their batch, and no batch went past 10 KB after its first event
    const held = consumer.heldPayloads();
    expect(held).toMatchObject({ bytes: 0, limitBytes: 20_000 });
    expect(held.peakBytes).toBeGreaterThan(10_000);
    expect(held.peakBytes).toBeLessThanOrEqual(20_000);
    expect(held.reread).toBeGreaterThan(100);
    expect(Math.max(...batchBytes)).toBeLessThanOrEqual(10_000 + 1_100);
  });

  it('keeps each contact in order when an event fails while the payloads after it are not in hand', async () => {
    const ws = testWorkspace();
    // Given two contacts of one partition, 80 events of ~1 KB each, published before the consumer starts
    const first = 'held-first';
    const second = neighbourOf(ws, first);
    const pad = 'x'.repeat(1_000);
    for (let n = 1; n <= 80; n++) {
      for (const contactId of [first, second]) await publish({ workspaceId: ws, contactId, n, pad } as Counted);
    }
    const applied: Applied[] = [];
    let failedOnce = false;
    // When a consumer that keeps 10 KB in hand fails on the first contact's event 5 once
    await start(
      'held-retry',
      recorder('A', ws, applied, (d) => {
        if (failedOnce || d.event.contactId !== first || d.event.n !== 5) return false;
        failedOnce = true;
        return true;
      }),
      { maxBatch: 100, maxHeldBytes: 10_000, maxBatchBytes: 5_000, retry: { baseMs: 200, maxMs: 400 } },
    );

    // Then both contacts' events are applied once each, in order, event 5 at its second delivery
    await waitFor('all 160 applied', () => applied.length === 160, { timeoutMs: 30_000 });
    for (const contactId of [first, second]) {
      expect(applied.filter((a) => a.contactId === contactId).map((a) => a.n)).toEqual(
        Array.from({ length: 80 }, (_, i) => i + 1),
      );
    }
    expect(applied.find((a) => a.contactId === first && a.n === 5)).toMatchObject({ deliveryCount: 2 });
    expect(failedOnce).toBe(true);
  });

  it('makes a payload kept undecoded that does not decode when its batch starts a dead letter, and applies the rest in order', async () => {
    const ws = testWorkspace();
    const contactId = 'late-poison';
    // Given 100 events of one contact published before the consumer starts: it decodes the first
    // 64 of the partition as they arrive and keeps the rest as their payloads
    for (let n = 1; n <= 100; n++) await publish({ workspaceId: ws, contactId, n });
    const applied: Applied[] = [];
    const decodes = new Map<number, number>();
    // When the consumer cannot decode event 90
    await start('late-poison', recorder('A', ws, applied), {
      maxBatch: 100,
      decode: (data) => {
        const event = decode(data);
        if (event.workspaceId !== ws) return event;
        decodes.set(event.n, (decodes.get(event.n) ?? 0) + 1);
        if (event.n === 90) throw new Error('version 90 of this event is unknown here');
        return event;
      },
    });
    // …and a sentinel event follows
    await publish({ workspaceId: ws, contactId, n: 101 });
    await waitFor('the sentinel applied', () => applied.some((a) => a.n === 101));

    // Then event 90 is a dead letter at its first delivery, decoded once, and the others were applied
    // once each, in order
    const store = createDeadLetterStore(nats, ns);
    const page = await waitFor('the dead letter', async () => {
      const found = await store.page(ws, { consumer: 'late-poison', first: 5 });
      return found.letters.length === 1 && found;
    });
    expect(page.letters[0]).toMatchObject({
      deliveries: 1,
      error: expect.stringContaining('version 90 of this event is unknown'),
    });
    expect(decode(page.letters[0]!.payload)).toMatchObject({ contactId, n: 90 });
    expect(decodes.get(90)).toBe(1);
    expect(applied.map((a) => a.n)).toEqual(Array.from({ length: 101 }, (_, i) => i + 1).filter((n) => n !== 90));
    expect(applied.every((a) => a.deliveryCount === 1)).toBe(true);
  });

  it("applies a message of several events of one contact as one delivery each, at its members' positions, in order and once", async () => {
    const ws = testWorkspace();
    const contactId = 'several';
    const other = neighbourOf(ws, contactId);
    const applied: Applied[] = [];
    await start('several', recorder('A', ws, applied), {
      decode: (data) => JSON.parse(Buffer.from(data).toString('utf8')) as Counted | Counted[],
    });
    const subject = ns.subjects.scoreChanged(ws, contactId);
    // Given one event alone, then three of the contact in one message, then one of two contacts
    // with one of them twice (not a pack: its members would share one position)
    const one = await publish({ workspaceId: ws, contactId, n: 1 });
    const three = await publishEvent(
      nats.js,
      subject,
      [2, 3, 4].map((n) => ({ workspaceId: ws, contactId, n })),
      `m${++published}`,
    );
    await publishEvent(
      nats.js,
      subject,
      [
        { workspaceId: ws, contactId, n: 5 },
        { workspaceId: ws, contactId: other, n: 6 },
        { workspaceId: ws, contactId, n: 8 },
      ],
      `m${++published}`,
    );
    // …and a sentinel after them
    const sentinel = await publish({ workspaceId: ws, contactId, n: 7 });
    await waitFor('the sentinel applied', () => applied.some((a) => a.n === 7));

    // Then the three were applied in order at the message's position and 1/1024 and 2/1024 after it,
    // once each (first deliveries all); the message of two contacts is a dead letter, applied not at all
    expect(applied.map(({ n, seq, deliveryCount }) => [n, seq, deliveryCount])).toEqual([
      [1, one.seq, 1],
      [2, three.seq, 1],
      [3, three.seq + 1 / 1024, 1],
      [4, three.seq + 2 / 1024, 1],
      [7, sentinel.seq, 1],
    ]);
    const store = createDeadLetterStore(nats, ns);
    const page = await waitFor('the dead letter', async () => {
      const found = await store.page(ws, { consumer: 'several', first: 5 });
      return found.letters.length === 1 && found;
    });
    expect(page.letters[0]!.error).toContain('a message of several contacts holds one of them more than once');
  });

  /** A handler that keeps a position per contact, as state documents do: what it applied before is skipped. */
  function positioned(ws: string, applied: Applied[], fail?: (d: Delivery<Counted>) => boolean) {
    const lastSeq = new Map<string, number>();
    return async (batch: Delivery<Counted>[]) => {
      const fresh = batch.filter((d) => d.event.workspaceId === ws && d.seq > (lastSeq.get(d.event.contactId) ?? 0));
      const bad = fresh.find((d) => fail?.(d));
      if (bad) throw new Error(`event ${bad.event.n} of ${bad.event.contactId} cannot be applied`);
      for (const { event, seq, redelivered, deliveryCount } of fresh) {
        lastSeq.set(event.contactId, seq);
        applied.push({ instance: 'A', contactId: event.contactId, n: event.n, seq, redelivered, deliveryCount });
      }
    };
  }

  /** `count` contacts of `ws` in one partition, `contactId` first. */
  function samePartition(ws: string, contactId: string, count: number): string[] {
    const contacts = [contactId];
    for (let i = 0; contacts.length < count; i++) {
      if (partitionOf(ws, `packed-${i}`) === partitionOf(ws, contactId)) contacts.push(`packed-${i}`);
    }
    return contacts;
  }

  it("applies a pack of several contacts' events as one delivery each at the message's position, in each contact's order, acknowledged once", async () => {
    const ws = testWorkspace();
    const [a, b, c] = samePartition(ws, 'pack-a', 3) as [string, string, string];
    const applied: Applied[] = [];
    await start('packs', positioned(ws, applied), {
      decode: (data) => JSON.parse(Buffer.from(data).toString('utf8')) as Counted | Counted[],
    });
    // Given an event of a alone, then a pack of a's, b's and c's next events, then b's next alone
    const first = await publish({ workspaceId: ws, contactId: a, n: 1 });
    const pack = await publishEvent(
      nats.js,
      ns.subjects.scoreChanged(ws, a),
      [
        { workspaceId: ws, contactId: a, n: 2 },
        { workspaceId: ws, contactId: b, n: 1 },
        { workspaceId: ws, contactId: c, n: 1 },
      ],
      `m${++published}`,
    );
    const after = await publish({ workspaceId: ws, contactId: b, n: 2 });
    // …and a sentinel after them
    const sentinel = await publish({ workspaceId: ws, contactId: c, n: 2 });
    await waitFor('the sentinel applied', () => applied.some((x) => x.contactId === c && x.n === 2));

    // Then each member was applied once, at the pack's own position, each contact in its order
    const of = (contact: string) =>
      applied.filter((x) => x.contactId === contact).map((x) => [x.n, x.seq, x.deliveryCount]);
    expect(of(a)).toEqual([
      [1, first.seq, 1],
      [2, pack.seq, 1],
    ]);
    expect(of(b)).toEqual([
      [1, pack.seq, 1],
      [2, after.seq, 1],
    ]);
    expect(of(c)).toEqual([
      [1, pack.seq, 1],
      [2, sentinel.seq, 1],
    ]);
    // …and every message was acknowledged (nothing left pending, nothing redelivered)
    const info = await nats.jsm.consumers.info(ns.streams.scores.name, `packs-p${partitionOf(ws, a)}`);
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_redelivered).toBe(0);
  });

  it('applies a failing pack member by member: the others go on, the member that keeps failing is a dead letter of its own, replayed alone', async () => {
    const ws = testWorkspace();
    const [a, b, c] = samePartition(ws, 'poisoned-pack', 3) as [string, string, string];
    const applied: Applied[] = [];
    let fixed = false;
    // Given a handler that cannot apply b's first event (until fixed), three deliveries at most
    await start(
      'pack-poison',
      positioned(ws, applied, (d) => !fixed && d.event.contactId === b && d.event.n === 1),
      {
        decode: (data) => JSON.parse(Buffer.from(data).toString('utf8')) as Counted | Counted[],
        retry: { maxDeliver: 3, baseMs: 100, maxMs: 200 },
      },
    );
    // When a pack of a's, b's and c's first events comes, then b's and c's second events alone
    const members = [
      { workspaceId: ws, contactId: a, n: 1 },
      { workspaceId: ws, contactId: b, n: 1 },
      { workspaceId: ws, contactId: c, n: 1 },
    ];
    const subject = ns.subjects.scoreChanged(ws, a);
    const pack = await publishEvent(nats.js, subject, members, `m${++published}`);
    await publish({ workspaceId: ws, contactId: b, n: 2 });
    await publish({ workspaceId: ws, contactId: c, n: 2 });

    // Then the pack's other members are applied, and each contact's later event after its member
    await waitFor("b's and c's second events applied", () =>
      [b, c].every((contact) => applied.some((x) => x.contactId === contact && x.n === 2)),
    );
    const of = (contact: string) => applied.filter((x) => x.contactId === contact).map((x) => x.n);
    expect(of(a)).toEqual([1]);
    expect(of(b)).toEqual([2]);
    expect(of(c)).toEqual([1, 2]);
    // …applied member by member after the pack came back: a real redelivery, at the pack's position
    expect(applied.find((x) => x.contactId === a)).toMatchObject({
      seq: pack.seq,
      redelivered: true,
      deliveryCount: 2,
    });

    // And b's member alone is the dead letter (its payload, not the pack), terminated after three deliveries
    const store = createDeadLetterStore(nats, ns);
    const page = await waitFor('the dead letter', async () => {
      const found = await store.page(ws, { consumer: 'pack-poison', first: 10 });
      return found.letters.length === 1 && found;
    });
    expect(page.letters[0]).toMatchObject({
      subject,
      seq: pack.seq,
      member: 1,
      deliveries: 3,
      error: expect.stringContaining(`event 1 of ${b} cannot be applied`),
    });
    expect(decode(page.letters[0]!.payload)).toEqual(members[1]);
    const info = await nats.jsm.consumers.info(ns.streams.scores.name, `pack-poison-p${partitionOf(ws, a)}`);
    expect(info.num_ack_pending).toBe(0);

    // When the cause is fixed and the letter replayed, with a sentinel after it
    fixed = true;
    await store.replay(ws, page.letters[0]!.id, 'ops');
    await publish({ workspaceId: ws, contactId: a, n: 2 });
    await waitFor('the sentinel applied', () => applied.some((x) => x.contactId === a && x.n === 2));

    // Then b's first event is applied once, alone; a's and c's are not applied again
    expect(of(a)).toEqual([1, 2]);
    expect(of(b)).toEqual([2, 1]);
    expect(of(c)).toEqual([1, 2]);
  });

  it('replays a dead letter to its consumer only, once', async () => {
    const ws = testWorkspace();
    const contactId = 'replayed';
    const applied: Applied[] = [];
    let fixed = false;
    // Given consumer "picky" cannot decode event 2 (until fixed), while consumer "other" applies it
    await start('picky', recorder('picky', ws, applied), {
      decode: (data) => {
        const event = decode(data);
        if (event.n === 2 && !fixed) throw new Error('version 2 of this event is unknown here');
        return event;
      },
    });
    await start('other', recorder('other', ws, applied));
    for (let n = 1; n <= 3; n++) await publish({ workspaceId: ws, contactId, n });
    const store = createDeadLetterStore(nats, ns);
    const [letter] = (
      await waitFor('the dead letter', async () => {
        const page = await store.page(ws, { consumer: 'picky', first: 5 });
        return page.letters.length === 1 && page;
      })
    ).letters;
    expect(letter).toMatchObject({
      deliveries: 1,
      error: expect.stringContaining('version 2 of this event is unknown'),
    });
    await waitFor('both consumers past event 3', () => applied.filter((a) => a.n === 3).length === 2);

    // When the cause is fixed and the letter replayed, twice
    fixed = true;
    const replayed = await store.replay(ws, letter!.id, 'ops');
    const again = await store.replay(ws, letter!.id, 'ops');
    expect(replayed?.replay).toMatchObject({ actor: 'ops' });
    expect(again?.replay).toEqual(replayed?.replay);
    // …and a sentinel event follows it through both consumers
    await publish({ workspaceId: ws, contactId, n: 4 });
    await waitFor('both consumers past the sentinel', () => applied.filter((a) => a.n === 4).length === 2);

    // Then only "picky" applied the replayed event, once, after what came meanwhile
    expect(applied.filter((a) => a.instance === 'picky').map((a) => a.n)).toEqual([1, 3, 2, 4]);
    expect(applied.filter((a) => a.instance === 'other').map((a) => a.n)).toEqual([1, 2, 3, 4]);
    expect(await store.counts(ws)).toEqual([{ consumer: 'picky', total: 1, pending: 0 }]);
    expect(await store.get(testWorkspace(), letter!.id)).toBeNull(); // another workspace does not see it
  });

  it('keeps a message the server gave up on (its last delivery abandoned) as a dead letter', async () => {
    const ws = testWorkspace();
    const contactId = 'lost';
    const applied: Applied[] = [];
    let started = false;
    // Given one delivery only, and an instance that never finishes applying the event
    const stuck = await start(
      'once',
      async (batch, _p, context) => {
        if (!batch.some((d) => d.event.workspaceId === ws)) return;
        started = true;
        await new Promise((_, reject) =>
          context?.signal.addEventListener('abort', () => reject(context.signal.reason)),
        );
      },
      { retry: { maxDeliver: 1 } },
    );
    const { seq } = await publish({ workspaceId: ws, contactId, n: 1 });
    await waitFor('the stuck instance applying it', () => started);
    await start('once', recorder('B', ws, applied), { retry: { maxDeliver: 1 } });

    // When that instance stops and abandons it
    await stuck.stop(100);

    // Then the server drops it after its ack wait, and its advisory makes it a dead letter
    const store = createDeadLetterStore(nats, ns);
    const page = await waitFor('the dead letter', async () => {
      const found = await store.page(ws, { consumer: 'once', first: 5 });
      return found.letters.length === 1 && found;
    });
    expect(page.letters[0]).toMatchObject({
      seq,
      deliveries: 1,
      error: expect.stringContaining('was never acknowledged'),
    });
    // …and the other instance never applied it (checked after a later event went through)
    await publish({ workspaceId: ws, contactId, n: 2 });
    await waitFor('the later event applied', () => applied.some((a) => a.n === 2));
    expect(applied.map((a) => a.n)).toEqual([2]);
  });
});

describe('keep-alives of held messages', () => {
  it('touches a waiting message before its ack wait runs out, and not before half of it', () => {
    for (const ackWaitMs of [1_000, 2_000, 10_000, 15_000, 30_000, 60_000]) {
      const after = keepAliveAfterMs(ackWaitMs);
      const tick = keepAliveTickMs(ackWaitMs);
      // Looked at every `tick`: touched at the latest `after + tick` since its last start.
      expect(after + tick).toBeLessThan(ackWaitMs);
      expect(after).toBeGreaterThanOrEqual(ackWaitMs / 2);
    }
    // The default wait: 22.5 s untouched, looked at every 2.5 s, so 5 s to spare.
    expect([keepAliveAfterMs(30_000), keepAliveTickMs(30_000)]).toEqual([22_500, 2_500]);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
