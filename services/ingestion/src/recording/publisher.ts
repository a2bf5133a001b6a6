// Publishes recorded interactions to JetStream off the request path: a request answers once
// its batch is stored, and this process keeps at most MAX_IN_FLIGHT publish acks outstanding,
// taking batches in the order they were stored (so a contact's events reach the stream in that
// order). The outbox entry a batch wrote first is what makes this safe: it is removed only once
// every event is confirmed, and until then the sweeper publishes what a crash or an outage left.
// Message ids make a second publish of an event within the stream's window a no-op.
// Each event goes out under the verb that says who needs it (interactionRoute): a visit or click of
// a contact that an earlier publish of this process already took to the contact projector goes to
// scoring alone. Such an earlier publish was acknowledged, so it is before it in the stream: the
// projector has a contact's document made from it, whatever instance published what since.
import { LRUCache } from 'lru-cache';
import pLimit from 'p-limit';
import { contactKey, interactionRoute, type InteractionRecorded, type Topology } from '@cei/contracts';
import { publishInteraction, type Nats } from '@cei/nats';
import type { Logger } from '@cei/config';
import type { IngestionModels } from '../models';

/** Outstanding acks per process: enough to keep JetStream busy, few enough to bound memory. */
const MAX_IN_FLIGHT = 256;
/** Events waiting for a slot; beyond this a batch is left to the sweeper instead of queued. */
const MAX_QUEUED = 20_000;
/** After stop(), queued events still get this long to go out; the sweeper takes the rest. */
const STOP_GRACE_MS = 5_000;
/** Contacts remembered as known to the contact projector (one forgotten is sent to it once more). */
const PROJECTED_CONTACTS_KEPT = 100_000;

export interface PublisherDeps {
  models: IngestionModels;
  nats: Nats;
  topology: Topology;
  log: Logger;
  /** The sweeper takes outbox entries older than this; the publisher lets go of them well before. */
  outboxGraceMs: number;
}

/** An outbox entry written for a batch (see record-interactions.ts). */
export interface OutboxEntryRef {
  id: string;
  createdAt: Date;
}

export interface InteractionPublisher {
  /**
   * Publishes a stored batch's accepted events in the background; then removes its outbox entry,
   * or trims it to the events that failed. Never throws and never waits.
   */
  publishBatch(entry: OutboxEntryRef, events: InteractionRecorded[]): void;
  /** Publishes now, within the same in-flight bound (the sweeper); resolves with the ids that failed. */
  publish(events: InteractionRecorded[], until?: number): Promise<string[]>;
  /** Lets queued events go out for a moment, leaves the rest to the sweeper, waits for the outbox writes. */
  stop(): Promise<void>;
}

export function createInteractionPublisher(deps: PublisherDeps): InteractionPublisher {
  const { models, nats, topology, log } = deps;
  const limit = pLimit(MAX_IN_FLIGHT);
  // A request lets go of its entry at half the grace: a publish it starts then (10 s timeout at most)
  // ends before the sweeper may take the entry, so the two rarely publish the same batch.
  const ownedForMs = deps.outboxGraceMs / 2;
  const running = new Set<Promise<void>>();
  let stopAt = Infinity;
  let lastOverflowLog = 0;
  /** Contacts an interaction of which this process published to the contact projector (acknowledged). */
  const projected = new LRUCache<string, true>({ max: PROJECTED_CONTACTS_KEPT });

  async function publishOne(event: InteractionRecorded): Promise<void> {
    const key = contactKey(event.workspaceId, event.contactId);
    const route = interactionRoute(event, projected.has(key));
    await publishInteraction(nats.js, topology, event, undefined, route);
    if (route !== 'recorded') projected.set(key, true);
  }

  /** Publishes each event unless `until` (or the stop deadline) passed before its turn came. */
  async function publish(events: InteractionRecorded[], until = Infinity): Promise<string[]> {
    let firstError: unknown;
    const outcomes = await Promise.all(
      events.map((event) =>
        limit(async () => {
          if (Date.now() > Math.min(until, stopAt)) return false;
          try {
            await publishOne(event);
            return true;
          } catch (err) {
            firstError ??= err;
            return false;
          }
        }),
      ),
    );
    const failed = events.filter((_, i) => !outcomes[i]).map((event) => event.interactionId);
    // One line per batch, not per event: with NATS down, every event of every batch fails alike.
    if (firstError !== undefined) {
      log.warn(
        { err: firstError, failed: failed.length, of: events.length },
        'publish failed; the outbox sweeper retries it',
      );
    } else if (failed.length > 0) {
      log.warn(
        { left: failed.length, of: events.length },
        'publishing fell behind; the outbox sweeper publishes the rest',
      );
    }
    return failed;
  }

  function track(work: Promise<void>): void {
    running.add(work);
    void work.finally(() => running.delete(work));
  }

  return {
    publishBatch(entry, events) {
      const { Outbox } = models;
      if (events.length === 0) {
        track(
          Outbox.deleteOne({ _id: entry.id })
            .exec()
            .then(
              () => undefined,
              (err: unknown) => log.warn({ err }, 'outbox cleanup failed; the sweeper drops it'),
            ),
        );
        return;
      }
      if (limit.pendingCount + events.length > MAX_QUEUED) {
        if (Date.now() - lastOverflowLog > 10_000) {
          lastOverflowLog = Date.now();
          log.warn({ queued: limit.pendingCount }, 'publish queue full; the outbox sweeper publishes the overflow');
        }
        return;
      }
      track(
        (async () => {
          const failed = await publish(events, entry.createdAt.getTime() + ownedForMs);
          if (failed.length === 0) {
            await Outbox.deleteOne({ _id: entry.id }).exec();
          } else if (failed.length < events.length) {
            // What went out must not go out again after the stream's duplicate window.
            await Outbox.updateOne({ _id: entry.id }, { $set: { interactionIds: failed } }).exec();
          }
        })().catch((err: unknown) =>
          log.warn({ err, entry: entry.id }, 'outbox update failed; the sweeper publishes the batch again'),
        ),
      );
    },
    publish,
    async stop() {
      stopAt = Math.min(stopAt, Date.now() + STOP_GRACE_MS);
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
