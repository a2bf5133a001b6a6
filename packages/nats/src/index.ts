// NATS wiring shared by every service: connection, streams, publishing with a
// message id, and the partitioned consumer that gives each contact one writer.
export * from './connection';
export * from './streams';
export * from './publish';
export * from './partitioned-consumer';
