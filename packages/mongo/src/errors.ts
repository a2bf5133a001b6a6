// Failures that say "the database is unavailable right now" rather than "this write is
// wrong", told apart by the driver's error classes: a consumer holds its batch and tries
// again instead of counting the failure against the events (see @cei/nats).
import {
  MongoClientClosedError,
  MongoDriverError,
  MongoNetworkError,
  MongoOperationTimeoutError,
  MongoServerClosedError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';

export function isDatabaseUnavailable(err: unknown): boolean {
  return (
    // Includes socket timeouts (MongoNetworkTimeoutError) and a pool cleared after one.
    err instanceof MongoNetworkError ||
    err instanceof MongoServerSelectionError ||
    err instanceof MongoOperationTimeoutError ||
    err instanceof MongoServerClosedError ||
    err instanceof MongoTopologyClosedError ||
    err instanceof MongoClientClosedError ||
    // No connection free within POOL_WAIT_TIMEOUT_MS: the driver does not export this class.
    (err instanceof MongoDriverError && err.name === 'WaitQueueTimeoutError')
  );
}
