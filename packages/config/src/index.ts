// How a CEI process is configured and reports: typed environment loading (the only
// place that reads process.env) and structured JSON logs.
export * from './env';
export * from './logger';
export * from './process';
