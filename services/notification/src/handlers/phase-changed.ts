// The notification hop: phase changed → recorded in the contact's notification log.
// Live subscribers are pushed by the gateways straight from NATS; this log is what
// an automation service reads back, and the seam where webhook deliveries will go.
import type { Logger } from '@cei/config';
import { contactKey, type PhaseChanged } from '@cei/contracts';
import { loadByIds, writeAtPosition, type Database } from '@cei/mongo';
import {
  firstDeliveries,
  groupByContact,
  OwnedState,
  writeAll,
  NOT_ABANDONED,
  type BatchContext,
  type Delivery,
} from '@cei/nats';
import { LOG_KEPT, type ContactNotificationsDoc, type NotificationModels } from '../models';

export function createPhaseChangeRecorder(
  db: Database,
  models: NotificationModels,
  log: Logger,
  stateCacheContacts: number,
) {
  // The logs as this owner last wrote them (see OwnedState); the rest are read by _id.
  const logs = new OwnedState<ContactNotificationsDoc>({
    max: stateCacheContacts,
    load: (keys) => loadByIds(db, models.ContactNotifications, keys),
  });
  return async function recordPhaseChanges(
    batch: Delivery<PhaseChanged>[],
    _partition: number,
    context: BatchContext = NOT_ABANDONED,
  ): Promise<void> {
    const { signal } = context;
    const keys = batch.map(({ event }) => contactKey(event.workspaceId, event.contactId));
    // A contact's first lifecycle event ever: it has no log yet, so it is not looked for.
    const docs = await logs.read(
      keys,
      context,
      firstDeliveries(groupByContact(batch), (event) => event.first === true),
    );
    const changed = new Map<string, ContactNotificationsDoc>();
    batch.forEach(({ event, seq }, i) => {
      const key = keys[i]!;
      const doc = changed.get(key) ??
        docs.get(key) ?? {
          _id: key,
          workspaceId: event.workspaceId,
          contactId: event.contactId,
          notifications: [],
          lastSeq: 0,
        };
      const { workspaceId, contactId, transitionId } = event;
      if (seq <= doc.lastSeq) {
        log.debug({ workspaceId, contactId, seq }, 'phase change skipped: redelivered, its position is applied');
        return;
      }
      if (doc.notifications.some((n) => n.id === transitionId)) {
        // Re-published outside the duplicate window: a new position, the same transition.
        log.debug({ workspaceId, contactId, seq, transitionId }, 'phase change skipped: its transition is recorded');
        return;
      }
      const entry = {
        id: event.transitionId,
        event: 'PHASE_CHANGED' as const,
        phase: event.to,
        at: new Date(event.at),
        channel: 'SUBSCRIPTION' as const,
      };
      changed.set(key, { ...doc, notifications: [entry, ...doc.notifications].slice(0, LOG_KEPT), lastSeq: seq });
    });
    // Each log once, only if still at the position it was read at (see writeAtPosition).
    await writeAll(
      changed.values(),
      async (doc) => {
        await writeAtPosition(db, models.ContactNotifications, doc, docs.get(doc._id)?.lastSeq ?? 0, signal);
        logs.written(doc._id, doc, context);
      },
      { signal },
    );
  };
}
