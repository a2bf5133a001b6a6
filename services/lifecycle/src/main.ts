// Starts the lifecycle subgraph from the environment.
import { configOrExit, createLogger, runMain } from '@cei/config';
import { loadLifecycleConfig } from './config';
import { startLifecycle } from './server';

const config = configOrExit(() => loadLifecycleConfig());
const log = createLogger('lifecycle', config.LOG_LEVEL);
runMain(log, () => startLifecycle(config, log));
