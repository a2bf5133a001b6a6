// Packed interactions against real NATS and a real MongoDB-compatible server: an accept call's
// visits and clicks of known contacts go to scoring several contacts to a message, and whoever
// publishes an outbox entry (the request, the sweeper, a second sweep) sends the same packs under
// the same message ids, so the stream holds each interaction once.
import {
  decodeInteractionMessage,
  INTERACTIONS_HEADER,
  interactionsIn,
  partitionOf,
  topology,
  type InteractionRecorded,
} from '@cei/contracts';
import { connectNats, type Nats } from '@cei/nats';
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
import type { OutboxDoc } from './models';
import type { InteractionPublisher, OutboxEntryRef } from './recording/publisher';
import { recordInteractions } from './recording/record-interactions';
import { startIngestion, type Ingestion } from './server';

const TRACK = `mutation($i: [InteractionInput!]!) { trackInteractions(interactions: $i) { items { status } } }`;

/** A message of the interactions stream as stored: where, under which id, carrying which interactions. */
interface StoredMessage {
  subject: string;
  msgId: string;
  /** INTERACTIONS_HEADER: a pack's count; empty on an interaction alone. */
  counted: string;
  ids: string[];
  contacts: string[];
}

describe('interactions packed for scoring', () => {
  const namespace = testNamespace('packs');
  const ns = topology(namespace);
  let ingestion: Ingestion;
  let published: NatsProbe<InteractionRecorded>;
  let nats: Nats;

  beforeAll(async () => {
    // Only the sweeps a test asks for: a timer's sweep would add copies the probe counts.
    ingestion = await startIngestion(
      loadIngestionConfig(serviceEnv(namespace, { INGESTION_PORT: '0', OUTBOX_SWEEP_MS: '3600000' })),
    );
    published = await probeSubject<InteractionRecorded>(
      ns.everyWorkspace.interactionsRecorded,
      undefined,
      interactionsIn,
    );
    nats = await connectNats(process.env.NATS_URL!, 'interaction-packs-test');
  });
  afterAll(async () => {
    await nats?.close();
    await published?.close();
    await ingestion?.stop();
  });

  const visit = (id: string, contactId: string) => ({ id, kind: 'PAGE_VISIT', contactId });
  const click = (id: string, contactId: string) => ({ id, kind: 'LINK_CLICK', contactId });
  const track = async (ws: string, interactions: Record<string, unknown>[]) =>
    (
      await callSubgraph<{ trackInteractions: { items: { status: string }[] } }>(
        ingestion.url,
        { workspaceId: ws, role: 'write' },
        TRACK,
        { i: interactions },
      )
    ).data!.trackInteractions.items.map((item) => item.status);
  /** Once a workspace's outbox is empty, every message of its calls was acknowledged: it is in the stream. */
  const allPublished = (ws: string) =>
    waitFor(
      'an empty outbox',
      async () => (await ingestion.recording.models.Outbox.countDocuments({ workspaceId: ws })) === 0,
    );
  /** `n` contacts of one partition. */
  const samePartition = (ws: string, n: number) =>
    Array.from({ length: n * 40 }, (_, i) => `c${i}`)
      .filter((id) => partitionOf(ws, id) === partitionOf(ws, 'c0'))
      .slice(0, n);
  /** Makes the contacts known to the contact projector (an interaction naming each, acknowledged). */
  const makeKnown = async (ws: string, contacts: string[]) => {
    const statuses = await track(
      ws,
      contacts.map((contactId) => ({ ...visit(`known-${contactId}`, contactId), email: `${contactId}@example.com` })),
    );
    expect(statuses.every((status) => status === 'ACCEPTED')).toBe(true);
    await allPublished(ws);
  };
  /** The workspace's messages in the interactions stream, in stream order (each parsed by the contract). */
  const stored = async (ws: string): Promise<StoredMessage[]> => {
    const subject = `${namespace}.${ws}.interactions.*.*`;
    const info = await nats.jsm.streams.info(ns.streams.interactions.name, { subjects_filter: subject });
    const count = Object.values(info.state.subjects ?? {}).reduce((sum, n) => sum + n, 0);
    if (count === 0) return [];
    const reader = await nats.js.consumers.get(ns.streams.interactions.name, { filter_subjects: [subject] });
    const messages: StoredMessage[] = [];
    for await (const msg of await reader.fetch({ max_messages: count, expires: 5_000 })) {
      const decoded = decodeInteractionMessage(msg.data);
      const interactions = Array.isArray(decoded) ? decoded : [decoded];
      messages.push({
        subject: msg.subject,
        msgId: msg.headers?.get('Nats-Msg-Id') ?? '',
        counted: msg.headers?.get(INTERACTIONS_HEADER) ?? '',
        ids: interactions.map((i) => i.interactionId),
        contacts: interactions.map((i) => i.contactId),
      });
      if (messages.length === count) break;
    }
    await reader.delete();
    return messages;
  };
  const carrying = (messages: StoredMessage[], ids: string[]) =>
    messages.filter((message) => message.ids.some((id) => ids.includes(id)));
  const entryOf = (msgId: string) => /^ip:(.+):\d+$/.exec(msgId)?.[1];
  const copiesSeen = (ws: string, id: string) =>
    published.events.filter((e) => e.payload.workspaceId === ws && e.payload.interactionId === id).length;

  it("sends one call's visits and clicks of known contacts as packs: each interaction once, a contact once per pack, each contact's in order", async () => {
    const ws = testWorkspace();
    const [ann, bob, cy, dee] = samePartition(ws, 4) as [string, string, string, string];
    await makeKnown(ws, [ann, bob, cy, dee]);

    // When one call brings their visits and clicks, and an interaction that names bob
    const call = [
      visit('a1', ann),
      click('b1', bob),
      visit('a2', ann),
      visit('c1', cy),
      { ...visit('b2', bob), email: `${bob}@work.example` },
      click('d1', dee),
      visit('c2', cy),
    ];
    expect(await track(ws, call)).toEqual(call.map(() => 'ACCEPTED'));
    await allPublished(ws);

    // Then the stream holds packs named by the call's outbox entry and their index, and at the end
    // what the call left alone: the named interaction on its own verb, and a pack's one member left
    const ids = call.map((i) => i.id);
    const messages = carrying(await stored(ws), ids);
    const entry = entryOf(messages[0]!.msgId);
    expect(entry).toMatch(new RegExp(`^${ws}:[0-9a-f-]{36}$`));
    const recorded = ns.subjects.interactionRecorded(ws, ann, 'recorded');
    expect(messages.map((m) => [m.subject, m.msgId, m.ids, m.counted])).toEqual([
      [recorded, `ip:${entry}:0`, ['a1', 'b1'], '2'],
      [recorded, `ip:${entry}:1`, ['a2', 'c1', 'd1'], '3'],
      [ns.subjects.interactionRecorded(ws, bob, 'identified'), `ir:${ws}:b2`, ['b2'], ''],
      [recorded, `ir:${ws}:c2`, ['c2'], ''],
    ]);
    // each interaction once, no contact twice in a message, each contact's in the order sent
    const sent = messages.flatMap((m) => m.ids);
    expect([...sent].sort()).toEqual([...ids].sort());
    expect(messages.every((m) => new Set(m.contacts).size === m.contacts.length)).toBe(true);
    for (const contactId of [ann, bob, cy, dee]) {
      const ofContact = call.filter((i) => i.contactId === contactId).map((i) => i.id);
      expect(sent.filter((id) => ofContact.includes(id))).toEqual(ofContact);
    }
  });

  it("packs an import's first interactions that name new contacts, and the contact projector makes every contact of the pack", async () => {
    const ws = testWorkspace();
    const contacts = samePartition(ws, 5);
    // When one call brings each contact's first interaction, giving its email, then a visit of each
    const call = [
      ...contacts.map((contactId, i) => ({ ...visit(`n${i}`, contactId), email: `${contactId}@import.example` })),
      ...contacts.map((contactId, i) => visit(`v${i}`, contactId)),
    ];
    expect(await track(ws, call)).toEqual(call.map(() => 'ACCEPTED'));
    await allPublished(ws);

    // Then the named ones went out as one pack on their verb (the projector's and notification's),
    // and the visits after them as another on theirs (the projector did not know the contacts yet
    // when the call was planned)
    const messages = carrying(
      await stored(ws),
      call.map((i) => i.id),
    );
    const entry = entryOf(messages[0]!.msgId);
    expect(messages.map((m) => [m.subject, m.msgId, m.counted, m.ids])).toEqual([
      [
        ns.subjects.interactionRecorded(ws, contacts[0]!, 'identified'),
        `ip:${entry}:0`,
        String(contacts.length),
        contacts.map((_, i) => `n${i}`),
      ],
      [
        ns.subjects.interactionRecorded(ws, contacts[0]!, 'profiled'),
        `ip:${entry}:1`,
        String(contacts.length),
        contacts.map((_, i) => `v${i}`),
      ],
    ]);
    // and the contact projector, which applies each member at the pack's position, made every contact
    const query = `query($id: ID!) { contact(id: $id) { id email } }`;
    for (const contactId of contacts) {
      const contact = await waitFor(`contact ${contactId} projected`, async () => {
        const found = await callSubgraph<{ contact: { id: string; email: string | null } | null }>(
          ingestion.url,
          { workspaceId: ws, role: 'read' },
          query,
          { id: contactId },
        );
        return found.data?.contact ?? false;
      });
      expect(contact).toEqual({ id: contactId, email: `${contactId}@import.example` });
    }
  });

  it('publishes a pack that lost a member to a duplicate with the rest: two or more as the pack, one alone', async () => {
    const ws = testWorkspace();
    const [ann, bob, cy, dee] = samePartition(ws, 4) as [string, string, string, string];
    await makeKnown(ws, [ann, bob, cy, dee]);
    // Given d1 and d2 stored and published by an earlier call
    expect(await track(ws, [visit('d1', cy), visit('d2', dee)])).toEqual(['ACCEPTED', 'ACCEPTED']);
    await allPublished(ws);

    // When a call repeats them, planned into packs [x, y, d1] and [z, d2] before they showed as duplicates
    const statuses = await track(ws, [
      visit('x', ann),
      visit('y', bob),
      visit('d1', cy),
      click('z', ann),
      visit('d2', dee),
    ]);
    expect(statuses).toEqual(['ACCEPTED', 'ACCEPTED', 'DUPLICATE', 'ACCEPTED', 'DUPLICATE']);
    await allPublished(ws);

    // Then the first pack goes with x and y under its id, z alone for scoring under its own
    const messages = await stored(ws);
    const [pack, single] = carrying(messages, ['x', 'y', 'z']);
    expect(entryOf(pack!.msgId)).toMatch(new RegExp(`^${ws}:`));
    expect([pack!.msgId, pack!.ids, pack!.counted]).toEqual([`ip:${entryOf(pack!.msgId)}:0`, ['x', 'y'], '2']);
    expect(single).toEqual({
      subject: ns.subjects.interactionRecorded(ws, ann, 'recorded'),
      msgId: `ir:${ws}:z`,
      counted: '',
      ids: ['z'],
      contacts: [ann],
    });
    expect(carrying(messages, ['x', 'y', 'z'])).toHaveLength(2);
    // and the duplicates are in the stream once, as the earlier call sent them
    expect(messages.flatMap((m) => m.ids).filter((id) => id === 'd1' || id === 'd2')).toEqual(['d1', 'd2']);
  });

  it('sends the packs a crash left in the outbox as the request would have: swept twice, then sent late by the request, each once in the stream', async () => {
    const ws = testWorkspace();
    const { models, publisher } = ingestion.recording;
    const [ann, bob, cy, dee] = samePartition(ws, 4) as [string, string, string, string];
    await makeKnown(ws, [ann, bob, cy, dee]);
    expect(await track(ws, [visit('e1', dee)])).toEqual(['ACCEPTED']);
    await allPublished(ws);

    // Given a call that stored its entry and its interactions, then crashed before publishing
    // (a minute ago, so the sweeper takes its entry); e1 repeats an earlier call's
    let crashed: { entry: OutboxEntryRef; events: InteractionRecorded[] } | undefined;
    const crashing: InteractionPublisher = {
      ...publisher,
      publishBatch: (entry, events) => (crashed = { entry, events }),
    };
    const crashedAt = new Date(Date.now() - 60_000);
    const receipts = await recordInteractions(
      { ...ingestion.recording, publisher: crashing, now: () => crashedAt },
      ws,
      [visit('s1', ann), visit('s2', bob), visit('e1', dee), click('s3', cy), visit('s4', ann), visit('s5', bob)],
    );
    expect(receipts.map((r) => r.status)).toEqual([
      'ACCEPTED',
      'ACCEPTED',
      'DUPLICATE',
      'ACCEPTED',
      'ACCEPTED',
      'ACCEPTED',
    ]);
    const entryId = crashed!.entry.id;
    // its entry records the packs it planned
    const left = (await models.Outbox.findById(entryId).lean<OutboxDoc>().exec())!;
    expect(left).toMatchObject({
      interactionIds: ['s1', 's2', 'e1', 's3', 's4', 's5'],
      packs: [{ interactionIds: ['s1', 's2', 'e1', 's3'] }, { interactionIds: ['s4', 's5'] }],
    });

    // When the sweeper passes
    await ingestion.sweepOutbox();
    // and passes again over the same entry (its removal lost, say)
    await models.Outbox.collection.insertOne(left as never);
    await ingestion.sweepOutbox();
    await waitFor('the second sweep', () => ['s1', 's5'].every((id) => copiesSeen(ws, id) === 2));
    // and the request's own publish comes after all (as if it had been slow, not dead)
    publisher.publishBatch({ ...crashed!.entry, createdAt: new Date() }, crashed!.events);
    await waitFor('the late publish', () => ['s1', 's5'].every((id) => copiesSeen(ws, id) === 3));

    // Then each was sent three times and the stream kept it once: the packs without e1, under the
    // entry's ids
    expect(['s1', 's2', 's3', 's4', 's5'].map((id) => copiesSeen(ws, id))).toEqual([3, 3, 3, 3, 3]);
    const messages = await stored(ws);
    expect(carrying(messages, ['s1', 's2', 's3', 's4', 's5']).map((m) => [m.msgId, m.ids])).toEqual([
      [`ip:${entryId}:0`, ['s1', 's2', 's3']],
      [`ip:${entryId}:1`, ['s4', 's5']],
    ]);
    expect(messages.flatMap((m) => m.ids).filter((id) => id === 'e1')).toEqual(['e1']);
    expect(await models.Outbox.countDocuments({ workspaceId: ws })).toBe(0);
  });
});
