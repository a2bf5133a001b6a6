// Dead letters through the ingestion subgraph, against real NATS and a real
// MongoDB-compatible server: an event the contact projector cannot decode is kept
// and listed with why; a letter whose cause is fixed is replayed to its consumer and
// applied once, however often it is replayed; admin keys only, one workspace only.
import { topology, type InteractionRecorded } from '@cei/contracts';
import { connectNats, publishEvent, recordDeadLetter, type Nats } from '@cei/nats';
import { callSubgraph, serviceEnv, testNamespace, testWorkspace, waitFor } from '@cei/testing';
import { loadIngestionConfig } from './config';
import { startIngestion, type Ingestion } from './server';

const DEAD_LETTERS = /* GraphQL */ `
  query DeadLetters($consumer: String, $first: Int, $after: String) {
    deadLetters(consumer: $consumer, first: $first, after: $after) {
      totalCount
      pendingCount
      endCursor
      hasNextPage
      entries {
        id
        consumer
        error
        deliveries
        subject
        sequence
        payload
        replayedAt
        replayedBy
      }
    }
    deadLetterCounts {
      consumer
      total
      pending
    }
  }
`;
const REPLAY = /* GraphQL */ `
  mutation Replay($id: ID!) {
    replayDeadLetter(id: $id) {
      id
      replayedAt
      replayedBy
    }
  }
`;
const CONTACT = /* GraphQL */ `
  query Contact($id: ID!) {
    contact(id: $id) {
      email
    }
  }
`;

interface Letter {
  id: string;
  consumer: string;
  error: string;
  deliveries: number;
  subject: string;
  sequence: number;
  payload: string;
  replayedAt: string | null;
  replayedBy: string | null;
}
interface DeadLettersResult {
  deadLetters: {
    totalCount: number;
    pendingCount: number;
    endCursor: string | null;
    hasNextPage: boolean;
    entries: Letter[];
  };
  deadLetterCounts: { consumer: string; total: number; pending: number }[];
}

