// Starts the lifecycle subgraph from the environment.
import { createLogger, runMain } from '@cei/config';
import { loadLifecycleConfig } from './config';
import { startLifecycle } from './server';

const config = loadLifecycleConfig();
const log = createLogger('lifecycle', config.LOG_LEVEL);
runMain(log, () => startLifecycle(config, log));
