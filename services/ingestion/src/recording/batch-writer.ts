// Group commit for the accept path: the calls that arrive while a write is in flight share
// the next one. Each call still gets its own outbox entry (the sweeper's rule needs an
// entry's time to be its interactions' `recordedAt`), but the entries of a group go in one
// insertMany and their interactions in another, so two commands store a whole group where
// each call alone took two. A third, for contacts this process has not seen yet, records them
// in `contacts_seen` and tells which interactions are their contact's first (a hint the
// consumers use to skip looking for state that cannot exist). A call that finds a lane free is
// written at once: no timer, no added wait when traffic is light; under load the groups grow
// by themselves.
import { contactKey, type InteractionRecorded } from '@cei/contracts';
import { appendNew } from '@cei/mongo';
import { LRUCache } from 'lru-cache';
import type { mongo } from 'mongoose';
import type { IngestionModels, InteractionDoc, OutboxDoc } from '../models';
import type { OutboxEntryRef } from './publisher';

export interface StoredCall {
  /** Indexes (into the call's events) of interactions that were stored before: duplicates. */
  duplicates: Set<number>;
  /**
   * Indexes of interactions that are their contact's first accepted one (InteractionRecorded.first):
   * the group's earliest new interaction of each contact whose `contacts_seen` entry it created.
   */
  firsts: Set<number>;
}

export interface BatchWriter {
  /** Stores one call's outbox entry (with its plan, if it has one), then its interactions (as part of a group). */
  store(entry: OutboxEntryRef, workspaceId: string, events: readonly InteractionRecorded[]): Promise<StoredCall>;
}

interface Waiting {
  entry: OutboxEntryRef;
  workspaceId: string;
  events: readonly InteractionRecorded[];
  resolve(stored: StoredCall): void;
  reject(err: unknown): void;
}

/** Interactions per group (one insertMany chunk), and groups written at once (about the accept pool). */
export const GROUP_MAX_INTERACTIONS = 1_000;
export const GROUP_LANES = 2;
/** Contacts this process knows have a `contacts_seen` entry: their interactions are not first ones. */
const SEEN_CONTACTS_KEPT = 100_000;

export function createBatchWriter(
  models: IngestionModels,
  toDoc: (event: InteractionRecorded) => InteractionDoc,
): BatchWriter {
  const waiting: Waiting[] = [];
  let lanes = 0;
  const seen = new LRUCache<string, true>({ max: SEEN_CONTACTS_KEPT });

  /**
   * The indexes (into `events`) of the first interaction of each contact that had no
   * `contacts_seen` entry: one insert for the group's contacts not known to this process, whose
   * refused duplicates are those seen before (by any instance). Only a hint for the consumers: if
   * the insert fails, the interactions go out without it.
   */
  async function firstsOf(events: readonly InteractionRecorded[]): Promise<Set<number>> {
    const firstIndex = new Map<string, number>();
    events.forEach((event, i) => {
      const key = contactKey(event.workspaceId, event.contactId);
      if (!seen.has(key) && !firstIndex.has(key)) firstIndex.set(key, i);
    });
    if (firstIndex.size === 0) return new Set();
    const keys = [...firstIndex.keys()];
    let existed: Set<number>;
    try {
      existed = await appendNew(
        models.ContactSeen,
        keys.map((key) => ({ _id: key, workspaceId: events[firstIndex.get(key)!]!.workspaceId })),
      );
    } catch {
      return new Set();
    }
    for (const key of keys) seen.set(key, true);
    return new Set(keys.flatMap((key, k) => (existed.has(k) ? [] : [firstIndex.get(key)!])));
  }

  async function lane(): Promise<void> {
    lanes++;
    try {
      while (waiting.length > 0) {
        let size = 0;
        let calls = 0;
        while (
          calls < waiting.length &&
          (calls === 0 || size + waiting[calls]!.events.length <= GROUP_MAX_INTERACTIONS)
        ) {
          size += waiting[calls]!.events.length;
          calls++;
        }
        await write(waiting.splice(0, calls));
      }
    } finally {
      lanes--;
    }
  }

  async function write(group: Waiting[]): Promise<void> {
    try {
      // The driver's collection: the documents are complete, mongoose has nothing to cast or default.
      await (models.Outbox.collection as unknown as mongo.Collection<OutboxDoc>).insertMany(
        group.map(({ entry, workspaceId, events }) => ({
          _id: entry.id,
          workspaceId,
          interactionIds: entry.plan?.interactionIds ?? events.map((event) => event.interactionId),
          ...(entry.plan?.packs && { packs: entry.plan.packs }),
          createdAt: entry.createdAt,
        })),
      );
      const events = group.flatMap((call) => call.events);
      // The contacts_seen insert runs beside the interactions' (one round trip less per group on
      // the request's path): a mark needs only the contact to be new. A marked interaction that
      // turns out a duplicate is never published, so its mark goes with it; the contact's later
      // interactions in the group then go unmarked, and their consumers read (the hint is only that).
      const [duplicates, marked] = await Promise.all([
        appendNew(models.Interaction, events.map(toDoc)),
        firstsOf(events),
      ]);
      const firsts = new Set([...marked].filter((i) => !duplicates.has(i)));
      let offset = 0;
      for (const call of group) {
        const mine = { duplicates: new Set<number>(), firsts: new Set<number>() };
        for (let i = 0; i < call.events.length; i++) {
          if (duplicates.has(offset + i)) mine.duplicates.add(i);
          if (firsts.has(offset + i)) mine.firsts.add(i);
        }
        offset += call.events.length;
        call.resolve(mine);
      }
    } catch (err) {
      // Every call of the group fails as it would alone; entries already written are the sweeper's.
      for (const call of group) call.reject(err);
    }
  }

  return {
    store(entry, workspaceId, events) {
      return new Promise<StoredCall>((resolve, reject) => {
        waiting.push({ entry, workspaceId, events, resolve, reject });
        if (lanes < GROUP_LANES) void lane();
      });
    },
  };
}
