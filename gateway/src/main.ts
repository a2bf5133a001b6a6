// Runs the gateway from the environment until SIGINT/SIGTERM.
import { configOrExit, createLogger } from '@cei/config';
import { loadGatewayConfig } from './config';
import { startGateway } from './server';

async function main(): Promise<void> {
  const config = configOrExit(() => loadGatewayConfig());
  const log = createLogger('gateway', config.LOG_LEVEL);
  const gateway = await startGateway(config, { log });
  log.info({ httpUrl: gateway.httpUrl, wsUrl: gateway.wsUrl }, 'gateway ready');
  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    gateway.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  // Config errors already say what to fix; print them as they are.
  console.error(err instanceof Error ? err.message : err);
  if (err instanceof Error && err.cause) console.error('cause:', err.cause);
  process.exit(1);
});
