// Runs a service's main: starts it, stops it once on SIGINT/SIGTERM, exits 1 with
// a readable message when it cannot start.
import type { Logger } from './logger';

export interface Stoppable {
  stop(): Promise<void>;
}

export function runMain(log: Logger, start: () => Promise<Stoppable>): void {
  start().then(
    (service) => {
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        log.info({ signal }, 'stopping');
        service.stop().then(
          () => process.exit(0),
          (err) => {
            log.error({ err }, 'stop failed');
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', () => shutdown('SIGINT'));
      process.on('SIGTERM', () => shutdown('SIGTERM'));
    },
    (err: Error) => {
      log.fatal({ err }, `cannot start: ${err.message}`);
      process.exit(1);
    },
  );
}
