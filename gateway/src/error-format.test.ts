import { GraphQLError } from 'graphql';
import { formatError, INTERNAL_MESSAGE, statusOfErrors, withTraceId } from './error-format';

describe('formatError', () => {
  it('masks unexpected errors, keeping only the failing subgraph’s name', () => {
    const error = new GraphQLError('connect ECONNREFUSED 10.0.0.7:4003', {
      extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'lifecycle', stacktrace: ['at x'] },
    });

    expect(formatError(error.toJSON(), error)).toEqual({
      message: INTERNAL_MESSAGE,
      extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'lifecycle' },
    });
  });

  it('masks a subgraph that refused the gateway itself (non-2xx), whatever code Apollo derived', () => {
    const error = new GraphQLError('401: Unauthorized', {
      extensions: {
        code: 'UNAUTHENTICATED',
        serviceName: 'scoring',
        response: { url: 'http://10.0.0.8/graphql', status: 401 },
      },
    });

    expect(formatError(error.toJSON(), error).extensions).toEqual({
      code: 'INTERNAL_SERVER_ERROR',
      serviceName: 'scoring',
    });
  });

  it('passes errors with a registry code through, without stack traces', () => {
    const error = new GraphQLError('at most 500 interactions per batch', {
      extensions: { code: 'BATCH_TOO_LARGE', serviceName: 'ingestion', stacktrace: ['at y'] },
    });

    expect(formatError(error.toJSON(), error)).toEqual({
      message: 'at most 500 interactions per batch',
      extensions: { code: 'BATCH_TOO_LARGE', serviceName: 'ingestion' },
    });
  });

  it('reports Apollo’s parse and validation failures as BAD_USER_INPUT, and our own rules by their code', () => {
    const validation = new GraphQLError('Cannot query field "nope"', {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    const tooDeep = new GraphQLError('nested 12 levels deep', {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      originalError: new GraphQLError('nested 12 levels deep', { extensions: { code: 'QUERY_TOO_DEEP' } }),
    });

    expect(formatError(validation.toJSON(), validation).extensions?.code).toBe('BAD_USER_INPUT');
    expect(formatError(tooDeep.toJSON(), tooDeep).extensions?.code).toBe('QUERY_TOO_DEEP');
  });

  it('masks an error whose code is not in the registry', () => {
    const error = new GraphQLError('E11000 duplicate key error collection: cei_scoring.rules', {
      extensions: { code: 'MONGO_ERROR' },
    });

    expect(formatError(error.toJSON(), error)).toEqual({
      message: INTERNAL_MESSAGE,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('keeps the field problems of a BAD_USER_INPUT as they are', () => {
    const fields = [{ path: 'input.hysteresis', message: 'must be 0 or more' }];
    const error = new GraphQLError('input.hysteresis: must be 0 or more', {
      extensions: { code: 'BAD_USER_INPUT', fields, serviceName: 'lifecycle' },
    });

    expect(formatError(error.toJSON(), error).extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fields,
      serviceName: 'lifecycle',
    });
  });

  it('reports a mutation sent with GET (Apollo: BAD_REQUEST, 405) as METHOD_NOT_ALLOWED', () => {
    const error = new GraphQLError('GET requests only support query operations', {
      extensions: { code: 'BAD_REQUEST', http: { status: 405 } },
    });

    expect(formatError({ message: error.message, extensions: { code: 'BAD_REQUEST' } }, error).extensions).toEqual({
      code: 'METHOD_NOT_ALLOWED',
    });
  });
});

describe('withTraceId', () => {
  it('gives INTERNAL_SERVER_ERRORs the trace id, and no other error', () => {
    const internal = { message: INTERNAL_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    const forbidden = { message: 'no', extensions: { code: 'FORBIDDEN' } };

    expect(withTraceId([internal, forbidden], 'trace-1')).toEqual([
      { ...internal, extensions: { code: 'INTERNAL_SERVER_ERROR', traceId: 'trace-1' } },
      forbidden,
    ]);
  });
});

describe('statusOfErrors', () => {
  it('takes the status of the first error’s code, 500 when it has none we know', () => {
    expect(statusOfErrors([{ message: 'x', extensions: { code: 'FORBIDDEN' } }])).toBe(403);
    expect(statusOfErrors([{ message: 'x', extensions: { code: 'BATCH_TOO_LARGE' } }])).toBe(400);
    expect(statusOfErrors([{ message: 'x', extensions: { code: 'TOO_MANY_ALIASES' } }])).toBe(400);
    expect(statusOfErrors([{ message: 'x', extensions: { code: 'NOT_FOUND' } }, { message: 'y' }])).toBe(404);
    expect(statusOfErrors([{ message: 'x' }])).toBe(500);
  });
});
