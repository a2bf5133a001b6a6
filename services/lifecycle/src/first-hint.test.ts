// ScoreChanged.first lets lifecycle skip reading a contact it has no document for. The hint is
// only a hint: here a change wrongly calls a contact new, and the owner that takes it (a fresh
// instance, which remembers nothing) does not read the document. Its first write is then
// refused by the database, the batch comes back as a real redelivery (which carries no hint),
// and is applied to the document as stored: nothing lost, nothing reset.
import { createLogger, databaseName } from '@cei/config';
import { connectDatabase, type Database } from '@cei/mongo';
import { connectNats, publishEvent, type Nats } from '@cei/nats';
import { messageIds, topology, type PhaseChanged, type ScoreChanged } from '@cei/contracts';
import { probeSubject, serviceEnv, testNamespace, testWorkspace, waitFor, type NatsProbe, logSink } from '@cei/testing';
import { loadLifecycleConfig } from './config';
import { lifecycleDoc, lifecycleModels, type ContactLifecycleRow, type LifecycleModels } from './models';
import { startLifecycle, type Lifecycle } from './server';

describe('lifecycle under a wrong first-change hint', () => {
  const namespace = testNamespace('firsthint');
  const ns = topology(namespace);
  const config = loadLifecycleConfig(serviceEnv(namespace, { LIFECYCLE_PORT: '0' }));
  let nats: Nats;
  let phaseChanges: NatsProbe<PhaseChanged>;
  let db: Database;
  let models: LifecycleModels;
  let instance: Lifecycle | undefined;
  const { stream, lines: logLines } = logSink();
  const log = createLogger('lifecycle', 'warn', stream);

  beforeAll(async () => {
    nats = await connectNats(config.NATS_URL, 'first-hint-test');
    phaseChanges = await probeSubject<PhaseChanged>(ns.everyWorkspace.phasesChanged);
    db = await connectDatabase(config.MONGO_URL, databaseName(namespace, 'lifecycle'), 2);
    models = lifecycleModels(db);
  });
  afterAll(async () => {
    await instance?.stop();
    await phaseChanges?.close();
    await nats?.close();
    await db?.close();
  });

  let counter = 0;
  const change = (ws: string, general: number, first?: boolean): ScoreChanged => {
    const at = new Date().toISOString();
    return {
      v: 1,
      workspaceId: ws,
      contactId: 'dan',
      cause: 'INTERACTION',
      interactionId: `h${++counter}`,
      kind: 'PAGE_VISIT',
      occurredAt: at,
      delta: 0,
      general,
      stage: 0,
      engagementIndex: 0,
      at,
      ...(first === undefined ? {} : { first }),
    };
  };
  const publish = (event: ScoreChanged) =>
    publishEvent(
      nats.js,
      ns.subjects.scoreChanged(event.workspaceId, event.contactId),
      event,
      messageIds.scoreChanged(event.workspaceId, event.interactionId!),
    );
  const transitionsOf = (ws: string) =>
    phaseChanges.events.filter((e) => e.payload.workspaceId === ws).map((e) => e.payload);

  it('refuses the first write of a contact that exists, and applies the change to the stored document', async () => {
    const ws = testWorkspace();
    // Given a contact lifecycle moved to PURCHASE on its (rightly marked) first change
    instance = await startLifecycle(config, log);
    await publish(change(ws, 60, true));
    await waitFor('the first transition', () => transitionsOf(ws).some((t) => t.transitionId === 'dan~1'));
    expect(transitionsOf(ws)[0]).toMatchObject({ from: 'NURTURE', to: 'PURCHASE', first: true });
    // and a new owner that remembers nothing of it
    await instance.stop();
    instance = await startLifecycle(config, log);

    // When a change wrongly says it is the contact's first
    await publish(change(ws, 10, true));
    // and a sentinel follows it through the same partition
    await publish(change(ws, 60));
    await waitFor('the sentinel transition', () => transitionsOf(ws).some((t) => t.transitionId === 'dan~3'));

    // Then the wrong hint was taken, and the database refused the write it led to
    expect(logLines.some((l) => l.err?.type === 'StaleStateError')).toBe(true);
    // and the change was applied to the stored document: back to NURTURE, then on to PURCHASE again
    expect(transitionsOf(ws).map((t) => [t.transitionId, t.from, t.to, t.first ?? false])).toEqual([
      ['dan~1', 'NURTURE', 'PURCHASE', true],
      ['dan~2', 'PURCHASE', 'NURTURE', false],
      ['dan~3', 'NURTURE', 'PURCHASE', false],
    ]);
    const row = await models.ContactLifecycle.findById(`${ws}:dan`).lean<ContactLifecycleRow>().exec();
    expect(lifecycleDoc(row!)).toMatchObject({ phase: 'PURCHASE', transitionCount: 3, score: 60 });
  });
});
