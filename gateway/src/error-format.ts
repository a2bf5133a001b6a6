// What clients see of an error, on HTTP and WebSocket alike: a code from the
// contracts registry and a message that says what to fix — never a stack trace,
// never the text of an unexpected failure (that goes to the log).
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode, httpStatusOf } from '@cei/contracts';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '@cei/config';
import type { GatewayContext } from './auth/operation-access';

const REGISTRY = new Set<string>(Object.values(ErrorCode));

/** Apollo's request-level codes, in our registry's words. */
const APOLLO_CODES: Record<string, ErrorCode> = {
  GRAPHQL_PARSE_FAILED: 'BAD_USER_INPUT',
  GRAPHQL_VALIDATION_FAILED: 'BAD_USER_INPUT',
  BAD_REQUEST: 'BAD_USER_INPUT',
  OPERATION_RESOLUTION_FAILURE: 'BAD_USER_INPUT',
};

/** Codes Apollo clients act on by themselves; they pass unchanged. */
const PROTOCOL_CODES = new Set(['PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED']);

export const INTERNAL_MESSAGE = 'internal error; it has been logged';

/** The registry code an error is reported with; anything unexpected is INTERNAL_SERVER_ERROR. */
export function publicCode(extensions: Record<string, unknown> | undefined, originalError: unknown): string {
  // A subgraph that answered with a non-2xx status (e.g. 401: the internal secrets differ)
  // is the gateway's problem, whatever code Apollo derived from the status.
  if (extensions?.response !== undefined) return ErrorCode.INTERNAL;
  // Apollo re-labels our validation errors (QUERY_TOO_DEEP) as GRAPHQL_VALIDATION_FAILED.
  const originalCode = originalError instanceof GraphQLError ? originalError.extensions.code : undefined;
  if (typeof originalCode === 'string' && REGISTRY.has(originalCode)) return originalCode;
  const code = String(extensions?.code ?? ErrorCode.INTERNAL);
  const mapped = APOLLO_CODES[code] ?? code;
  return REGISTRY.has(mapped) || PROTOCOL_CODES.has(mapped) ? mapped : ErrorCode.INTERNAL;
}

/**
 * Apollo's formatError (also used for graphql-ws errors). It only masks: unexpected
 * errors are logged where their request context is known (see `errorLoggingPlugin`).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = publicCode(formatted.extensions, error instanceof GraphQLError ? error.originalError : undefined);
  if (PROTOCOL_CODES.has(code)) return formatted;
  if (code === ErrorCode.INTERNAL) {
    // The failing subgraph's name helps an operator and tells an attacker nothing.
    const serviceName = formatted.extensions?.serviceName;
    return {
      message: INTERNAL_MESSAGE,
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code, ...(typeof serviceName === 'string' ? { serviceName } : {}) },
    };
  }
  const {
    stacktrace: _stacktrace,
    exception: _exception,
    response: _response,
    ...extensions
  } = formatted.extensions ?? {};
  return { ...formatted, extensions: { ...extensions, code } };
}

/** Logs every error a client will only see as "internal error", with the caller's ids. */
export function errorLoggingPlugin(log: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async didEncounterErrors({ errors, operationName }) {
          // Typed as GraphQLErrors, but the gateway hands over raw fetch errors too.
          for (const error of errors as readonly Partial<GraphQLError>[]) {
            if (publicCode(error.extensions, error.originalError) !== ErrorCode.INTERNAL) continue;
            log.error(
              {
                err: error.originalError ?? error,
                path: error.path,
                operationName,
                workspaceId: contextValue.caller?.workspaceId,
                traceId: contextValue.caller?.traceId,
              },
              'request failed',
            );
          }
        },
      };
    },
  };
}

export type ErrorFormatter = typeof formatError;

/** The HTTP status of a response that failed as a whole: the first error's code decides. */
export function statusOfErrors(errors: readonly GraphQLFormattedError[]): number {
  const code = errors[0]?.extensions?.code;
  return typeof code === 'string' && code in httpStatusOf ? httpStatusOf[code as ErrorCode] : 500;
}
