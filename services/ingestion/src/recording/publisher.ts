// Publishes recorded interactions to JetStream off the request path: a request answers once
// its batch is stored, and this process keeps at most MAX_IN_FLIGHT publish acks outstanding,
// taking batches in the order they were stored (so a contact's events reach the stream in that
// order). The outbox entry a batch wrote first is what makes this safe: it is removed only once
// every message is confirmed, and until then the sweeper publishes what a crash or an outage left.
// Message ids make a second publish of a message within the stream's window a no-op.
// Each event goes out under the verb that says who needs it (interactionRoute): a visit or click of
// a contact that an earlier publish of this process already took to the contact projector goes to
// scoring alone. Such an earlier publish was acknowledged, so it is before it in the stream: the
// projector has a contact's document made from it, whatever instance published what since. Those
// for scoring alone go out packed, as the call's plan says (publication-plan.ts).
import { LRUCache } from 'lru-cache';
import pLimit from 'p-limit';
import {
  contactKey,
  INTERACTIONS_HEADER,
  interactionRoute,
  type InteractionRecorded,
  type InteractionRoute,
  type InteractionsRecorded,
  type Topology,
} from '@cei/contracts';
import { deleteShared } from '@cei/mongo';
import { publishEvent, publishInteraction, type Nats } from '@cei/nats';
import type { Logger } from '@cei/config';
import type { IngestionModels } from '../models';
import { eventsOf, messagesOf, remainderOf, type InteractionMessage, type PublicationPlan } from './publication-plan';

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
  /** How its interactions go out; without one, each alone in the batch's order. */
  plan?: PublicationPlan;
}

export interface InteractionPublisher {
  /**
   * The verb an event would go out under now, as this process knows its contact: the accept path
   * plans its packs with it (the `recorded` ones) before it writes its outbox entry.
   */
  routeOf(event: InteractionRecorded): InteractionRoute;
  /**
   * Publishes a stored batch's accepted events in the background; then removes its outbox entry,
   * or trims it to the messages that failed. Never throws and never waits.
   */
  publishBatch(entry: OutboxEntryRef, events: InteractionRecorded[]): void;
  /**
   * Publishes now, in order, within the same in-flight bound (the sweeper); resolves with the ids of
   * the interactions whose message failed.
   */
  publish(messages: InteractionMessage[], until?: number): Promise<string[]>;
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
  /** Events in messages waiting for a slot (a pack holds many). */
  let queued = 0;
  /** Contacts an interaction of which this process published to the contact projector (acknowledged). */
  const projected = new LRUCache<string, true>({ max: PROJECTED_CONTACTS_KEPT });

  const routeOf = (event: InteractionRecorded): InteractionRoute =>
    interactionRoute(event, projected.has(contactKey(event.workspaceId, event.contactId)));

  async function publishOne(event: InteractionRecorded, planned?: InteractionRoute): Promise<void> {
    const route = planned ?? routeOf(event);
    await publishInteraction(nats.js, topology, event, undefined, route);
    if (route !== 'recorded') projected.set(contactKey(event.workspaceId, event.contactId), true);
  }

  /** A pack goes to its partition (its members all have the one) under its planned verb. */
  async function publishPack(msgId: string, route: InteractionRoute, events: InteractionRecorded[]): Promise<void> {
    const { workspaceId, contactId } = events[0]!;
    const pack: InteractionsRecorded = { v: 1, workspaceId, interactions: events };
    const subject = topology.subjects.interactionRecorded(workspaceId, contactId, route);
    await publishEvent(nats.js, subject, pack, msgId, { [INTERACTIONS_HEADER]: String(events.length) });
    if (route !== 'recorded') {
      for (const event of events) projected.set(contactKey(event.workspaceId, event.contactId), true);
    }
  }

  /** Publishes each message unless `until` (or the stop deadline) passed before its turn came. */
  async function publish(messages: InteractionMessage[], until = Infinity): Promise<string[]> {
    let firstError: unknown;
    const outcomes = await Promise.all(
      messages.map((message) => {
        const size = message.kind === 'pack' ? message.events.length : 1;
        queued += size;
        return limit(async () => {
          queued -= size;
          if (Date.now() > Math.min(until, stopAt)) return false;
          try {
            if (message.kind === 'pack') await publishPack(message.msgId, message.route, message.events);
            else await publishOne(message.event, message.route);
            return true;
          } catch (err) {
            firstError ??= err;
            return false;
          }
        });
      }),
    );
    const failed = messages.filter((_, i) => !outcomes[i]).flatMap((message) => eventsOf(message));
    const of = messages.reduce((sum, message) => sum + eventsOf(message).length, 0);
    // One line per batch, not per message: with NATS down, every message of every batch fails alike.
    if (firstError !== undefined) {
      log.warn({ err: firstError, failed: failed.length, of }, 'publish failed; the outbox sweeper retries it');
    } else if (failed.length > 0) {
      log.warn({ left: failed.length, of }, 'publishing fell behind; the outbox sweeper publishes the rest');
    }
    return failed.map((event) => event.interactionId);
  }

  function track(work: Promise<void>): void {
    running.add(work);
    void work.finally(() => running.delete(work));
  }

  return {
    routeOf,
    publishBatch(entry, events) {
      const { Outbox } = models;
      if (events.length === 0) {
        track(
          deleteShared(Outbox, entry.id).catch((err: unknown) =>
            log.warn({ err }, 'outbox cleanup failed; the sweeper drops it'),
          ),
        );
        return;
      }
      if (queued + events.length > MAX_QUEUED) {
        if (Date.now() - lastOverflowLog > 10_000) {
          lastOverflowLog = Date.now();
          log.warn({ queued }, 'publish queue full; the outbox sweeper publishes the overflow');
        }
        return;
      }
      // The sweeper makes the same messages of the entry from what is stored (messagesOf).
      const plan = entry.plan ?? { interactionIds: events.map((event) => event.interactionId) };
      const messages = messagesOf({ id: entry.id, ...plan }, new Map(events.map((e) => [e.interactionId, e])));
      track(
        (async () => {
          const failed = await publish(messages, entry.createdAt.getTime() + ownedForMs);
          if (failed.length === 0) {
            // Shared with the removals that come meanwhile: a burst of one-interaction calls is one command.
            await deleteShared(Outbox, entry.id);
          } else if (failed.length < events.length) {
            // What went out must not go out again after the stream's duplicate window.
            await Outbox.updateOne({ _id: entry.id }, { $set: remainderOf(plan, failed) }).exec();
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
