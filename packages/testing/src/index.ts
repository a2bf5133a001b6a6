// The test harness that starts real servers: NATS (JetStream) and a
// MongoDB-compatible database, for integration and end-to-end tests.
export { startFerretDB, startNats, startPostgres } from './servers';
export type { FerretDBOptions, PostgresOptions, RunningServer } from './servers';
export { FERRETDB_POSTGRES_SETTINGS, ferretdbTuningEnabled, prepareForFerretDB } from './ferretdb-postgres';
export * from './postgres-statements';
export { startInfrastructure } from './infrastructure';
export type { Infrastructure } from './infrastructure';
export * from './clients';
export { freePort } from './readiness';
export * from './nats-probe';
export * from './partitions';
export * from './redelivery';
export * from './smtp-sink';
export * from './log-sink';
