// What clients see of an error, on HTTP and WebSocket alike: a code from the
// contracts registry and a message that says what to fix — never a stack trace,
// never the text of an unexpected failure (that goes to the log, under the trace id
// the client is given). Also the one HTTP status rule for refusals.
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ERRORS, INTERNAL_MESSAGE, isErrorCode, type ErrorCode } from '@cei/contracts';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '@cei/config';
import type { GatewayContext } from './auth/operation-access';

export { INTERNAL_MESSAGE };

/** Apollo's request-level codes, in our registry's words. */
const APOLLO_CODES: Record<string, ErrorCode> = {
  GRAPHQL_PARSE_FAILED: 'BAD_USER_INPUT',
  GRAPHQL_VALIDATION_FAILED: 'BAD_USER_INPUT',
  BAD_REQUEST: 'BAD_USER_INPUT',
  OPERATION_RESOLUTION_FAILURE: 'BAD_USER_INPUT',
};

/** The registry code an error is reported with; anything unexpected is INTERNAL_SERVER_ERROR. */
export function publicCode(extensions: Record<string, unknown> | undefined, originalError: unknown): ErrorCode {
  // A subgraph that answered with a non-2xx status (e.g. 401: the internal secrets differ)
  // is the gateway's problem, whatever code Apollo derived from the status.
  if (extensions?.response !== undefined) return 'INTERNAL_SERVER_ERROR';
  // Apollo re-labels our validation errors (QUERY_TOO_DEEP, …) as GRAPHQL_VALIDATION_FAILED.
  const originalCode = originalError instanceof GraphQLError ? originalError.extensions.code : undefined;
  if (isErrorCode(originalCode)) return originalCode;
  const code = extensions?.code;
  // Apollo refuses a mutation sent with GET as BAD_REQUEST with status 405.
  if (code === 'BAD_REQUEST' && (extensions?.http as { status?: unknown } | undefined)?.status === 405) {
    return 'METHOD_NOT_ALLOWED';
  }
  const mapped = typeof code === 'string' ? (APOLLO_CODES[code] ?? code) : undefined;
  return isErrorCode(mapped) ? mapped : 'INTERNAL_SERVER_ERROR';
}

/**
 * Apollo's formatError (also used for graphql-ws errors). It only masks: unexpected
 * errors are logged where their request context is known (see `errorLoggingPlugin`).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const raw = error instanceof GraphQLError ? error : undefined;
  const code = publicCode(
    { ...formatted.extensions, ...(raw?.extensions.http ? { http: raw.extensions.http } : {}) },
    raw?.originalError,
  );
  if (code === 'INTERNAL_SERVER_ERROR') {
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
    http: _http,
    ...extensions
  } = formatted.extensions ?? {};
  return { ...formatted, extensions: { ...extensions, code } };
}

/** Gives every INTERNAL_SERVER_ERROR the trace id its cause was logged under. */
export function withTraceId(
  errors: readonly GraphQLFormattedError[],
  traceId: string | undefined,
): GraphQLFormattedError[] {
  return errors.map((error) =>
    traceId && error.extensions?.code === 'INTERNAL_SERVER_ERROR'
      ? { ...error, extensions: { ...error.extensions, traceId } }
      : error,
  );
}

/** Logs every error a client will only see as "internal error", with the caller's ids. */
export function errorLoggingPlugin(log: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async didEncounterErrors({ errors, operationName }) {
          // Typed as GraphQLErrors, but the gateway hands over raw fetch errors too.
          for (const error of errors as readonly Partial<GraphQLError>[]) {
            if (publicCode(error.extensions, error.originalError) !== 'INTERNAL_SERVER_ERROR') continue;
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

/** The HTTP status of a response refused as a whole: the first error's code decides. */
export function statusOfErrors(errors: readonly GraphQLFormattedError[]): number {
  const code = errors[0]?.extensions?.code;
  return isErrorCode(code) ? ERRORS[code].httpStatus : ERRORS.INTERNAL_SERVER_ERROR.httpStatus;
}

/**
 * The one status rule. A response without data — refused before execution (parse,
 * validation, limits, role) or whose execution produced nothing (`data: null`, e.g. a
 * non-null mutation field refused FORBIDDEN by its subgraph) — gets the status of its
 * first error's code. A response with data is 200, its field errors beside the data.
 * The same holds for /collect, which runs through here too. Also adds the trace id to
 * INTERNAL_SERVER_ERRORs.
 */
export const responseStatusPlugin: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        if (response.body.kind !== 'single') return;
        const result = response.body.singleResult;
        if (!result.errors?.length) return;
        const errors = withTraceId(result.errors, contextValue.caller?.traceId);
        response.body.singleResult = { ...result, errors };
        if (result.data === undefined || result.data === null) response.http.status = statusOfErrors(errors);
      },
    };
  },
};
