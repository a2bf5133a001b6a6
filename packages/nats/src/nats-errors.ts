// NATS failures recognised by what nats.js gives us to recognise them by: the
// JetStream API's `err_code` (JetStreamApiError.code) and the error classes of
// @nats-io/nats-core. Never by message text, which servers and clients reword.
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import { errors } from '@nats-io/nats-core';

/**
 * JetStream API error codes we act on (nats-server `jetstream_errors_generated.go`),
 * beside those nats.js exports as `JetStreamApiCodes`.
 */
export const JetStreamErrorCodes = {
  ...JetStreamApiCodes,
  /** A consumer of that name exists with another configuration (create, not update). */
  ConsumerAlreadyExists: 10148,
  /** Two creates of one consumer raced, and the other one registered it first. */
  ConsumerNameExists: 10013,
  /** A stream of that name exists with another configuration. */
  StreamNameExists: 10058,
} as const;

export function jetStreamErrorCode(err: unknown): number | undefined {
  return err instanceof JetStreamApiError ? err.code : undefined;
}

export function isStreamNotFound(err: unknown): boolean {
  return jetStreamErrorCode(err) === JetStreamErrorCodes.StreamNotFound;
}

/** Creating the consumer failed because it exists already (created by another instance or an older version). */
export function isConsumerExists(err: unknown): boolean {
  const code = jetStreamErrorCode(err);
  return code === JetStreamErrorCodes.ConsumerAlreadyExists || code === JetStreamErrorCodes.ConsumerNameExists;
}

export function isStreamExists(err: unknown): boolean {
  return jetStreamErrorCode(err) === JetStreamErrorCodes.StreamNameExists;
}

/** A publish whose `expect` (last subject sequence) did not hold: someone wrote that subject first. */
export function isWrongLastSequence(err: unknown): boolean {
  const code = jetStreamErrorCode(err);
  return (
    code === JetStreamErrorCodes.StreamWrongLastSequence || code === JetStreamErrorCodes.StreamWrongLastSequenceUnknown
  );
}

/**
 * The connection or the server did not answer in time (or not at all): worth trying
 * again later, unlike an API error, which says the request itself is wrong.
 */
export function isNatsUnavailable(err: unknown): boolean {
  return (
    err instanceof errors.TimeoutError ||
    err instanceof errors.NoRespondersError ||
    err instanceof errors.ConnectionError ||
    err instanceof errors.ClosedConnectionError ||
    err instanceof errors.DrainingConnectionError ||
    err instanceof errors.RequestError
  );
}
