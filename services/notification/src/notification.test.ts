// Notification against real NATS and a real MongoDB-compatible server: phase
// changes land in the contact's notification log once, however often delivered:
// on a real JetStream redelivery (by stream position) and on a re-publish outside
// the duplicate window (by transition id).
import { createLogger, databaseName } from '@cei/config';
import { connectDatabase, type Database } from '@cei/mongo';
import { connectNats, publishEvent, type Nats } from '@cei/nats';
import { messageIds, topology, type PhaseChanged } from '@cei/contracts';
import { callSubgraph, redeliveryFault, serviceEnv, testNamespace, testWorkspace, waitFor } from '@cei/testing';
import { loadNotificationConfig } from './config';
import { notificationModels, type NotificationModels } from './models';
import { startNotification, type Notification } from './server';

const NOTIFICATIONS = /* GraphQL */ `
  query Log($reps: [_Any!]!) {
    _entities(representations: $reps) {
      ... on Contact {
        id
        notifications {
          id
          event
          phase
          channel
        }
      }
    }
  }
`;

describe('notification subgraph', () => {
  const namespace = testNamespace('notification');
  const ns = topology(namespace);
  const config = loadNotificationConfig(serviceEnv(namespace, { NOTIFICATION_PORT: '0' }));
  let notification: Notification;
  let nats: Nats;
  let db: Database;
  let models: NotificationModels;
  const fault = redeliveryFault<PhaseChanged>();
  // The service logs into this: the handler says at debug level why it skipped a change.
  const logged: { msg: string; workspaceId?: string; seq?: number; transitionId?: string }[] = [];
  const log = createLogger('notification', 'debug', { write: (line: string) => void logged.push(JSON.parse(line)) });

  beforeAll(async () => {
    notification = await startNotification(config, log, { wrapHandler: fault.wrap });
    nats = await connectNats(config.NATS_URL, 'notification-test');
    db = await connectDatabase(config.MONGO_URL, databaseName(namespace, 'notification'), 2);
    models = notificationModels(db.connection);
  });
  afterAll(async () => {
    await nats?.close();
    await db?.close();
    await notification?.stop();
  });

  const phaseChanged = (ws: string, n: number, to: PhaseChanged['to']): PhaseChanged => ({
    v: 1,
    workspaceId: ws,
    contactId: 'ann',
    transitionId: `ann~${n}`,
    from: 'NURTURE',
    to,
    half: 'PROSPECT',
    reason: 'test',
    at: new Date().toISOString(),
  });
  const logOf = async (ws: string) =>
    (
      await callSubgraph<{ _entities: { notifications: { id: string; phase: string }[] }[] }>(
        notification.url,
        { workspaceId: ws, role: 'read' },
        NOTIFICATIONS,
        { reps: [{ __typename: 'Contact', id: 'ann' }] },
      )
    ).data!._entities[0]!.notifications;
  const publish = (event: PhaseChanged, msgId = messageIds.phaseChanged(event.workspaceId, event.transitionId)) =>
    publishEvent(nats.js, ns.subjects.phaseChanged(event.workspaceId, event.contactId), event, msgId);
  const logDoc = (ws: string) => models.ContactNotifications.findById(`${ws}:ann`).lean().exec();
  const idsOf = async (ws: string) => (await logOf(ws)).map((n) => n.id);
  const skipsOf = (ws: string) =>
    logged.filter((l) => l.workspaceId === ws && l.msg.startsWith('phase change skipped')).map((l) => [l.msg, l.seq]);

  it('records each phase change, most recent first, per workspace', async () => {
    const ws = testWorkspace();
    await publish(phaseChanged(ws, 1, 'PURCHASE'));
    await publish(phaseChanged(ws, 2, 'RETENTION'));

    await waitFor('the last change recorded', async () => (await idsOf(ws))[0] === 'ann~2');
    expect(await logOf(ws)).toEqual([
      { id: 'ann~2', event: 'PHASE_CHANGED', phase: 'RETENTION', channel: 'SUBSCRIPTION' },
      { id: 'ann~1', event: 'PHASE_CHANGED', phase: 'PURCHASE', channel: 'SUBSCRIPTION' },
    ]);
    expect(await logOf(testWorkspace())).toEqual([]);
  });

  it('records a phase change re-published outside the duplicate window (a new position) once, by its id', async () => {
    const ws = testWorkspace();
    const first = phaseChanged(ws, 1, 'PURCHASE');
    await publish(first);
    const again = await publish(first, `${messageIds.phaseChanged(ws, first.transitionId)}:outside-window`);
    // Sentinel: the next change of the contact, through the same partition.
    await publish(phaseChanged(ws, 2, 'RETENTION'));

    await waitFor('the sentinel recorded', async () => (await idsOf(ws))[0] === 'ann~2');
    expect(await idsOf(ws)).toEqual(['ann~2', 'ann~1']);
    expect(skipsOf(ws)).toEqual([['phase change skipped: its transition is recorded', again.seq]]);
  });

  it('skips a phase change JetStream redelivers after its writes, by its recorded position', async () => {
    const ws = testWorkspace();
    const change = phaseChanged(ws, 1, 'PURCHASE');
    // Given the recorder fails the batch holding this change right after writing it (before the ack)
    const armed = fault.failOnceAfterWrites({
      matches: (d) => d.event.workspaceId === ws,
      snapshot: () => logDoc(ws),
    });

    // When the change is published once, and JetStream gives it back
    await publish(change);
    const { failed, again, before } = await armed.redelivered();

    // Then the same stream message came back, flagged as redelivered
    const seq = failed[0]!.seq;
    expect(failed.map((d) => [d.seq, d.redelivered])).toEqual([[seq, false]]);
    expect(again.map((d) => [d.seq, d.redelivered])).toEqual([[seq, true]]);
    // to a log that had recorded its position, and it was skipped for that reason, leaving the log as it was
    expect(before).toMatchObject({ lastSeq: seq, notifications: [{ id: 'ann~1' }] });
    expect(skipsOf(ws)).toEqual([['phase change skipped: redelivered, its position is applied', seq]]);
    expect(await logDoc(ws)).toEqual(before);

    // Sentinel: the next change of the contact, through the same partition
    await publish(phaseChanged(ws, 2, 'RETENTION'));
    await waitFor('the sentinel recorded', async () => (await idsOf(ws))[0] === 'ann~2');
    expect(await idsOf(ws)).toEqual(['ann~2', 'ann~1']);
    expect(skipsOf(ws)).toHaveLength(1);
  });

  // Last: it restarts the service, so that the owner remembers nothing of the contact.
  it("records a phase change that wrongly calls itself the contact's first: the first write is refused, then applied to the stored log", async () => {
    const ws = testWorkspace();
    await publish({ ...phaseChanged(ws, 1, 'PURCHASE'), first: true });
    await waitFor('the first change recorded', async () => (await idsOf(ws))[0] === 'ann~1');
    await notification.stop();
    notification = await startNotification(config, log, { wrapHandler: fault.wrap });

    // A later change that says it is the contact's first: taken at its word, the log is not read
    await publish({ ...phaseChanged(ws, 2, 'RETENTION'), first: true });
    await publish(phaseChanged(ws, 3, 'EXIT'));
    await waitFor('the sentinel recorded', async () => (await idsOf(ws))[0] === 'ann~3');

    // and the database refused the log it would have created, so the change came back and was applied
    const refused = logged.filter((l) => {
      const { err, consumer } = l as { err?: { type?: string }; consumer?: string };
      return err?.type === 'StaleStateError' && /^notification-p\d+$/.test(consumer ?? '');
    });
    expect(refused.length).toBeGreaterThan(0);
    expect(await idsOf(ws)).toEqual(['ann~3', 'ann~2', 'ann~1']);
  });
});
