// Starts the notification subgraph from the environment.
import { configOrExit, createLogger, runMain } from '@cei/config';
import { loadNotificationConfig } from './config';
import { startNotification } from './server';

const config = configOrExit(() => loadNotificationConfig());
const log = createLogger('notification', config.LOG_LEVEL);
runMain(log, () => startNotification(config, log));