describe('dead letters through the ingestion subgraph', () => {
  const namespace = testNamespace('deadletters');
  const ns = topology(namespace);
  let ingestion: Ingestion;
  let nats: Nats;

  beforeAll(async () => {
    ingestion = await startIngestion(loadIngestionConfig(serviceEnv(namespace, { INGESTION_PORT: '0' })));
    nats = await connectNats(process.env.NATS_URL!, 'dead-letters-test');
  });
  afterAll(async () => {
    await nats?.close();
    await ingestion?.stop();
  });

  const admin = (workspaceId: string) => ({ workspaceId, role: 'admin' as const, actor: 'key-ops' });
  const interaction = (
    ws: string,
    id: string,
    contactId: string,
    email: string | null = null,
  ): InteractionRecorded => ({
    v: 1,
    workspaceId: ws,
    interactionId: id,
    contactId,
    email,
    kind: 'PAGE_VISIT',
    variant: null,
    occurredAt: new Date().toISOString(),
    recordedAt: new Date().toISOString(),
    properties: {},
  });
  const letters = async (ws: string, variables: Record<string, unknown> = { consumer: 'ingestion-contacts' }) =>
    callSubgraph<DeadLettersResult>(ingestion.url, admin(ws), DEAD_LETTERS, variables);
  const emailOf = async (ws: string, contactId: string) =>
    (
      await callSubgraph<{ contact: { email: string | null } | null }>(ingestion.url, admin(ws), CONTACT, {
        id: contactId,
      })
    ).data?.contact?.email;
  /** Messages the interactions stream holds on the contact's subjects (whatever their verb). */
  const inStream = async (ws: string, contactId: string) => {
    const info = await nats.jsm.streams.info(ns.streams.interactions.name, {
      subjects_filter: ns.subjects.interactionRecorded(ws, contactId, 'profiled').replace('.profiled.', '.*.'),
    });
    return Object.values(info.state.subjects ?? {}).reduce((sum, count) => sum + count, 0);
  };

  it('keeps an event the contact projector cannot decode, and tells an admin why', async () => {
    const ws = testWorkspace();
    // Given an interaction event of a kind the projector does not know
    const bad = { ...interaction(ws, 'odd-1', 'zed'), kind: 'TELEPATHY' };
    const { seq } = await publishEvent(nats.js, ns.subjects.interactionRecorded(ws, 'zed', 'profiled'), bad, 'odd-1');

    // When an admin asks for the workspace's dead letters
    const response = await waitFor('the dead letter', async () => {
      const found = await letters(ws);
      return found.data?.deadLetters.totalCount === 1 && found;
    });

    // Then it is there, with why, where it came from and what it said
    expect(response.data!.deadLetters).toMatchObject({ totalCount: 1, pendingCount: 1, hasNextPage: false });
    const [letter] = response.data!.deadLetters.entries;
    expect(letter).toMatchObject({
      consumer: 'ingestion-contacts',
      deliveries: 1,
      subject: ns.subjects.interactionRecorded(ws, 'zed', 'profiled'),
      sequence: seq,
      replayedAt: null,
    });
    expect(letter!.error).toMatch(/^cannot decode the payload: .*kind/);
    expect(JSON.parse(letter!.payload)).toEqual(bad);
    expect(response.data!.deadLetterCounts).toEqual([{ consumer: 'ingestion-contacts', total: 1, pending: 1 }]);
    // …and to nobody else: another workspace sees none, a write key is refused
    expect((await letters(testWorkspace())).data!.deadLetters.totalCount).toBe(0);
    const writer = await callSubgraph(ingestion.url, { workspaceId: ws, role: 'write' }, DEAD_LETTERS, {});
    expect(writer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('replays a fixed dead letter to its consumer once however often it is replayed, and the consumer applies it', async () => {
    const ws = testWorkspace();
    const contactId = 'una';
    // Given a dead letter of the projector for an interaction it can apply now (its cause was fixed)
    const lost = interaction(ws, 'lost-1', contactId, 'una@example.com');
    const id = await recordDeadLetter(nats, ns, {
      consumer: 'ingestion-contacts',
      stream: ns.streams.interactions.name,
      subject: ns.subjects.interactionRecorded(ws, contactId, 'profiled'),
      seq: 1_000_001, // where it was in its stream: anywhere no real event of this test is
      deliveries: 10,
      error: 'Error: the database refused the write',
      payload: Buffer.from(JSON.stringify(lost)),
    });

    // When an admin replays it, twice
    const first = await callSubgraph<{ replayDeadLetter: Letter }>(ingestion.url, admin(ws), REPLAY, {
      id: String(id),
    });
    const second = await callSubgraph<{ replayDeadLetter: Letter }>(ingestion.url, admin(ws), REPLAY, {
      id: String(id),
    });

    // Then it is marked replayed once, by that key
    expect(first.data!.replayDeadLetter).toMatchObject({ id: String(id), replayedBy: 'key-ops' });
    expect(first.data!.replayDeadLetter.replayedAt).not.toBeNull();
    expect(second.data!.replayDeadLetter).toEqual(first.data!.replayDeadLetter);
    // …and the projector applied it (the contact has the email it gave)
    await waitFor('the replayed interaction applied', async () => (await emailOf(ws, contactId)) === 'una@example.com');
    // …and it went into the stream once: with a later interaction of the contact applied, its subject holds 2
    await publishEvent(
      nats.js,
      ns.subjects.interactionRecorded(ws, contactId, 'identified'),
      interaction(ws, 'later', contactId, 'una@work.example'),
      `${ws}-later`,
    );
    await waitFor('the later interaction applied', async () => (await emailOf(ws, contactId)) === 'una@work.example');
    expect(await inStream(ws, contactId)).toBe(2);
    const after = await letters(ws);
    expect(after.data!.deadLetters).toMatchObject({ totalCount: 1, pendingCount: 0 });
    expect(after.data!.deadLetterCounts).toEqual([{ consumer: 'ingestion-contacts', total: 1, pending: 0 }]);
  });

  it('refuses a replay of another workspace, of an unknown letter, and bad arguments, naming them', async () => {
    const ws = testWorkspace();
    const id = await recordDeadLetter(nats, ns, {
      consumer: 'scoring',
      stream: ns.streams.interactions.name,
      subject: ns.subjects.interactionRecorded(ws, 'vic', 'profiled'),
      seq: 1_000_002,
      deliveries: 10,
      error: 'Error: boom',
      payload: Buffer.from('{}'),
    });
    const elsewhere = await callSubgraph(ingestion.url, admin(testWorkspace()), REPLAY, { id: String(id) });
    expect(elsewhere.errors?.[0]).toMatchObject({
      message: `no dead letter ${id} in this workspace`,
      extensions: { code: 'NOT_FOUND' },
    });
    const unknown = await callSubgraph(ingestion.url, admin(ws), REPLAY, { id: '999999999' });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const notAnId = await callSubgraph(ingestion.url, admin(ws), REPLAY, { id: 'abc' });
    expect(notAnId.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: 'id' }] });
    const badPage = await letters(ws, { consumer: 'no such consumer!', first: 0 });
    expect(badPage.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: 'first' }] });
    const badConsumer = await letters(ws, { consumer: 'no such consumer!' });
    expect(badConsumer.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: 'consumer' }],
    });
    // The letter is untouched, and pages by its cursor
    const page = await letters(ws, { consumer: 'scoring', first: 1 });
    expect(page.data!.deadLetters).toMatchObject({
      totalCount: 1,
      pendingCount: 1,
      endCursor: String(id),
      hasNextPage: false,
    });
    const next = await letters(ws, { consumer: 'scoring', first: 1, after: String(id) });
    expect(next.data!.deadLetters.entries).toEqual([]);
  });
  it('lists every letter it counts, of one consumer and of all, while several recorders are recording', async () => {
    const ws = testWorkspace();
    const consumers = ['ingestion-contacts', 'scoring'];
    const recorders = 3;
    const each = 15; // 90 letters: all of them fit one page of 100
    // Given three recorders per consumer, recording letters one after another in the background…
    let recording = true;
    const recorded = Promise.all(
      consumers.flatMap((consumer) =>
        Array.from({ length: recorders }, async (_, r) => {
          for (let i = 0; i < each; i++) {
            const contactId = `c${r}-${i}`;
            await recordDeadLetter(nats, ns, {
              consumer,
              stream: ns.streams.interactions.name,
              subject: ns.subjects.interactionRecorded(ws, contactId, 'profiled'),
              seq: 2_000_000 + r * 1_000 + i,
              deliveries: 10,
              error: 'Error: the database refused the write',
              payload: Buffer.from(JSON.stringify(interaction(ws, `burst-${r}-${i}`, contactId))),
            });
          }
        }),
      ),
    ).finally(() => (recording = false));

    // …every page read meanwhile, of one consumer or of all, lists as many letters as it counts
    const seen: { consumer: string | null; listed: number; counted: number }[] = [];
    while (recording) {
      for (const consumer of ['ingestion-contacts', null]) {
        const page = (await letters(ws, { consumer, first: 100 })).data!.deadLetters;
        seen.push({ consumer, listed: page.entries.length, counted: page.totalCount });
      }
    }
    await recorded;
    const all = (await letters(ws, { consumer: null, first: 100 })).data!.deadLetters;
    expect(all.totalCount).toBe(consumers.length * recorders * each);
    expect(all.entries).toHaveLength(consumers.length * recorders * each);
    const one = (await letters(ws, { consumer: 'scoring', first: 100 })).data!.deadLetters;
    expect(one.totalCount).toBe(recorders * each);
    expect(one.entries.map((e) => e.consumer)).toEqual(Array(recorders * each).fill('scoring'));
    expect(seen.filter(({ consumer }) => consumer === null).length).toBeGreaterThan(1);
    expect(seen.filter(({ listed, counted }) => listed !== counted)).toEqual([]);
  });
});
