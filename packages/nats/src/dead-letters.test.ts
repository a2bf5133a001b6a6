// How dead letters are numbered and counted, against the real nats-server of the jest global
// setup: each letter is the next index of its consumer's subject however many recorders race
// for it (compare-and-set publishes), a repeated recording of one event stays one letter,
// letters stored before indexes existed are counted with those after, and a count follows the
// letters that have left the front of a subject (the stream's age limit).
import { topology, type Topology } from '@cei/contracts';
import { testNamespace, testWorkspace } from '@cei/testing';
import { connectNats, type Nats } from './connection';
import { ensureStreams } from './streams';
import {
  createDeadLetterStore,
  recordDeadLetter,
  storedLetterOf,
  type DeadLetterInput,
  type DeadLetterStore,
} from './dead-letters';

describe('dead letters', () => {
  let nats: Nats;
  let ns: Topology;
  let store: DeadLetterStore;

  beforeAll(async () => {
    nats = await connectNats(process.env.NATS_URL!, 'dead-letters-test');
    ns = topology(testNamespace('deadletters'));
    await ensureStreams(nats.jsm, ns);
    store = createDeadLetterStore(nats, ns);
  });
  afterAll(async () => {
    await nats?.close();
  });

  const letter = (ws: string, consumer: string, seq: number): DeadLetterInput => ({
    consumer,
    stream: ns.streams.interactions.name,
    subject: ns.subjects.interactionRecorded(ws, `c${seq}`, 'recorded'),
    seq,
    deliveries: 10,
    error: 'Error: the database refused the write',
    payload: Buffer.from(`{"n":${seq}}`),
  });
  /** The indexes the stored letters carry, in stream order. */
  const indexes = async (ws: string, consumer: string) => {
    const page = await store.page(ws, { consumer, first: 100 });
    const raw = await Promise.all(
      page.letters.map(async ({ id }) => (await nats.jsm.streams.getMessage(ns.deadLetters.name, { seq: id }))!),
    );
    return raw.map((msg) => msg.json<{ index?: number }>().index);
  };

  it('numbers a consumer’s letters 1, 2, … however many recorders race, and keeps a repeated event once', async () => {
    const ws = testWorkspace();
    // Twenty events recorded at once, five of them twice (another instance, the max-deliveries advisory)
    const inputs = [...Array.from({ length: 20 }, (_, i) => i), 0, 4, 8, 12, 16].map((i) => letter(ws, 'racing', i));
    const ids = await Promise.all(inputs.map((input) => recordDeadLetter(nats, ns, input)));

    expect(new Set(ids).size).toBe(20);
    expect(ids.slice(20)).toEqual([ids[0], ids[4], ids[8], ids[12], ids[16]]);
    expect(await indexes(ws, 'racing')).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await store.counts(ws)).toEqual([{ consumer: 'racing', total: 20, pending: 20 }]);
  });

  it('counts letters stored before indexes existed together with those recorded after', async () => {
    const ws = testWorkspace();
    // Three letters as the previous version stored them: the same JSON, without an index
    for (let seq = 1; seq <= 3; seq++) {
      const input = letter(ws, 'upgraded', seq);
      await nats.js.publish(ns.subjects.deadLetter(ws, 'upgraded'), JSON.stringify(storedLetterOf(input)), {
        msgID: `dead:upgraded:${input.stream}:${input.seq}`,
      });
    }
    expect(await store.counts(ws)).toEqual([{ consumer: 'upgraded', total: 3, pending: 3 }]);

    await recordDeadLetter(nats, ns, letter(ws, 'upgraded', 4));
    await recordDeadLetter(nats, ns, letter(ws, 'upgraded', 5));

    expect(await indexes(ws, 'upgraded')).toEqual([undefined, undefined, undefined, 4, 5]);
    expect(await store.counts(ws)).toEqual([{ consumer: 'upgraded', total: 5, pending: 5 }]);
    const page = await store.page(ws, { first: 100 });
    expect(page.letters.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(page.totalCount).toBe(5);
  });

  it('counts the letters left when the oldest have gone from the front of a subject', async () => {
    const ws = testWorkspace();
    const ids: number[] = [];
    for (let seq = 1; seq <= 5; seq++) ids.push(await recordDeadLetter(nats, ns, letter(ws, 'aged', seq)));
    await recordDeadLetter(nats, ns, letter(ws, 'other', 1));

    // The two oldest leave as the stream's age limit would take them
    await nats.jsm.streams.deleteMessage(ns.deadLetters.name, ids[0]!, false);
    await nats.jsm.streams.deleteMessage(ns.deadLetters.name, ids[1]!, false);

    expect(await store.counts(ws)).toEqual([
      { consumer: 'aged', total: 3, pending: 3 },
      { consumer: 'other', total: 1, pending: 1 },
    ]);
    const page = await store.page(ws, { first: 2 });
    expect(page).toMatchObject({ totalCount: 4, hasNextPage: true });
    expect(page.letters.map((l) => [l.consumer, l.seq])).toEqual([
      ['aged', 3],
      ['aged', 4],
    ]);
    await recordDeadLetter(nats, ns, letter(ws, 'aged', 6));
    expect(await indexes(ws, 'aged')).toEqual([3, 4, 5, 6]);
  });
});
