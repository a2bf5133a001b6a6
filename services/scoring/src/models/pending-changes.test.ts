import { emptyState } from '../domain/score-state';
import { scoreDoc, scoreRow, type ContactScoreDoc, type ContactScoreRow } from './index';

const AT = '2024-03-01T10:00:00.000Z';

describe('a score document row', () => {
  const doc = (pendingChanges: ContactScoreDoc['pendingChanges']): ContactScoreDoc => ({
    _id: 'ws1:ann',
    workspaceId: 'ws1',
    contactId: 'ann',
    state: emptyState(),
    lastSeq: 14,
    recentInteractionIds: ['i1'],
    generation: 0,
    sealed: 0,
    tail: [],
    published: 0,
    decayCheckAt: null,
    pendingChanges,
    updatedAt: new Date(AT),
  });

  it('keeps the figures of the pending changes as they were', () => {
    const figures = [
      { seq: 13, delta: 12.5, general: 42.5, stage: 12.5, at: AT },
      { seq: 14, delta: -20.123457, general: 22.376543, stage: 0, at: '2024-03-21T10:00:00.002Z' },
    ];
    expect(scoreDoc(scoreRow(doc(figures)))).toEqual(doc(figures));
  });

  it('keeps the tag scores and latest interaction a change carries for lists of contacts', () => {
    const figures: ContactScoreDoc['pendingChanges'] = [
      { seq: 15, delta: 3, general: 25, stage: 3, at: AT, tags: { shoes: 4, 'size 42': 1.5 }, lastInteractionAt: AT },
      { seq: 16, delta: -1, general: 24, stage: 2, at: AT, tags: {}, lastInteractionAt: null },
    ];
    expect(scoreDoc(scoreRow(doc(figures)))).toEqual(doc(figures));
  });

  it('loads a document written before pending changes were kept, with none pending', () => {
    const older: ContactScoreRow = {
      ...scoreRow(doc([])),
      body: JSON.stringify({ state: emptyState(), tail: [], recentInteractionIds: ['i1'] }),
    };
    expect(scoreDoc(older)).toEqual(doc([]));
  });
});
