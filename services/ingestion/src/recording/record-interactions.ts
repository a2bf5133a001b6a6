// The first hop of an interaction: trackInteractions → validated → stored → published.
// Order matters for "nothing lost, nothing twice" without transactions:
//   0. how the batch's interactions will go out is planned: which alone, which packed with other
//      contacts' (publication-plan.ts), so that the request and the sweeper publish the same packs;
//   1. one outbox entry for the batch is inserted, naming its interactions and its packs (so a crash
//      from here on is swept: the sweeper publishes those the batch stored, by their `recordedAt`);
//   2. the interactions are appended in one insertMany under their deterministic ids (a
//      duplicate is refused by the unique index and answered DUPLICATE);
//   (1 and 2 are shared with the calls that arrive meanwhile: batch-writer.ts)
//   3. the request answers; the accepted events are published in the background with their
//      message ids (publisher.ts), and the outbox entry is removed once they all went out.
// The plan comes before the entry because a pack's message id names the entry and its index: a
// pack the sweeper made otherwise than the request did would put its members in the stream twice.
// The outbox entry cannot ride in the append: without transactions a second collection is the
// only place a sweeper finds unpublished interactions without scanning the interactions.
// Contacts are not written here: the contact projector is their one writer (it creates a
// contact from its first interaction). A second writer here wedged FerretDB under load.
import { randomUUID } from 'node:crypto';
import type { InteractionKind, InteractionRecorded } from '@cei/contracts';
import type { IngestionModels, InteractionDoc } from '../models';
import { validateInteraction, type InteractionInput } from '../domain/validate-interaction';
import type { InteractionPublisher } from './publisher';
import { planPublication } from './publication-plan';
import type { BatchWriter } from './batch-writer';
import type { ContactAliases } from './contact-aliases';

export type ReceiptStatus = 'ACCEPTED' | 'DUPLICATE' | 'REJECTED';

export interface InteractionReceipt {
  index: number;
  id: string;
  status: ReceiptStatus;
  reason: string | null;
}

export interface RecordingDeps {
  models: IngestionModels;
  publisher: InteractionPublisher;
  /** Stores the outbox entry and the interactions, sharing round trips with concurrent calls. */
  writer: BatchWriter;
  aliases: ContactAliases;
  now?: () => Date;
}

export async function recordInteractions(
  deps: RecordingDeps,
  workspaceId: string,
  inputs: readonly InteractionInput[],
  opts: { byCei?: boolean } = {},
): Promise<InteractionReceipt[]> {
  const now = deps.now?.() ?? new Date();
  const receipts: InteractionReceipt[] = inputs.map((input, index) => ({
    index,
    id: String(input.id ?? ''),
    status: 'REJECTED',
    reason: null,
  }));

  const candidates: { index: number; event: InteractionRecorded }[] = [];
  const seenInBatch = new Set<string>();
  inputs.forEach((input, index) => {
    const validated = validateInteraction(input, workspaceId, now, opts);
    if (!validated.ok) {
      receipts[index]!.reason = validated.reason;
    } else if (seenInBatch.has(validated.event.interactionId)) {
      receipts[index]!.status = 'DUPLICATE';
    } else {
      seenInBatch.add(validated.event.interactionId);
      candidates.push({ index, event: validated.event });
    }
  });
  if (candidates.length === 0) return receipts;
  // An id merged into another contact: what arrives for it now is the survivor's (contacts/merge-contacts.ts).
  const survivors = await deps.aliases.survivorsOf(
    workspaceId,
    candidates.filter(({ event }) => event.kind !== 'CONTACT_MERGED').map(({ event }) => event.contactId),
  );
  for (const candidate of candidates) {
    const survivor = survivors.get(candidate.event.contactId);
    if (survivor && candidate.event.kind !== 'CONTACT_MERGED') {
      candidate.event = { ...candidate.event, contactId: survivor };
    }
  }

  const events = candidates.map(({ event }) => event);
  const entry = {
    id: `${workspaceId}:${randomUUID()}`,
    createdAt: now,
    // Routed by what the publisher knows now: what it took to the projector is in the stream before
    // anything of this call, whoever publishes it and when.
    plan: planPublication(events, (event) => deps.publisher.routeOf(event)),
  };
  // The sweeper tells what this call stored from what a duplicate stored earlier by the entry's time.
  const { duplicates, firsts } = await deps.writer.store(entry, workspaceId, events);
  candidates.forEach(({ index }, i) => (receipts[index]!.status = duplicates.has(i) ? 'DUPLICATE' : 'ACCEPTED'));

  deps.publisher.publishBatch(
    entry,
    // A contact's first accepted interaction says so: its consumers need not look for its state.
    candidates.flatMap(({ event }, i) =>
      duplicates.has(i) ? [] : [firsts.has(i) ? { ...event, first: true } : event],
    ),
  );
  return receipts;
}

export function interactionKey(workspaceId: string, interactionId: string): string {
  return `${workspaceId}:${interactionId}`;
}

export function toInteractionDoc(event: InteractionRecorded): InteractionDoc {
  return {
    _id: interactionKey(event.workspaceId, event.interactionId),
    workspaceId: event.workspaceId,
    interactionId: event.interactionId,
    contactId: event.contactId,
    email: event.email,
    kind: event.kind,
    variant: event.variant,
    occurredAt: new Date(event.occurredAt),
    recordedAt: new Date(event.recordedAt),
    properties: event.properties,
  };
}

/** The event a stored interaction was published as (the sweeper publishes from what is stored). */
export function eventOf(doc: InteractionDoc): InteractionRecorded {
  return {
    v: 1,
    workspaceId: doc.workspaceId,
    interactionId: doc.interactionId,
    contactId: doc.contactId,
    email: doc.email,
    kind: doc.kind as InteractionKind,
    variant: doc.variant,
    occurredAt: doc.occurredAt.toISOString(),
    recordedAt: doc.recordedAt.toISOString(),
    properties: doc.properties,
  };
}
