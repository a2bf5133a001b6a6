// InteractionRecorded.first lets the contact projector skip reading a contact the accept path has
// never seen. The hint is only a hint: here an interaction wrongly calls a contact new, and the
// owner that takes it (a fresh instance, which remembers nothing) does not read the contact. Its
// first write is then refused by the database, the batch comes back as a real redelivery (which
// carries no hint), and is applied to the contact as stored: nothing lost, nothing reset.
import mongoose from 'mongoose';
import { createLogger, databaseName } from '@cei/config';
import { topology, type InteractionRecorded } from '@cei/contracts';
import { connectNats, publishInteraction, type Nats } from '@cei/nats';
import { serviceEnv, testNamespace, testWorkspace, waitFor, logSink } from '@cei/testing';
import { loadIngestionConfig } from './config';
import { ingestionModels, type ContactDoc, type IngestionModels } from './models';
import { startIngestion, type Ingestion } from './server';

describe('the contact projector under a wrong first-interaction hint', () => {
  const namespace = testNamespace('contactfirsthint');
  const ns = topology(namespace);
  const config = loadIngestionConfig(serviceEnv(namespace, { INGESTION_PORT: '0' }));
  let nats: Nats;
  let connection: mongoose.Connection;
  let models: IngestionModels;
  let instance: Ingestion | undefined;
  const { stream, lines: logLines } = logSink();
  const log = createLogger('ingestion', 'warn', stream);

  beforeAll(async () => {
    nats = await connectNats(config.NATS_URL, 'contact-first-hint-test');
    connection = await mongoose
      .createConnection(config.MONGO_URL, { dbName: databaseName(namespace, 'ingestion') })
      .asPromise();
    models = ingestionModels(connection);
  });
  afterAll(async () => {
    await instance?.stop();
    await nats?.close();
    await connection?.close();
  });

  let counter = 0;
  const visit = (ws: string, first?: boolean, email: string | null = null): InteractionRecorded => {
    const at = new Date(Date.UTC(2026, 11, 1, 12, counter)).toISOString();
    return {
      v: 1,
      workspaceId: ws,
      interactionId: `v${++counter}`,
      contactId: 'dan',
      email,
      kind: 'PAGE_VISIT',
      variant: null,
      occurredAt: at,
      recordedAt: at,
      properties: {},
      ...(first === undefined ? {} : { first }),
    };
  };
  const record = (event: InteractionRecorded) => publishInteraction(nats.js, ns, event);
  const contact = (ws: string) => models.Contact.findById(`${ws}:dan`).lean<ContactDoc>().exec();

  it('refuses the first write of a contact that exists, and applies the interaction to the stored one', async () => {
    const ws = testWorkspace();
    instance = await startIngestion(config, log);
    // Given a contact projected from its (rightly marked) first interaction
    await record(visit(ws, true, 'dan@example.com'));
    const created = await waitFor('the contact', () => contact(ws));
    // and a new owner that remembers nothing of it
    await instance.stop();
    instance = await startIngestion(config, log);

    // When an interaction wrongly says it is the contact's first
    await record(visit(ws, true));
    // and a sentinel with a new email follows it through the same partition
    await record(visit(ws, undefined, 'dan@work.example'));
    await waitFor('the sentinel applied', async () => (await contact(ws))?.email === 'dan@work.example');

    // Then the wrong hint was taken, and the database refused the write it led to
    expect(logLines.some((l) => l.err?.type === 'StaleStateError')).toBe(true);
    // and the interactions were applied to the stored contact, not to a fresh one (which would
    // have been first seen at the wrongly marked interaction)
    expect((await contact(ws))!.firstSeenAt).toEqual(created.firstSeenAt);
  });
});
