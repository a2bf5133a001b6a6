// The accept path's group commit against the real database of the jest global setup:
// concurrent calls share their two commands, and each call gets its own entry and its own
// duplicates back.
import mongoose, { type mongo } from 'mongoose';
import type { InteractionRecorded } from '@cei/contracts';
import { testNamespace } from '@cei/testing';
import { ingestionModels, type IngestionModels } from '../models';
import { createBatchWriter } from './batch-writer';
import { toInteractionDoc } from './record-interactions';

describe('batch writer (group commit)', () => {
  let connection: mongoose.Connection;
  let models: IngestionModels;
  const inserts: { collection: string; documents: number }[] = [];

  beforeAll(async () => {
    connection = mongoose.createConnection(process.env.MONGO_URL!, {
      dbName: `${testNamespace('group')}_ingestion`,
      monitorCommands: true,
      maxPoolSize: 4,
    });
    await connection.asPromise();
    connection.getClient().on('commandStarted', (event: mongo.CommandStartedEvent) => {
      if (event.commandName === 'insert') {
        const command = event.command as { insert: string; documents: unknown[] };
        inserts.push({ collection: command.insert, documents: command.documents.length });
      }
    });
    models = ingestionModels(connection);
  });
  afterAll(async () => {
    await connection.db?.dropDatabase();
    await connection.close();
  });

  const event = (ws: string, id: string, contactId = `c-${id}`): InteractionRecorded => ({
    v: 1,
    workspaceId: ws,
    interactionId: id,
    contactId,
    email: null,
    kind: 'PAGE_VISIT',
    variant: 'DIRECT',
    occurredAt: '2026-12-01T00:00:00.000Z',
    recordedAt: '2026-12-01T00:00:00.000Z',
    properties: {},
  });

  it('stores forty concurrent calls in a handful of commands instead of eighty, each with its entry and its duplicates', async () => {
    const writer = createBatchWriter(models, toInteractionDoc);
    const at = new Date('2026-12-01T00:00:00.000Z');
    // Given i1 is stored already
    await writer.store({ id: 'ws1:first', createdAt: at }, 'ws1', [event('ws1', 'i1')]);
    inserts.length = 0;

    // When forty calls arrive at once, of two workspaces, the last one repeating i1 beside a new id
    const calls = Array.from({ length: 40 }, (_, n) => {
      const ws = n % 2 === 0 ? 'ws1' : 'ws2';
      const events = n === 39 ? [event('ws2', 'x'), event('ws1', 'i1')] : [event(ws, `e${n}`)];
      return writer.store({ id: `${ws}:call${n}`, createdAt: at }, ws, events);
    });
    const stored = await Promise.all(calls);

    // Then they shared their commands: at most two lanes, each an outbox, an interaction and a
    // contacts_seen insert per group
    expect(inserts.length).toBeLessThanOrEqual(12);
    expect(inserts.filter((i) => i.collection === 'interactions').length).toBeLessThanOrEqual(4);
    expect(inserts.filter((i) => i.collection === 'outbox').reduce((sum, i) => sum + i.documents, 0)).toBe(40);
    // And each call got its own duplicates: only the last call's second item
    expect(stored.slice(0, 39).every((call) => call.duplicates.size === 0)).toBe(true);
    expect([...stored[39]!.duplicates]).toEqual([1]);
    expect(await models.Outbox.countDocuments({ workspaceId: 'ws2' })).toBe(20);
    expect(await models.Interaction.findById('ws2:e1').lean()).toMatchObject({ contactId: 'c-e1' });
    expect(await models.Interaction.findById('ws2:x').lean()).toMatchObject({ contactId: 'c-x' });
  });

  it("marks each contact's first accepted interaction, as any instance sees it, and no other", async () => {
    const at = new Date('2026-12-01T00:00:00.000Z');
    const writer = createBatchWriter(models, toInteractionDoc);
    const firsts = async (w: typeof writer, call: string, events: InteractionRecorded[]) => {
      const stored = await w.store({ id: `ws3:${call}`, createdAt: at }, 'ws3', events);
      return { firsts: [...stored.firsts], duplicates: [...stored.duplicates] };
    };

    // A call with two interactions of a new contact and one of another: the first of each
    expect(
      await firsts(writer, 'a', [event('ws3', 'a1', 'ann'), event('ws3', 'a2', 'ann'), event('ws3', 'b1', 'bob')]),
    ).toEqual({ firsts: [0, 2], duplicates: [] });
    // A later call: ann is known, cy is new
    expect(await firsts(writer, 'b', [event('ws3', 'a3', 'ann'), event('ws3', 'c1', 'cy')])).toEqual({
      firsts: [1],
      duplicates: [],
    });
    // Another instance, which has seen nothing: ann's entry in the database tells it, dee is new
    const other = createBatchWriter(models, toInteractionDoc);
    expect(await firsts(other, 'c', [event('ws3', 'a4', 'ann'), event('ws3', 'd1', 'dee')])).toEqual({
      firsts: [1],
      duplicates: [],
    });
    // A duplicate of a contact's first interaction is not first again (it is not published at all)
    expect(await firsts(createBatchWriter(models, toInteractionDoc), 'd', [event('ws3', 'a1', 'ann')])).toEqual({
      firsts: [],
      duplicates: [0],
    });
    expect(await models.ContactSeen.countDocuments({ workspaceId: 'ws3' })).toBe(4);
  });
});
