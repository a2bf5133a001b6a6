// Database wiring shared by every service: one connection per service database,
// the FerretDB-aware batch lookup by id, workspace-scoped filters, which failures
// mean the database is unavailable, and background jobs that outlive their instance.
export * from './connection';
export * from './load-by-ids';
export * from './tenant';
export * from './append';
export * from './errors';
export * from './positioned-write';
export * from './delete-shared';
export * from './leased-jobs';
