// Group commit for the accept path: the calls that arrive while a write is in flight share
// the next one. Each call still gets its own outbox entry (the sweeper's rule needs an
// entry's time to be its interactions' `recordedAt`), but the entries of a group go in one
// insertMany and their interactions in another, so two commands store a whole group where
// each call alone took two. A call that finds a lane free is written at once: no timer, no
// added wait when traffic is light; under load the groups grow by themselves.
import type { InteractionRecorded } from '@cei/contracts';
import { appendNew } from '@cei/mongo';
import type { mongo } from 'mongoose';
import type { IngestionModels, InteractionDoc, OutboxDoc } from '../models';
import type { OutboxEntryRef } from './publisher';

export interface StoredCall {
  /** Indexes (into the call's events) of interactions that were stored before: duplicates. */
  duplicates: Set<number>;
}

export interface BatchWriter {
  /** Stores one call's outbox entry, then its interactions (as part of a group). */
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

export function createBatchWriter(
  models: IngestionModels,
  toDoc: (event: InteractionRecorded) => InteractionDoc,
): BatchWriter {
  const waiting: Waiting[] = [];
  let lanes = 0;

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
          interactionIds: events.map((event) => event.interactionId),
          createdAt: entry.createdAt,
        })),
      );
      const duplicates = await appendNew(
        models.Interaction,
        group.flatMap(({ events }) => events.map(toDoc)),
      );
      let offset = 0;
      for (const call of group) {
        const mine = new Set<number>();
        for (let i = 0; i < call.events.length; i++) if (duplicates.has(offset + i)) mine.add(i);
        offset += call.events.length;
        call.resolve({ duplicates: mine });
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
