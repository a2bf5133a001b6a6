// Notification against real NATS and a real MongoDB-compatible server: phase
// changes land in the contact's notification log once, however often delivered.
import { connectNats, publishEvent, type Nats } from '@cei/nats';
import { messageIds, partitionOf, topology, type PhaseChanged } from '@cei/contracts';
import { callSubgraph, serviceEnv, testNamespace, testWorkspace, waitFor } from '@cei/testing';
import { loadNotificationConfig } from './config';
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

  beforeAll(async () => {
    notification = await startNotification(config);
    nats = await connectNats(config.NATS_URL, 'notification-test');
  });
  afterAll(async () => {
    await nats?.close();
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

  it('records each phase change once, most recent first, per workspace', async () => {
    const ws = testWorkspace();
    const first = phaseChanged(ws, 1, 'PURCHASE');
    const subject = ns.subjects.phaseChanged(ws, 'ann');
    await publishEvent(nats.js, subject, first, messageIds.phaseChanged(ws, first.transitionId));
    await publishEvent(nats.js, subject, first, `${messageIds.phaseChanged(ws, first.transitionId)}:redelivered`);
    await publishEvent(nats.js, subject, phaseChanged(ws, 2, 'RETENTION'), messageIds.phaseChanged(ws, 'ann~2'));

    await waitFor('all delivered and acknowledged', async () => {
      const info = await nats.jsm.consumers.info(ns.streams.phases.name, `notification-p${partitionOf(ws, 'ann')}`);
      return info.num_pending === 0 && info.num_ack_pending === 0 && info.delivered.stream_seq >= 3;
    });
    expect(await logOf(ws)).toEqual([
      { id: 'ann~2', event: 'PHASE_CHANGED', phase: 'RETENTION', channel: 'SUBSCRIPTION' },
      { id: 'ann~1', event: 'PHASE_CHANGED', phase: 'PURCHASE', channel: 'SUBSCRIPTION' },
    ]);
    expect(await logOf(testWorkspace())).toEqual([]);
  });
});
