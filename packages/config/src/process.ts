// Runs a service's main: starts it, stops it once on SIGINT/SIGTERM (also when the signal comes while
// it is still starting), exits 1 with a readable message when it cannot start or cannot stop in time.
import type { Logger } from './logger';

export interface Stoppable {
  stop(): Promise<void>;
}

/**
 * How long a stop may take before the process exits anyway: above a consumer's drain (10 s), below the
 * run command's SIGKILL (20 s) and Kubernetes' grace period (30 s), so a stuck stop is logged, not killed.
 */
export const STOP_DEADLINE_MS = 15_000;

export function runMain(log: Logger, start: () => Promise<Stoppable>, stopDeadlineMs = STOP_DEADLINE_MS): void {
  // Started on the next microtask, once the handlers below listen: without a handler, a signal
  // during the start would kill the process outright, mid-write.
  const started = Promise.resolve().then(start);
  let stopRequested = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopRequested) return log.info({ signal }, 'already stopping');
    stopRequested = true;
    log.info({ signal }, 'stopping');
    setTimeout(() => {
      log.error({ deadlineMs: stopDeadlineMs }, `not stopped within ${stopDeadlineMs / 1000} s; exiting anyway`);
      process.exit(1);
    }, stopDeadlineMs);
    started
      .then((service) => service.stop())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          log.error({ err }, 'stop failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  started.catch((err: Error) => {
    log.fatal({ err }, `cannot start: ${err.message}`);
    process.exit(1);
  });
}
