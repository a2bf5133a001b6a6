import { sliceOf } from './entity-batches';

describe('a batched entity response, sliced back per fetch', () => {
  const response = {
    data: { _entities: [{ id: 'a' }, null, { id: 'c' }, { id: 'd' }] },
    errors: [
      { message: 'b failed', path: ['_entities', 1, 'score'] },
      { message: 'd failed', path: ['_entities', 3] },
      { message: 'the whole request', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    ],
  };

  it('gives each fetch its own entities and the errors that point into them, re-indexed', () => {
    expect(sliceOf(response, 0, 2)).toEqual({
      data: { _entities: [{ id: 'a' }, null] },
      errors: [
        { message: 'b failed', path: ['_entities', 1, 'score'] },
        { message: 'the whole request', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      ],
    });
    expect(sliceOf(response, 2, 2)).toEqual({
      data: { _entities: [{ id: 'c' }, { id: 'd' }] },
      errors: [
        { message: 'd failed', path: ['_entities', 1] },
        { message: 'the whole request', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      ],
    });
  });

  it('gives a fetch none of whose entities failed no errors at all', () => {
    const oneFailed = { data: { _entities: [{ id: 'a' }, null] }, errors: [{ message: 'b', path: ['_entities', 1] }] };
    expect(sliceOf(oneFailed, 0, 1)).toEqual({ data: { _entities: [{ id: 'a' }] } });
  });

  it('gives every fetch a response without entities as it came', () => {
    const failed = { data: null, errors: [{ message: 'scoring is down' }] };
    expect(sliceOf(failed, 3, 1)).toEqual(failed);
  });
});
