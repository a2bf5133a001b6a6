// Database wiring shared by every service: one connection per service database,
// the FerretDB-aware batch lookup by id, and workspace-scoped filters.
export * from './connection';
export * from './load-by-ids';
export * from './tenant';
export * from './append';
