// Keeps each contact's identity and activity up to date from its interactions.
// This consumer is the one writer of contact documents (per-contact partition):
// it reads the batch's contacts (as it last wrote them, or by _id), applies the events
// it has not applied yet (by stream position) and writes each contact once, fenced by
// its stored position.
import { contactKey, InteractionRecordedV1, type InteractionRecorded } from '@cei/contracts';
import { loadByIds, replaceAtPosition, type Database } from '@cei/mongo';
import { OwnedState, writeAll, NOT_ABANDONED, type BatchContext, type Delivery } from '@cei/nats';
import type { ContactDoc, IngestionModels } from '../models';

export function decodeInteraction(data: Uint8Array): InteractionRecorded {
  return InteractionRecordedV1.parse(JSON.parse(Buffer.from(data).toString('utf8')));
}

export function createContactActivityHandler(db: Database, models: IngestionModels, stateCacheContacts: number) {
  const owned = new OwnedState<ContactDoc>({
    max: stateCacheContacts,
    load: (keys) => loadByIds(db, models.Contact, keys),
  });
  return async function applyContactActivity(
    batch: Delivery<InteractionRecorded>[],
    _partition: number,
    context: BatchContext = NOT_ABANDONED,
  ): Promise<void> {
    const { signal } = context;
    const keys = batch.map(({ event }) => contactKey(event.workspaceId, event.contactId));
    const contacts = await owned.read(keys, context);
    const changed = new Map<string, ContactDoc>();
    batch.forEach(({ event, seq }, i) => {
      const key = keys[i]!;
      const contact = changed.get(key) ?? contacts.get(key) ?? newContact(event);
      if (seq <= contact.lastSeq) return; // redelivered: already applied
      const occurredAt = new Date(event.occurredAt);
      changed.set(key, {
        ...contact,
        email: event.email ?? contact.email,
        interactionCount: contact.interactionCount + 1,
        lastInteractionAt:
          contact.lastInteractionAt && contact.lastInteractionAt > occurredAt ? contact.lastInteractionAt : occurredAt,
        lastSeq: seq,
      });
    });
    // Distinct documents in parallel: safe on FerretDB; one update per command (rule 4).
    await writeAll(
      changed.values(),
      async (contact) => {
        await replaceAtPosition(models.Contact, contact, contacts.get(contact._id)?.lastSeq ?? 0);
        owned.written(contact._id, contact, context);
      },
      { signal, limit: db.limit },
    );
  };
}

function newContact(event: InteractionRecorded): ContactDoc {
  return {
    _id: contactKey(event.workspaceId, event.contactId),
    workspaceId: event.workspaceId,
    contactId: event.contactId,
    email: event.email,
    firstSeenAt: new Date(event.recordedAt),
    lastInteractionAt: null,
    interactionCount: 0,
    lastSeq: 0,
  };
}
