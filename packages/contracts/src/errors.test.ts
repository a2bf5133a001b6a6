import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphQLError } from 'graphql';
import { ERROR_CODES, ERRORS, invalidFields, isErrorCode } from './errors';

describe('the error registry', () => {
  it('builds each code as a GraphQLError carrying the code, field problems and extra details', () => {
    const error = ERRORS.BATCH_TOO_LARGE.err('too many', {
      fields: [{ path: 'interactions', message: 'at most 500' }],
      extensions: { limit: 500 },
    });

    expect(error).toBeInstanceOf(GraphQLError);
    expect(error.message).toBe('too many');
    expect(error.extensions).toEqual({
      code: 'BATCH_TOO_LARGE',
      limit: 500,
      fields: [{ path: 'interactions', message: 'at most 500' }],
    });
  });

  it('keeps a cause for the log, never in the extensions a client sees', () => {
    const cause = new Error('connect ECONNREFUSED 10.0.0.7:27017');
    const error = ERRORS.INTERNAL_SERVER_ERROR.err('internal error', { cause });

    expect(error.originalError).toBe(cause);
    expect(JSON.stringify(error.toJSON())).not.toContain('ECONNREFUSED');
  });

  it('names every wrong field at once, in the message and in extensions.fields', () => {
    const error = invalidFields([
      { path: 'input.kind', message: 'unknown kind' },
      { path: 'input.points', message: 'a GENERAL rule needs points' },
    ]);

    expect(error.message).toBe('input.kind: unknown kind; input.points: a GENERAL rule needs points');
    expect(error.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fields: [
        { path: 'input.kind', message: 'unknown kind' },
        { path: 'input.points', message: 'a GENERAL rule needs points' },
      ],
    });
  });

  it('knows its own codes and nothing else', () => {
    expect(ERROR_CODES.every(isErrorCode)).toBe(true);
    expect(isErrorCode('DOWNSTREAM_SERVICE_ERROR')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
  });

  it('is documented in the README: one row per code, with its status', () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `([A-Z_]+)` +\| (\d{3}) +\|/gm)].map(([, code, status]) => [
      code,
      Number(status),
    ]);

    expect(rows).toEqual(ERROR_CODES.map((code) => [code, ERRORS[code].httpStatus]));
  });
});
