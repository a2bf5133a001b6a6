import { afterPosition, decodeCursor, encodeCursor, type ListSort } from './cursor';
import { filterConditions } from './contact-filter';

const byScore: ListSort = { key: 'score', direction: -1 };
const byLast: ListSort = { key: 'lastInteractionAt', direction: 1 };

describe('a contact list cursor', () => {
  it('gives back the position it encodes, dates as dates', () => {
    expect(decodeCursor(encodeCursor(byScore, { value: 42.5, id: 'ws:ann' }), byScore)).toEqual({
      value: 42.5,
      id: 'ws:ann',
    });
    const at = new Date('2026-03-01T00:00:00Z');
    expect(decodeCursor(encodeCursor(byLast, { value: at, id: 'ws:bob' }), byLast)).toEqual({
      value: at,
      id: 'ws:bob',
    });
    expect(decodeCursor(encodeCursor(byLast, { value: null, id: 'ws:cid' }), byLast)).toEqual({
      value: null,
      id: 'ws:cid',
    });
  });

  it('refuses a cursor of another sort, or none at all, naming after', () => {
    const cursor = encodeCursor(byScore, { value: 1, id: 'ws:a' });
    expect(() => decodeCursor(cursor, { key: 'score', direction: 1 })).toThrow(
      /after: the cursor belongs to another sort/,
    );
    expect(() => decodeCursor('bm9wZQ', byScore)).toThrow(/after: not a cursor/);
  });

  it('starts strictly after the position, _id breaking ties; contacts without the key sort lowest', () => {
    expect(afterPosition(byScore, { value: 10, id: 'b' })).toEqual({
      $or: [{ score: { $lt: 10 } }, { score: 10, _id: { $lt: 'b' } }, { score: null }],
    });
    expect(afterPosition(byLast, { value: null, id: 'b' })).toEqual({
      $or: [{ lastInteractionAt: null, _id: { $gt: 'b' } }, { lastInteractionAt: { $ne: null } }],
    });
  });
});

describe('a contact list filter', () => {
  it('turns a half into its phases, and a tag into a path that cannot be an operator', () => {
    expect(filterConditions({ half: 'CUSTOMER', tag: 'big shoes', tagScoreMin: 2 })).toEqual({
      ok: true,
      conditions: [{ phase: { $in: ['RETENTION', 'EXIT'] } }, { 'tags.big shoes': { $gte: 2 } }],
    });
    expect(filterConditions({ tag: '$where' })).toMatchObject({ ok: false, problems: [{ path: 'filter.tag' }] });
  });
});
