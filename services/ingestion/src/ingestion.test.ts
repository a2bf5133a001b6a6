// Ingestion against real NATS and a real MongoDB-compatible server: the
// trackInteractions resolver, idempotency, bad input, the contact projector (with a
// real JetStream redelivery) and the outbox sweep after a simulated crash.
import { interactionsIn, partitionOf, topology, type InteractionRecorded } from '@cei/contracts';
import {
  callSubgraph,
  probeSubject,
  redeliveryFault,
  serviceEnv,
  testNamespace,
  testWorkspace,
  waitFor,
  type NatsProbe,
} from '@cei/testing';
import { connectNats, type Nats } from '@cei/nats';
import { loadIngestionConfig } from './config';
import { startIngestion, type Ingestion } from './server';

const TRACK = /* GraphQL */ `
  mutation Track($interactions: [InteractionInput!]!) {
    trackInteractions(interactions: $interactions) {
      accepted
      duplicates
      rejected
      items {
        index
        id
        status
        reason
      }
    }
  }
`;
const CONTACT = /* GraphQL */ `
  query Contact($id: ID!) {
    contact(id: $id) {
      id
      email
      firstSeenAt
    }
  }
`;

type TrackResult = {
  trackInteractions: {
    accepted: number;
    duplicates: number;
    rejected: number;
    items: { index: number; id: string; status: string; reason: string | null }[];
  };
};

