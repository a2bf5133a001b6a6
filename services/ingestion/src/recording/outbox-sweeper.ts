// Publishes what a crash left in the outbox. An entry whose interaction was never
// stored (the crash came between the two inserts) is dropped: its sender got no
// ACCEPTED and retries. Every instance sweeps; message ids make double publishes harmless.
import type { Logger } from '@cei/config';
import type { IngestionModels } from '../models';
import { publishAll, type RecordingDeps } from './record-interactions';

/** An entry younger than this may still be in the hands of the request that wrote it. */
const GRACE_MS = 10_000;
const BATCH = 500;

export interface OutboxSweeper {
  start(): void;
  stop(): Promise<void>;
  /** One pass; returns how many entries it published. Exposed for tests and the run command. */
  sweepOnce(): Promise<number>;
}

/**
 * Deletes outbox entries in the background, many per command: the request path
 * does not wait for it. Entries not yet deleted when a process dies are swept
 * (published again and dropped by their message id).
 */
export function createOutboxCleaner(models: IngestionModels, log: Logger) {
  const pending: string[] = [];
  let running: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    running = running.then(async () => {
      const ids = pending.splice(0, 1000);
      if (ids.length === 0) return;
      await models.Outbox.deleteMany({ _id: { $in: ids } })
        .exec()
        .catch((err: unknown) =>
          log.warn({ err, entries: ids.length }, 'outbox cleanup failed; the sweeper will finish it'),
        );
      if (pending.length > 0) await flush();
    });
    return running;
  };
  return {
    forget(ids: string[]): void {
      if (ids.length === 0) return;
      const idle = pending.length === 0;
      pending.push(...ids);
      if (idle) void flush();
    },
    /** Resolves when every entry handed over so far is deleted (or its deletion failed). */
    drain: () => flush(),
  };
}

export function createOutboxSweeper(deps: RecordingDeps & { intervalMs: number; log: Logger }): OutboxSweeper {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  const { Outbox, Interaction } = deps.models;

  async function sweepOnce(): Promise<number> {
    const now = deps.now?.() ?? new Date();
    const stale = await Outbox.find({ createdAt: { $lt: new Date(now.getTime() - GRACE_MS) } })
      .limit(BATCH)
      .lean()
      .exec();
    if (stale.length === 0) return 0;
    const stored = await Promise.all(stale.map((entry) => Interaction.exists({ _id: entry._id }).exec()));
    const orphans = stale.filter((_, i) => !stored[i]).map((entry) => entry._id);
    const published = await publishAll(
      deps,
      stale.filter((_, i) => stored[i]),
    );
    const done = [...orphans, ...published];
    if (done.length > 0) await Outbox.deleteMany({ _id: { $in: done } }).exec();
    if (published.length > 0 || orphans.length > 0) {
      deps.log.info({ published: published.length, dropped: orphans.length }, 'outbox swept');
    }
    return published.length;
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
