// Every error code a client can see (`extensions.code`), defined once: what it means,
// the HTTP status of a request refused with it, and the builder that makes the
// GraphQLError (after apollographql/federation's internals-js/src/error.ts).
// Problems with input fields travel in one shape: `extensions.fields: [{ path, message }]`.
import { GraphQLError, type ASTNode } from 'graphql';

/** One wrong input field: `path` as the client wrote it (`input.when.predicates[1].value`). */
export interface FieldProblem {
  path: string;
  message: string;
}

export interface ErrorOptions {
  /** The input fields to fix, each with its own message. */
  fields?: readonly FieldProblem[];
  /** Machine-readable details a client may act on (a limit, a size); never internal state. */
  extensions?: Record<string, unknown>;
  /** What went wrong underneath, for the server's log; never serialized to a client. */
  cause?: unknown;
  nodes?: ASTNode | readonly ASTNode[];
}

export interface ErrorCodeDefinition<C extends string = string> {
  code: C;
  /** When the code is used (the README's table is this text). */
  description: string;
  /** The status of an HTTP response refused as a whole with this code. */
  httpStatus: number;
  err(message: string, options?: ErrorOptions): GraphQLError;
}

function makeCodeDefinition<C extends string>(
  code: C,
  httpStatus: number,
  description: string,
): ErrorCodeDefinition<C> {
  return {
    code,
    description,
    httpStatus,
    err: (message, options = {}) =>
      new GraphQLError(message, {
        nodes: options.nodes,
        originalError: options.cause instanceof Error ? options.cause : undefined,
        extensions: {
          ...options.extensions,
          code,
          ...(options.fields ? { fields: options.fields.map(({ path, message }) => ({ path, message })) } : {}),
        },
      }),
  };
}

export const ERRORS = {
  UNAUTHENTICATED: makeCodeDefinition(
    'UNAUTHENTICATED',
    401,
    'No API key, an unknown, revoked or expired one, or one of a suspended workspace, or (between gateway and subgraphs) a missing or invalid signed context.',
  ),
  FORBIDDEN: makeCodeDefinition(
    'FORBIDDEN',
    403,
    "The API key's role may not do this: a read key running a mutation, a write key an admin operation.",
  ),
  BAD_USER_INPUT: makeCodeDefinition(
    'BAD_USER_INPUT',
    400,
    'The request does not parse or validate, or an argument is wrong; `fields` names each input field to fix.',
  ),
  BATCH_TOO_LARGE: makeCodeDefinition(
    'BATCH_TOO_LARGE',
    400,
    'More interactions in one trackInteractions call than MAX_BATCH_SIZE (`limit`, `size`).',
  ),
  PAYLOAD_TOO_LARGE: makeCodeDefinition('PAYLOAD_TOO_LARGE', 413, 'The request body is larger than MAX_BODY_BYTES.'),
  QUERY_TOO_DEEP: makeCodeDefinition(
    'QUERY_TOO_DEEP',
    400,
    'The operation nests fields deeper than MAX_QUERY_DEPTH (`maxDepth`, `depth`).',
  ),
  QUERY_TOO_COMPLEX: makeCodeDefinition(
    'QUERY_TOO_COMPLEX',
    400,
    'The operation costs more than MAX_QUERY_COST (objects 2, scalars 1, ×1.5 per level; `maxCost`).',
  ),
  TOO_MANY_ALIASES: makeCodeDefinition(
    'TOO_MANY_ALIASES',
    400,
    'The operation uses more aliases than MAX_QUERY_ALIASES (`maxAliases`).',
  ),
  TOO_MANY_DIRECTIVES: makeCodeDefinition(
    'TOO_MANY_DIRECTIVES',
    400,
    'The operation uses more directives than MAX_QUERY_DIRECTIVES (`maxDirectives`).',
  ),
  TOO_MANY_TOKENS: makeCodeDefinition(
    'TOO_MANY_TOKENS',
    400,
    'The document has more tokens than MAX_QUERY_TOKENS (`maxTokens`); checked before it is parsed.',
  ),
  METHOD_NOT_ALLOWED: makeCodeDefinition('METHOD_NOT_ALLOWED', 405, 'A method the path does not serve (GET /collect).'),
  NOT_FOUND: makeCodeDefinition(
    'NOT_FOUND',
    404,
    "What the request names does not exist in the caller's workspace (a rule, a path, a subscription's payload).",
  ),
  CONFLICT: makeCodeDefinition(
    'CONFLICT',
    409,
    'Someone else changed the same thing meanwhile (a rule edited concurrently): read it again and retry.',
  ),
  PERSISTED_QUERY_NOT_FOUND: makeCodeDefinition(
    'PERSISTED_QUERY_NOT_FOUND',
    200,
    'Automatic persisted queries: the hash is unknown; Apollo clients resend the full query by themselves.',
  ),
  PERSISTED_QUERY_NOT_SUPPORTED: makeCodeDefinition(
    'PERSISTED_QUERY_NOT_SUPPORTED',
    200,
    'Automatic persisted queries are not supported on this path; Apollo clients resend the full query.',
  ),
  REPLAY_WINDOW_EXCEEDED: makeCodeDefinition(
    'REPLAY_WINDOW_EXCEEDED',
    410,
    'A subscription resumed `after` an event older than the replay window (24 h or 10,000 events): subscribe without `after`.',
  ),
  SERVICE_UNAVAILABLE: makeCodeDefinition(
    'SERVICE_UNAVAILABLE',
    503,
    'The gateway has not loaded the graph yet (just started): retry shortly.',
  ),
  INTERNAL_SERVER_ERROR: makeCodeDefinition(
    'INTERNAL_SERVER_ERROR',
    500,
    'Anything unexpected. The client sees a generic message and `traceId`; the cause is logged with that trace id.',
  ),
} as const;

export type ErrorCode = keyof typeof ERRORS;

export const ERROR_CODES: readonly ErrorCode[] = Object.keys(ERRORS) as ErrorCode[];

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(ERRORS, code);
}

/** The one message an unexpected failure shows a client; its cause goes to the log. */
export const INTERNAL_MESSAGE = 'internal error; it has been logged with the trace id';

/** BAD_USER_INPUT naming every wrong field at once (the message lists them too, for humans). */
export function invalidFields(fields: readonly FieldProblem[]): GraphQLError {
  return ERRORS.BAD_USER_INPUT.err(fields.map(({ path, message }) => `${path}: ${message}`).join('; '), { fields });
}

/** A GraphQL-shaped error body for failures before GraphQL runs (auth, size, JSON). */
export function errorBody(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): string {
  return JSON.stringify({ errors: [{ message, extensions: { ...extensions, code } }] });
}
