// Starts the ingestion subgraph from the environment.
import { configOrExit, createLogger, runMain } from '@cei/config';
import { loadIngestionConfig } from './config';
import { startIngestion } from './server';

const config = configOrExit(() => loadIngestionConfig());
const log = createLogger('ingestion', config.LOG_LEVEL);
runMain(log, () => startIngestion(config, log));
