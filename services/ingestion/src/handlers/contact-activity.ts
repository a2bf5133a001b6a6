// Keeps each contact's identity and activity up to date from its interactions.
// This consumer is the one writer of contact documents (per-contact partition):
// it reads the batch's contacts by _id, applies the events it has not applied
// yet (by stream position) and writes each contact once.
import { contactKey, InteractionRecordedV1, type InteractionRecorded } from '@cei/contracts';
import { loadByIds, type Database } from '@cei/mongo';
import { writeAll, NOT_ABANDONED, type BatchContext, type Delivery } from '@cei/nats';
import type { ContactDoc, IngestionModels } from '../models';

export function decodeInteraction(data: Uint8Array): InteractionRecorded {
  return InteractionRecordedV1.parse(JSON.parse(Buffer.from(data).toString('utf8')));
}

export function createContactActivityHandler(db: Database, models: IngestionModels) {
  return async function applyContactActivity(
    batch: Delivery<InteractionRecorded>[],
    _partition: number,
    { signal }: BatchContext = NOT_ABANDONED,
  ): Promise<void> {
    const keys = batch.map(({ event }) => contactKey(event.workspaceId, event.contactId));
    const contacts = await loadByIds(db, models.Contact, keys);
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
      (contact) => models.Contact.replaceOne({ _id: contact._id }, contact, { upsert: true }).exec(),
      { signal },
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
