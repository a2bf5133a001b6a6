// The first hop of an interaction: trackInteractions → validated → stored → published.
// Order matters for "nothing lost, nothing twice" without transactions:
//   1. the outbox entry is inserted (so a crash from here on is swept and published),
//   2. the interaction is appended under its deterministic id (a duplicate is refused),
//   3. the event is published with its message id; its outbox entry is deleted in
//      the background (a crash before that re-publishes it, and the stream drops the copy).
// Contacts are not written here: the contact projector is their one writer (it
// creates a contact from its first interaction). A second writer here wedged
// FerretDB under load (row locks of the insert against the projector's upserts).
import { messageIds, type InteractionRecorded, type Topology } from '@cei/contracts';
import { appendNew } from '@cei/mongo';
import { publishEvent, type Nats } from '@cei/nats';
import type { Logger } from '@cei/config';
import type { IngestionModels, InteractionDoc, OutboxDoc } from '../models';
import { validateInteraction, type InteractionInput } from '../domain/validate-interaction';

export type ReceiptStatus = 'ACCEPTED' | 'DUPLICATE' | 'REJECTED';

export interface InteractionReceipt {
  index: number;
  id: string;
  status: ReceiptStatus;
  reason: string | null;
}

export interface RecordingDeps {
  models: IngestionModels;
  nats: Nats;
  topology: Topology;
  log: Logger;
  /** Removes outbox entries that are done with, in the background (see outbox-sweeper.ts). */
  forgetOutboxEntries(ids: string[]): void;
  now?: () => Date;
}

export async function recordInteractions(
  deps: RecordingDeps,
  workspaceId: string,
  inputs: readonly InteractionInput[],
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
    const validated = validateInteraction(input, workspaceId, now);
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

  const outbox: OutboxDoc[] = candidates.map(({ event }) => ({
    _id: contactlessKey(event),
    subject: deps.topology.subjects.interactionRecorded(event.workspaceId, event.contactId),
    msgId: messageIds.interactionRecorded(event.workspaceId, event.interactionId),
    payload: JSON.stringify(event),
    createdAt: now,
  }));
  // An outbox entry that already exists belongs to an earlier submit still in flight
  // (or crashed); the sweeper owns it, so this call must not delete it.
  const alreadyPending = await appendNew(deps.models.Outbox, outbox);

  const stored = await appendNew(
    deps.models.Interaction,
    candidates.map(({ event }) => toInteractionDoc(event)),
  );
  const acceptedOutbox = outbox.filter((_, i) => !stored.has(i));
  candidates.forEach(({ index }, i) => (receipts[index]!.status = stored.has(i) ? 'DUPLICATE' : 'ACCEPTED'));

  const published = await publishAll(deps, acceptedOutbox);
  const finished = [
    ...published,
    ...candidates.filter((_, i) => stored.has(i) && !alreadyPending.has(i)).map((c) => contactlessKey(c.event)),
  ];
  deps.forgetOutboxEntries(finished);
  return receipts;
}

/** Publishes outbox entries; returns the ids that made it (the rest stay for the sweeper). */
export async function publishAll(deps: RecordingDeps, entries: OutboxDoc[]): Promise<string[]> {
  const results = await Promise.allSettled(
    entries.map((entry) => publishEvent(deps.nats.js, entry.subject, JSON.parse(entry.payload), entry.msgId)),
  );
  const published: string[] = [];
  const failed: string[] = [];
  let firstError: unknown;
  results.forEach((result, i) => {
    if (result.status === 'fulfilled') published.push(entries[i]!._id);
    else {
      firstError ??= result.reason;
      failed.push(entries[i]!._id);
    }
  });
  // One line per call, not per entry: with NATS down, every entry of every batch fails alike.
  if (failed.length > 0) {
    deps.log.warn(
      { err: firstError, failed: failed.length, of: entries.length, first: failed[0] },
      'publish failed; the outbox sweeper retries it',
    );
  }
  return published;
}

function contactlessKey(event: InteractionRecorded): string {
  return `${event.workspaceId}:${event.interactionId}`;
}

function toInteractionDoc(event: InteractionRecorded): InteractionDoc {
  return {
    _id: contactlessKey(event),
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
