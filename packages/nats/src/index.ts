// NATS wiring shared by every service: connection, streams, publishing with a
// message id, the partitioned consumer that gives each contact one writer, and the
// dead letters it keeps of events it gave up on.
export * from './connection';
export * from './streams';
export * from './publish';
export * from './partitioned-consumer';
export * from './dead-letters';
export * from './nats-errors';
export * from './owned-state';
export * from './config-versions';