describe('ingestion subgraph', () => {
  const namespace = testNamespace('ingestion');
  let ingestion: Ingestion;
  let published: NatsProbe<InteractionRecorded>;
  let nats: Nats;
  const projectorFault = redeliveryFault<InteractionRecorded>();

  beforeAll(async () => {
    ingestion = await startIngestion(
      loadIngestionConfig(serviceEnv(namespace, { INGESTION_PORT: '0', MAX_BATCH_SIZE: '20' })),
      undefined,
      { wrapHandler: projectorFault.wrap },
    );
    // A pack counts as its members.
    published = await probeSubject<InteractionRecorded>(
      topology(namespace).everyWorkspace.interactionsRecorded,
      undefined,
      interactionsIn,
    );
    nats = await connectNats(process.env.NATS_URL!, 'ingestion-test');
  });
  afterAll(async () => {
    await nats?.close();
    await published?.close();
    await ingestion?.stop();
  });

  const writer = (workspaceId: string) => ({ workspaceId, role: 'write' as const });
  const publishedIn = (ws: string) =>
    published.events.filter((e) => e.payload.workspaceId === ws).map((e) => e.payload.interactionId);
  const contactOf = async (ws: string, id: string) =>
    (
      await callSubgraph<{
        contact: { id: string; email: string | null; firstSeenAt: string } | null;
      }>(ingestion.url, writer(ws), CONTACT, { id })
    ).data?.contact ?? null;
  /**
   * Tracks one interaction as the sentinel of a test and waits until it is published and projected
   * (it gives its contact an email no other interaction gives).
   */
  const trackSentinel = async (ws: string, contactId: string, occurredAt: string) => {
    const email = `sentinel-${contactId}@example.com`;
    await callSubgraph(ingestion.url, writer(ws), TRACK, {
      interactions: [{ id: 'sentinel', kind: 'PAGE_VISIT', contactId, occurredAt, email }],
    });
    await waitFor('the sentinel published', () => publishedIn(ws).includes('sentinel'));
    // The projector applies a partition in stream order: once the sentinel is applied, so is all before it.
    return waitFor('the sentinel projected', async () => {
      const contact = await contactOf(ws, contactId);
      return contact?.email === email && contact;
    });
  };

  it('accepts valid items, rejects malformed ones per item, and publishes only the accepted', async () => {
    const ws = testWorkspace();
    const response = await callSubgraph<TrackResult>(ingestion.url, writer(ws), TRACK, {
      interactions: [
        { id: 'v1', kind: 'PAGE_VISIT', contactId: 'ada', email: 'ada@example.com', source: 'AD' },
        { id: 'v2', kind: 'TELEPATHY', contactId: 'ada' },
        { id: 'v3', kind: 'EMAIL_CLICK', channel: 'MAILING' },
        { id: 'v4', kind: 'PURCHASE', contactId: 'ada', occurredAt: new Date(Date.now() + 3_600_000).toISOString() },
        { id: 'v5', kind: 'CUSTOM', contactId: 'ada', properties: { blob: 'x'.repeat(9000) } },
        { id: 'v6', kind: 'PURCHASE', contactId: 'ada', properties: { amount: 30 } },
        // A name the database cannot store: refused alone, not failing the write of the others.
        { id: 'v7', kind: 'PAGE_VISIT', contactId: 'ada', properties: { 'utm.source': 'ad' } },
        { id: 'v8', kind: 'PAGE_VISIT', contactId: 'ada', properties: { note: 'a\u0000b' } },
      ],
    });
    expect(response.status).toBe(200);
    const result = response.data!.trackInteractions;
    expect(result).toMatchObject({ accepted: 2, duplicates: 0, rejected: 6 });
    expect(result.items.map((i) => i.status)).toEqual([
      'ACCEPTED',
      'REJECTED',
      'REJECTED',
      'REJECTED',
      'REJECTED',
      'ACCEPTED',
      'REJECTED',
      'REJECTED',
    ]);
    expect(result.items[7]!.reason).toMatch(/^properties\.note: contains the character U\+0000/);
    expect(result.items[6]!.reason).toMatch(/^properties: the name 'utm\.source' cannot contain '\.'/);
    expect(result.items[1]!.reason).toMatch(/^kind: unknown kind 'TELEPATHY'/);
    expect(result.items[2]!.reason).toMatch(/^contactId: required/);
    expect(result.items[3]!.reason).toMatch(/^occurredAt: more than 5 minutes in the future/);
    expect(result.items[4]!.reason).toMatch(/^properties: \d+ bytes/);

    // Sentinel: a later call's interaction is published after whatever this call published.
    await trackSentinel(ws, 'ada', new Date().toISOString());
    expect(publishedIn(ws)).toEqual(['v1', 'v6', 'sentinel']);
  });

  it('answers DUPLICATE for a batch sent twice and publishes nothing the second time', async () => {
    const ws = testWorkspace();
    const batch = [
      { id: 'd1', kind: 'PAGE_VISIT', contactId: 'bob' },
      { id: 'd2', kind: 'EMAIL_OPEN', contactId: 'bob', channel: 'EMAIL_CLIENT' },
      { id: 'd2', kind: 'EMAIL_OPEN', contactId: 'bob', channel: 'EMAIL_CLIENT' },
    ];
    const first = await callSubgraph<TrackResult>(ingestion.url, writer(ws), TRACK, { interactions: batch });
    expect(first.data!.trackInteractions).toMatchObject({ accepted: 2, duplicates: 1, rejected: 0 });
    await waitFor(
      'two published events',
      () => published.events.filter((e) => e.payload.workspaceId === ws).length >= 2,
    );

    // A published batch leaves the outbox (in the background), so the sweeper has nothing to redo.
    const { Outbox } = ingestion.recording.models;
    await waitFor('an empty outbox', async () => (await Outbox.countDocuments({ workspaceId: ws })) === 0);

    // Until then a slow machine may have let the sweeper publish an entry again (core NATS shows the
    // copy; the stream drops it by its message id): what the first call published is d1 and d2 only.
    const beforeSecond = publishedIn(ws);
    expect(new Set(beforeSecond)).toEqual(new Set(['d1', 'd2']));

    const second = await callSubgraph<TrackResult>(ingestion.url, writer(ws), TRACK, { interactions: batch });
    expect(second.data!.trackInteractions).toMatchObject({ accepted: 0, duplicates: 3, rejected: 0 });

    // Sentinel: a later interaction of bob, published and projected after anything the second call caused.
    await trackSentinel(ws, 'bob', new Date(Date.now() + 60_000).toISOString());
    expect(publishedIn(ws).slice(beforeSecond.length)).toEqual(['sentinel']);
  });

  it('keeps the contact card up to date, scoped to the workspace', async () => {
    const ws = testWorkspace();
    await callSubgraph(ingestion.url, writer(ws), TRACK, {
      interactions: [
        { id: 'c1', kind: 'PAGE_VISIT', contactId: 'cy', occurredAt: '2026-01-01T00:00:00Z' },
        { id: 'c2', kind: 'LIVE_CHAT', contactId: 'cy', email: 'cy@example.com', occurredAt: '2026-02-01T00:00:00Z' },
      ],
    });
    const contact = await waitFor('cy projected', async () => {
      const found = await contactOf(ws, 'cy');
      return found?.email === 'cy@example.com' && found;
    });
    expect(contact).toEqual({ id: 'cy', email: 'cy@example.com', firstSeenAt: expect.any(String) });

    const other = await callSubgraph(ingestion.url, { workspaceId: testWorkspace('other'), role: 'admin' }, CONTACT, {
      id: 'cy',
    });
    expect(other.data).toEqual({ contact: null });
  });

  it('refuses a batch over the limit, a read key, and an unsigned request, changing nothing', async () => {
    const ws = testWorkspace();
    const big = Array.from({ length: 21 }, (_, i) => ({ id: `b${i}`, kind: 'PAGE_VISIT', contactId: 'dee' }));
    const tooBig = await callSubgraph(ingestion.url, writer(ws), TRACK, { interactions: big });
    expect(tooBig.errors?.[0]).toMatchObject({ extensions: { code: 'BATCH_TOO_LARGE' } });
    expect(tooBig.errors?.[0]?.message).toMatch(/at most 20 interactions per call; got 21/);

    const readOnly = await callSubgraph(ingestion.url, { workspaceId: ws, role: 'read' }, TRACK, {
      interactions: big.slice(0, 1),
    });
    expect(readOnly.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });

    const unsigned = await callSubgraph(ingestion.url, null, TRACK, { interactions: big.slice(0, 1) });
    expect(unsigned.status).toBe(401);
    expect(unsigned.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });

    // Sentinel: an accepted interaction of a contact in dee's partition, published and projected
    // after anything the refused calls could have caused.
    const sameAsDee = Array.from({ length: 1000 }, (_, i) => `s${i}`).find(
      (id) => partitionOf(ws, id) === partitionOf(ws, 'dee'),
    )!;
    await trackSentinel(ws, sameAsDee, new Date().toISOString());
    expect(publishedIn(ws)).toEqual(['sentinel']);
    expect(await contactOf(ws, 'dee')).toBeNull();
  });

  it('writes a contact when it is created or given a new email, not for an interaction that changes nothing', async () => {
    const ws = testWorkspace();
    const { Contact } = ingestion.recording.models;
    const stored = (id: string) => Contact.findById(`${ws}:${id}`).lean().exec();
    const track = (interactions: Record<string, unknown>[]) =>
      callSubgraph(ingestion.url, writer(ws), TRACK, { interactions });
    // Given ivy, created by her first interaction
    await track([{ id: 'i1', kind: 'PAGE_VISIT', contactId: 'ivy', email: 'ivy@example.com' }]);
    const created = await waitFor('ivy created', () => stored('ivy'));

    // When she sends an interaction with the email she has, and one with none
    await track([
      { id: 'i2', kind: 'PAGE_VISIT', contactId: 'ivy', email: 'ivy@example.com' },
      { id: 'i3', kind: 'EMAIL_OPEN', contactId: 'ivy', channel: 'EMAIL_CLIENT' },
    ]);
    // and a contact of her partition is created after them (a partition is applied in stream order)
    const neighbour = Array.from({ length: 1000 }, (_, i) => `n${i}`).find(
      (id) => partitionOf(ws, id) === partitionOf(ws, 'ivy'),
    )!;
    await track([{ id: 'n1', kind: 'PAGE_VISIT', contactId: neighbour }]);
    await waitFor('the neighbour created', () => stored(neighbour));

    // Then her document was not written again: it still records her first interaction's position
    expect(await stored('ivy')).toEqual(created);
    // and an interaction with a new email is written
    await trackSentinel(ws, 'ivy', new Date().toISOString());
    expect((await stored('ivy'))!.lastSeq).toBeGreaterThan(created.lastSeq);
  });

  it("sends the contact projector a contact's first interaction and those that name it, not its later visits and clicks", async () => {
    const ws = testWorkspace();
    const ns = topology(namespace);
    const track = (interactions: Record<string, unknown>[]) =>
      callSubgraph(ingestion.url, writer(ws), TRACK, { interactions });
    const consumer = `ingestion-contacts-p${partitionOf(ws, 'pia')}`;
    const delivered = async () =>
      (await nats.jsm.consumers.info(ns.streams.interactions.name, consumer)).delivered.consumer_seq;
    // Given pia, whose first interaction (a visit, no email) created her document
    await track([{ id: 'p1', kind: 'PAGE_VISIT', contactId: 'pia' }]);
    await waitFor('pia created', () => contactOf(ws, 'pia'));
    const before = await delivered();

    // When she visits and clicks, then gives an email (the sentinel, applied by the projector)
    await track([
      { id: 'p2', kind: 'PAGE_VISIT', contactId: 'pia' },
      { id: 'p3', kind: 'LINK_CLICK', contactId: 'pia' },
    ]);
    await trackSentinel(ws, 'pia', new Date().toISOString());

    // Then all four are in the stream, for scoring; the projector was handed the sentinel alone
    const subjectOf = (id: string) =>
      published.events.find((e) => e.payload.workspaceId === ws && e.payload.interactionId === id)?.subject;
    expect(['p1', 'p2', 'p3', 'sentinel'].map(subjectOf)).toEqual([
      ns.subjects.interactionRecorded(ws, 'pia', 'profiled'),
      ns.subjects.interactionRecorded(ws, 'pia', 'recorded'),
      ns.subjects.interactionRecorded(ws, 'pia', 'recorded'),
      ns.subjects.interactionRecorded(ws, 'pia', 'identified'),
    ]);
    expect(await delivered()).toBe(before + 1);
  });

  it('leaves a contact as written when JetStream redelivers the interaction that wrote it', async () => {
    const ws = testWorkspace();
    const { Contact } = ingestion.recording.models;
    const contactDoc = () => Contact.findById(`${ws}:rex`).lean().exec();
    // Given the projector fails the batch holding r1 right after writing the contact (before the ack)
    const armed = projectorFault.failOnceAfterWrites({
      matches: (d) => d.event.workspaceId === ws && d.event.interactionId === 'r1',
      snapshot: contactDoc,
    });

    // When r1 is tracked once, and JetStream gives it back to the projector
    await callSubgraph(ingestion.url, writer(ws), TRACK, {
      interactions: [
        {
          id: 'r1',
          kind: 'PAGE_VISIT',
          contactId: 'rex',
          email: 'rex@example.com',
          occurredAt: '2026-03-01T00:00:00Z',
        },
      ],
    });
    const { failed, again, before } = await armed.redelivered();

    // Then the same stream message came back, flagged as redelivered
    const seq = failed[0]!.seq;
    expect(failed.map((d) => [d.seq, d.redelivered])).toEqual([[seq, false]]);
    expect(again.map((d) => [d.seq, d.redelivered])).toEqual([[seq, true]]);
    // to a contact that had recorded its position (`seq <= lastSeq`), and it left the contact as it was
    expect(before).toMatchObject({ email: 'rex@example.com', lastSeq: seq });
    expect(await contactDoc()).toEqual(before);

    // Sentinel: rex's next interaction, through the same partition
    await trackSentinel(ws, 'rex', '2026-03-02T00:00:00Z');
    expect(publishedIn(ws)).toEqual(['r1', 'sentinel']);
  });

  it('publishes what a crash left between store and publish: only what that batch stored', async () => {
    const ws = testWorkspace();
    const { models } = ingestion.recording;
    const ns = topology(namespace);
    const crashedAt = new Date(Date.now() - 60_000);
    const event = (interactionId: string, recordedAt: Date): InteractionRecorded => ({
      v: 1,
      workspaceId: ws,
      interactionId,
      contactId: 'eve',
      email: null,
      kind: 'PAGE_VISIT',
      variant: null,
      occurredAt: '2026-11-01T00:00:00.000Z',
      recordedAt: recordedAt.toISOString(),
      properties: { url: `/${interactionId}` },
    });
    const store = (e: InteractionRecorded) =>
      models.Interaction.collection.insertOne({
        _id: `${ws}:${e.interactionId}`,
        ...e,
        occurredAt: new Date(e.occurredAt),
        recordedAt: new Date(e.recordedAt),
      } as never);
    // Given the state a crash after the append leaves: the batch's entry, `crashed` stored by that
    // batch, `earlier` a duplicate stored (and published) by an earlier batch, `never-stored` not stored
    await store(event('crashed', crashedAt));
    await store(event('earlier', new Date(crashedAt.getTime() - 3_600_000)));
    await models.Outbox.collection.insertOne({
      _id: `${ws}:batch-1`,
      workspaceId: ws,
      interactionIds: ['crashed', 'earlier', 'never-stored'],
      createdAt: crashedAt,
    } as never);
    // and an entry as versions before one entry per batch wrote it: one interaction, its event as a string
    await store(event('single', crashedAt));
    await models.Outbox.collection.insertOne({
      _id: `${ws}:single`,
      subject: ns.subjects.interactionRecorded(ws, 'eve', 'recorded'),
      msgId: `ir:${ws}:single`,
      payload: JSON.stringify(event('single', crashedAt)),
      createdAt: crashedAt,
    } as never);

    // When the sweeper passes
    await ingestion.sweepOutbox();

    // Then what the batches stored is published, as stored; the outbox is empty. Sentinel: a later interaction.
    await trackSentinel(ws, 'eve', new Date().toISOString());
    expect(publishedIn(ws).sort()).toEqual(['crashed', 'sentinel', 'single']);
    const crashed = published.events.find((e) => e.payload.workspaceId === ws && e.payload.interactionId === 'crashed');
    expect(crashed?.payload).toEqual(event('crashed', crashedAt));
    // (the sentinel's own entry may still be on its way out)
    expect(await models.Outbox.countDocuments({ _id: { $in: [`${ws}:batch-1`, `${ws}:single`] } })).toBe(0);
  });
});
