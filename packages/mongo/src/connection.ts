// Opens a service's own database. Detects FerretDB (it answers buildInfo with a
// `ferretdbVersion`), because a few query shapes must differ there (DESIGN.md rule 3).
import mongoose, { type Connection } from 'mongoose';
import pLimit from 'p-limit';
import { withoutCredentials } from '@cei/config';

export interface Database {
  connection: Connection;
  /** True on FerretDB: `$in` is a full scan there, so batches fetch one `_id` per command. */
  isFerretDB: boolean;
  /**
   * Runs an operation when one of the pool's connections is likely free: at most pool-size
   * operations of the limited kind at a time. A consumer's batch may hold hundreds of reads
   * or writes and sixteen partitions run at once; left to the driver, they would queue for
   * a connection and those at the back would give up after POOL_WAIT_TIMEOUT_MS as if the
   * database were down. Here they wait their turn instead. With `signal` (a consumer batch's
   * abandonment), an operation whose turn comes after it fired is not started: it rejects
   * with the signal's reason.
   */
  limit<T>(operation: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  close(): Promise<void>;
}

/**
 * Connections per process. FerretDB v1 serves every client from one backend pool
 * (PostgreSQL: 50) and holds a pool connection for the whole of some commands, so
 * the sum over all processes must stay below it: 5 processes × 8 = 40.
 */
export const DEFAULT_POOL_SIZE = 8;

/**
 * How long one operation may take on its socket, and wait for a pooled connection.
 * Together (25 s) they stay below the partitioned consumer's ack wait (30 s,
 * packages/nats): a write a consumer started before it abandoned a batch has ended,
 * done or failed, before JetStream can give that batch to another instance.
 */
export const SOCKET_TIMEOUT_MS = 15_000;
export const POOL_WAIT_TIMEOUT_MS = 10_000;

export async function connectDatabase(url: string, dbName: string, poolSize = DEFAULT_POOL_SIZE): Promise<Database> {
  const connection = mongoose.createConnection(url, {
    dbName,
    maxPoolSize: poolSize,
    // A wedged FerretDB never answers; fail the operation instead of hanging forever,
    // and early enough for the consumers' ack wait (see SOCKET_TIMEOUT_MS).
    socketTimeoutMS: SOCKET_TIMEOUT_MS,
    waitQueueTimeoutMS: POOL_WAIT_TIMEOUT_MS,
    serverSelectionTimeoutMS: 10_000,
    autoIndex: true,
  });
  try {
    await connection.asPromise();
  } catch (err) {
    throw new Error(`cannot connect to the database at ${withoutCredentials(url)}: start one or set MONGO_URL`, {
      cause: err,
    });
  }
  const info = await connection.db!.admin().command({ buildInfo: 1 });
  let closed: Promise<void> | undefined;
  const limit = pLimit(poolSize);
  return {
    connection,
    isFerretDB: typeof info.ferretdbVersion === 'string' || info.ferretdb !== undefined,
    limit: (operation, signal) =>
      limit(() => {
        signal?.throwIfAborted();
        return operation();
      }),
    close: () => (closed ??= connection.close()),
  };
}
