// Ingestion against real NATS and a real MongoDB-compatible server: the
// trackInteractions resolver, idempotency, bad input, the contact projector
// and the outbox sweep after a simulated crash.
import { topology, type InteractionRecorded } from '@cei/contracts';
import {
  callSubgraph,
  probeSubject,
  serviceEnv,
  testNamespace,
  testWorkspace,
  waitFor,
  type NatsProbe,
} from '@cei/testing';
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
      interactionCount
      lastInteractionAt
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

  beforeAll(async () => {
    ingestion = await startIngestion(
      loadIngestionConfig(serviceEnv(namespace, { INGESTION_PORT: '0', MAX_BATCH_SIZE: '20' })),
    );
    published = await probeSubject<InteractionRecorded>(`${namespace}.*.interactions.recorded.*`);
  });
  afterAll(async () => {
    await published?.close();
    await ingestion?.stop();
  });

  const writer = (workspaceId: string) => ({ workspaceId, role: 'write' as const });

  it('accepts valid items, rejects malformed ones per item, and publishes only the accepted', async () => {
    const ws = testWorkspace();
    const before = published.events.length;
    const response = await callSubgraph<TrackResult>(ingestion.url, writer(ws), TRACK, {
      interactions: [
        { id: 'v1', kind: 'PAGE_VISIT', contactId: 'ada', email: 'ada@example.com', source: 'AD' },
        { id: 'v2', kind: 'TELEPATHY', contactId: 'ada' },
        { id: 'v3', kind: 'EMAIL_CLICK', channel: 'MAILING' },
        { id: 'v4', kind: 'PURCHASE', contactId: 'ada', occurredAt: new Date(Date.now() + 3_600_000).toISOString() },
        { id: 'v5', kind: 'CUSTOM', contactId: 'ada', properties: { blob: 'x'.repeat(9000) } },
        { id: 'v6', kind: 'PURCHASE', contactId: 'ada', properties: { amount: 30 } },
      ],
    });
    expect(response.status).toBe(200);
    const result = response.data!.trackInteractions;
    expect(result).toMatchObject({ accepted: 2, duplicates: 0, rejected: 4 });
    expect(result.items.map((i) => i.status)).toEqual([
      'ACCEPTED',
      'REJECTED',
      'REJECTED',
      'REJECTED',
      'REJECTED',
      'ACCEPTED',
    ]);
    expect(result.items[1]!.reason).toMatch(/^kind: unknown kind 'TELEPATHY'/);
    expect(result.items[2]!.reason).toMatch(/^contactId: required/);
    expect(result.items[3]!.reason).toMatch(/^occurredAt: more than 5 minutes in the future/);
    expect(result.items[4]!.reason).toMatch(/^properties: \d+ bytes/);

    const events = (await published.waitForCount(before + 2)).slice(before).map((e) => e.payload);
    expect(
      events
        .filter((e) => e.workspaceId === ws)
        .map((e) => e.interactionId)
        .sort(),
    ).toEqual(['v1', 'v6']);
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
      () => published.events.filter((e) => e.payload.workspaceId === ws).length === 2,
    );

    // Published entries leave the outbox (in the background), so the sweeper has nothing to redo.
    const { Outbox } = ingestion.recording.models;
    await waitFor(
      'an empty outbox',
      async () => (await Outbox.countDocuments({ _id: { $in: [`${ws}:d1`, `${ws}:d2`] } })) === 0,
    );

    const second = await callSubgraph<TrackResult>(ingestion.url, writer(ws), TRACK, { interactions: batch });
    expect(second.data!.trackInteractions).toMatchObject({ accepted: 0, duplicates: 3, rejected: 0 });
    // The contact projector has applied both once: the count proves nothing was re-published.
    const contact = await waitFor('bob projected', async () => {
      const r = await callSubgraph<{ contact: { interactionCount: number } }>(ingestion.url, writer(ws), CONTACT, {
        id: 'bob',
      });
      return r.data?.contact?.interactionCount === 2 && r.data.contact;
    });
    expect(contact.interactionCount).toBe(2);
    expect(published.events.filter((e) => e.payload.workspaceId === ws)).toHaveLength(2);
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
      const r = await callSubgraph<{ contact: { interactionCount: number } }>(ingestion.url, writer(ws), CONTACT, {
        id: 'cy',
      });
      return r.data?.contact?.interactionCount === 2 && r.data.contact;
    });
    expect(contact).toEqual({
      id: 'cy',
      email: 'cy@example.com',
      interactionCount: 2,
      lastInteractionAt: '2026-02-01T00:00:00.000Z',
    });

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

    const contact = await callSubgraph(ingestion.url, writer(ws), CONTACT, { id: 'dee' });
    expect(contact.data).toEqual({ contact: null });
    expect(published.events.filter((e) => e.payload.workspaceId === ws)).toHaveLength(0);
  });

  it('publishes what a crash left between store and publish, and drops outbox entries never stored', async () => {
    const ws = testWorkspace();
    const { models } = ingestion.recording;
    const ns = topology(namespace);
    const event: InteractionRecorded = {
      v: 1,
      workspaceId: ws,
      interactionId: 'crashed',
      contactId: 'eve',
      email: null,
      kind: 'PAGE_VISIT',
      variant: null,
      occurredAt: '2026-11-01T00:00:00.000Z',
      recordedAt: '2026-11-01T00:00:00.000Z',
      properties: {},
    };
    const old = new Date(Date.now() - 60_000);
    // The state a crash after step 2 leaves: stored, in the outbox, never published.
    await models.Interaction.collection.insertOne({
      _id: `${ws}:crashed`,
      ...event,
      occurredAt: new Date(event.occurredAt),
      recordedAt: new Date(event.recordedAt),
    } as never);
    const outboxEntry = (id: string) => ({
      _id: `${ws}:${id}`,
      subject: ns.subjects.interactionRecorded(ws, 'eve'),
      msgId: `ir:${ws}:${id}`,
      payload: JSON.stringify({ ...event, interactionId: id }),
      createdAt: old,
    });
    await models.Outbox.collection.insertMany([outboxEntry('crashed'), outboxEntry('never-stored')] as never[]);

    await ingestion.sweepOutbox();

    await waitFor('the swept event', () => published.events.some((e) => e.payload.workspaceId === ws));
    expect(published.events.filter((e) => e.payload.workspaceId === ws).map((e) => e.payload.interactionId)).toEqual([
      'crashed',
    ]);
    expect(await models.Outbox.countDocuments({ _id: { $in: [`${ws}:crashed`, `${ws}:never-stored`] } })).toBe(0);
  });
});
