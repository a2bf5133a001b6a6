// The contracts every CEI process agrees on: subjects, streams, event payloads,
// domain enums, error codes and the gateway→subgraph internal context.
export * from './domain';
export * from './subjects';
export * from './event-json';
export * from './events';
export * from './sales-events';
export * from './notification-events';
export * from './errors';
export * from './internal-context';
export * from './trend-periods';
