// Starts the scoring subgraph from the environment.
import { createLogger, runMain } from '@cei/config';
import { loadScoringConfig } from './config';
import { startScoring } from './server';

const config = loadScoringConfig();
const log = createLogger('scoring', config.LOG_LEVEL);
runMain(log, () => startScoring(config, log));
