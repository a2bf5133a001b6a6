// Starts the scoring subgraph from the environment.
import { configOrExit, createLogger, runMain } from '@cei/config';
import { loadScoringConfig } from './config';
import { startScoring } from './server';

const config = configOrExit(() => loadScoringConfig());
const log = createLogger('scoring', config.LOG_LEVEL);
runMain(log, () => startScoring(config, log));
