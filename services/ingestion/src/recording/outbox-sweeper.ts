// Publishes what a crash or a NATS outage left in the outbox: entries older than the grace, whose
// request let go of them. Each entry names its batch's interactions and its packs; those the batch
// stored (their `recordedAt` is the entry's time) are published from what is stored, in the messages
// the request would have made of them (messagesOf); the others were never stored (the crash came
// before the append: the sender got no ACCEPTED and retries) or were a duplicate stored and
// published by an earlier batch. Every instance sweeps; message ids make double publishes harmless.
// The outbox is one small entry per batch in flight, so its scan is cheap.
import type { Logger } from '@cei/config';
import { loadByIds, type Database } from '@cei/mongo';
import type { IngestionModels, InteractionDoc, OutboxDoc } from '../models';
import type { InteractionPublisher } from './publisher';
import { eventOf, interactionKey } from './record-interactions';
import { messagesOf, remainderOf, type PublicationPlan } from './publication-plan';

/** Entries per pass (each up to a batch of interactions). */
const ENTRIES_PER_PASS = 20;

export interface OutboxSweeperDeps {
  db: Database;
  models: IngestionModels;
  publisher: InteractionPublisher;
  log: Logger;
  intervalMs: number;
  /** Entries younger than this may still be in the hands of the request that wrote them. */
  graceMs: number;
  now?: () => Date;
}

export interface OutboxSweeper {
  start(): void;
  stop(): Promise<void>;
  /** One pass; returns how many interactions it published. Exposed for tests and the run command. */
  sweepOnce(): Promise<number>;
}

/** An entry written before batches had one entry each: one interaction, its event as a string. */
interface SingleInteractionEntry {
  _id: string;
  payload: string;
  createdAt: Date;
}

export function createOutboxSweeper(deps: OutboxSweeperDeps): OutboxSweeper {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  const { Outbox, Interaction } = deps.models;

  async function sweepEntry(entry: OutboxDoc | SingleInteractionEntry): Promise<number> {
    const { workspaceId, ...plan } = 'payload' in entry ? singleOf(entry) : planOf(entry);
    // By `_id` (one command per id on FerretDB, where `$in` scans), taking turns for the pool;
    // published in the entry's order, which keeps each contact's in the order its request stored them.
    const keys = plan.interactionIds.map((id) => interactionKey(workspaceId, id));
    const stored = await loadByIds(deps.db, Interaction, keys);
    const kept = new Map(
      keys
        .map((key) => stored.get(key))
        .filter((doc): doc is InteractionDoc => doc?.recordedAt.getTime() === entry.createdAt.getTime())
        .map((doc) => [doc.interactionId, eventOf(doc)]),
    );
    const failed = await deps.publisher.publish(messagesOf({ id: entry._id, ...plan }, kept));
    if (failed.length === 0) await Outbox.deleteOne({ _id: entry._id }).exec();
    else if (failed.length < plan.interactionIds.length) {
      await Outbox.updateOne({ _id: entry._id }, { $set: remainderOf(plan, failed) }).exec();
    }
    const published = kept.size - failed.length;
    deps.log.info(
      { entry: entry._id, published, failed: failed.length, skipped: plan.interactionIds.length - kept.size },
      'outbox entry swept',
    );
    return published;
  }

  async function sweepOnce(): Promise<number> {
    const now = deps.now?.() ?? new Date();
    const stale = (await Outbox.find({ createdAt: { $lt: new Date(now.getTime() - deps.graceMs) } })
      .limit(ENTRIES_PER_PASS)
      .lean()
      .exec()) as (OutboxDoc | SingleInteractionEntry)[];
    let published = 0;
    for (const entry of stale) published += await sweepEntry(entry);
    return published;
  }

  return {
    start() {
      timer ??= setInterval(() => {
        // A pass slower than the interval (a slow database, NATS down) is not overtaken by the next.
        running ??= sweepOnce()
          .catch((err) => deps.log.error({ err }, 'outbox sweep failed; the next pass tries again'))
          .finally(() => (running = undefined));
      }, deps.intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
    sweepOnce,
  };
}

type SweptPlan = PublicationPlan & { workspaceId: string };

function planOf({ workspaceId, interactionIds, packs }: OutboxDoc): SweptPlan {
  return packs ? { workspaceId, interactionIds, packs } : { workspaceId, interactionIds };
}

function singleOf(entry: SingleInteractionEntry): SweptPlan {
  const { workspaceId, interactionId } = JSON.parse(entry.payload) as { workspaceId: string; interactionId: string };
  return { workspaceId, interactionIds: [interactionId] };
}
