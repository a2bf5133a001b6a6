// Keeps each contact's identity and traits up to date from its interactions.
// This consumer is the one writer of contact documents (per-contact partition):
// it reads the batch's contacts (as it last wrote them, or by _id), applies the events
// it has not applied yet (by stream position) and writes each contact the batch changed
// once, fenced by its stored position. Most interactions change nothing here: a contact is
// written when it is created, when an interaction gives it a new email, and by IDENTIFY and
// merges. Counting interactions is scoring's (Contact.interactionCount), in the document it
// rewrites per batch anyway; counted here, every interaction cost a third contact write
// (issue 9). An unwritten interaction leaves the stored position behind it, so a replay applies
// it again, changing nothing again. Before the write, what the batch adds beside the contact is
// appended under deterministic ids (trait changes `<contact>:t:<n>`, accounts an IDENTIFY
// names), so a batch replayed after a crash appends the same documents and the database
// refuses the second copies.
import { CONTACT_EVENT_KINDS, contactKey, type InteractionRecorded } from '@cei/contracts';
import { appendNew, loadByIds, writeAtPosition, type Database } from '@cei/mongo';
import {
  firstDeliveries,
  groupByContact,
  OwnedState,
  writeAll,
  NOT_ABANDONED,
  type BatchContext,
  type Delivery,
} from '@cei/nats';
import type { AccountDoc, ContactDoc, IngestionModels, TraitChangeDoc } from '../models';
import { applyContactEvent, type ContactEventEffects } from '../domain/contact-events';

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
    // A contact whose interaction is, on the accept's word, its first has no document to read
    // (InteractionRecorded.first; a wrong word is refused by the fenced creation).
    const unwritten = firstDeliveries(groupByContact(batch), (event) => event.first === true);
    const contacts = await owned.read(keys, context, unwritten);
    // A merge folds in the merged-away contact as its own owner last wrote it (read only).
    const mergedAway = await loadByIds(
      db,
      models.Contact,
      batch.flatMap(({ event }) =>
        event.kind === 'CONTACT_MERGED' ? [contactKey(event.workspaceId, String(event.properties.from))] : [],
      ),
    );
    const changed = new Map<string, ContactDoc>();
    const effects: ContactEventEffects = { traitChanges: [], accounts: [] };
    batch.forEach(({ event, seq }, i) => {
      const key = keys[i]!;
      const stored = contacts.get(key);
      const contact = changed.get(key) ?? stored ?? newContact(event);
      if (seq <= contact.lastSeq) return; // redelivered: already applied
      if (CONTACT_EVENT_KINDS.has(event.kind)) {
        const from =
          event.kind === 'CONTACT_MERGED'
            ? (mergedAway.get(contactKey(event.workspaceId, String(event.properties.from))) ?? null)
            : null;
        changed.set(key, { ...applyContactEvent(contact, event, from, effects), lastSeq: seq });
        return;
      }
      const email = event.email ?? contact.email;
      // Stored, not written by this batch, and no new email: nothing to write.
      if (stored && !changed.has(key) && email === contact.email) return;
      changed.set(key, { ...contact, email, lastSeq: seq });
    });
    // Appends first (a replay appends the same ids: refused), then the contacts that count them.
    await appendNew<TraitChangeDoc>(models.TraitChange, effects.traitChanges);
    await appendNew<AccountDoc>(models.Account, dedupe(effects.accounts));
    // Distinct documents in parallel: safe on FerretDB; one update per command (rule 4).
    await writeAll(
      changed.values(),
      async (contact) => {
        await writeAtPosition(db, models.Contact, contact, contacts.get(contact._id)?.lastSeq ?? 0, signal);
        owned.written(contact._id, contact, context);
      },
      { signal },
    );
  };
}

/** The first IDENTIFY naming an account creates it; later ones never overwrite it (saveAccount does). */
function dedupe(accounts: AccountDoc[]): AccountDoc[] {
  const first = new Map<string, AccountDoc>();
  for (const account of accounts) if (!first.has(account._id)) first.set(account._id, account);
  return [...first.values()];
}

function newContact(event: InteractionRecorded): ContactDoc {
  return {
    _id: contactKey(event.workspaceId, event.contactId),
    workspaceId: event.workspaceId,
    contactId: event.contactId,
    email: event.email,
    firstSeenAt: new Date(event.recordedAt),
    lastSeq: 0,
    traits: [],
    accountId: null,
    traitChanges: 0,
    mergedFrom: [],
  };
}
