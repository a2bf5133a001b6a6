import { emptyState } from '../domain/score-state';
import type { ChangeFigures } from '../domain/score-change';
import { scoreDoc, scoreRow, type ContactScoreDoc, type ContactScoreRow } from './index';
import { changeFigures, storedFigures } from './pending-changes';

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
    const figures: ChangeFigures[] = [
      { seq: 13, delta: 12.5, general: 42.5, stage: 12.5, at: AT },
      { seq: 14, delta: -20.123457, general: 22.376543, stage: 0, at: '2024-03-21T10:00:00.002Z' },
      { seq: 15, delta: 5, general: 27.376543, stage: 5, at: AT, tags: { enterprise: 12.5, smb: 3 } },
      {
        seq: 16,
        delta: 1,
        general: 28.376543,
        stage: 6,
        at: '2024-03-21T10:00:00.003Z',
        likelihoods: { churn: 0.731, purchase: 0.076 },
      },
      {
        seq: 17,
        delta: 2,
        general: 30.376543,
        stage: 8,
        at: '2024-03-21T10:00:00.004Z',
        likelihoods: { churn: 0.5, purchase: 0.25 },
        tags: { enterprise: 14.5 },
      },
    ];
    expect(scoreDoc(scoreRow(doc(figures)))).toEqual(doc(figures));
  });

  it('keeps the tag scores and latest interaction a change carries for lists of contacts', () => {
    const figures: ContactScoreDoc['pendingChanges'] = [
      { seq: 15, delta: 3, general: 25, stage: 3, at: AT, tags: { shoes: 4, 'size 42': 1.5 }, lastInteractionAt: AT },
      { seq: 16, delta: -1, general: 24, stage: 2, at: AT, lastInteractionAt: null },
      {
        seq: 17,
        delta: 2,
        general: 26,
        stage: 4,
        at: AT,
        likelihoods: { churn: 0.5, purchase: 0.25 },
        tags: { shoes: 6 },
        lastInteractionAt: '2024-02-28T09:00:00.000Z',
      },
      {
        seq: 18,
        delta: 1,
        general: 27,
        stage: 5,
        at: AT,
        likelihoods: { churn: 0.4, purchase: 0.3 },
        lastInteractionAt: AT,
      },
    ];
    expect(scoreDoc(scoreRow(doc(figures)))).toEqual(doc(figures));
  });

  it('decodes the tuples of every earlier layout: none, likelihoods, tags, likelihoods and tags, tags and latest interaction', () => {
    const at = Date.parse(AT);
    const older: ContactScoreRow = {
      ...scoreRow(doc([])),
      body: JSON.stringify({
        state: emptyState(),
        tail: [],
        recentInteractionIds: ['i1'],
        pendingChanges: [
          [13, 12.5, 42.5, 12.5, at],
          [14, 1, 43.5, 13.5, at, 0.731, 0.076],
          [15, 2, 45.5, 15.5, at, { smb: 3 }],
          [16, 1, 46.5, 16.5, at, 0.5, 0.25, { smb: 4 }],
          // issue10-b's own layout (never deployed): tags ({} for none) and the latest interaction.
          [17, 1, 47.5, 17.5, at, { smb: 5 }, at],
          [18, -1, 46.5, 16.5, at, {}, null],
        ],
      }),
    };
    expect(scoreDoc(older)).toEqual(
      doc([
        { seq: 13, delta: 12.5, general: 42.5, stage: 12.5, at: AT },
        { seq: 14, delta: 1, general: 43.5, stage: 13.5, at: AT, likelihoods: { churn: 0.731, purchase: 0.076 } },
        { seq: 15, delta: 2, general: 45.5, stage: 15.5, at: AT, tags: { smb: 3 } },
        {
          seq: 16,
          delta: 1,
          general: 46.5,
          stage: 16.5,
          at: AT,
          likelihoods: { churn: 0.5, purchase: 0.25 },
          tags: { smb: 4 },
        },
        { seq: 17, delta: 1, general: 47.5, stage: 17.5, at: AT, tags: { smb: 5 }, lastInteractionAt: AT },
        { seq: 18, delta: -1, general: 46.5, stage: 16.5, at: AT, lastInteractionAt: null },
      ]),
    );
  });

  it('loads a document written before pending changes were kept, with none pending', () => {
    const older: ContactScoreRow = {
      ...scoreRow(doc([])),
      body: JSON.stringify({ state: emptyState(), tail: [], recentInteractionIds: ['i1'] }),
    };
    expect(scoreDoc(older)).toEqual(doc([]));
  });
});

describe('the figures of a merge', () => {
  it('keep the customer kind a merge brought, after every other part', () => {
    const figures: ChangeFigures[] = [
      { seq: 3, delta: 5, general: 5, stage: 5, at: AT, customerKind: 'PURCHASE' },
      {
        seq: 4,
        delta: 5,
        general: 10,
        stage: 10,
        at: AT,
        likelihoods: { churn: 0.1, purchase: 0.4 },
        tags: { smb: 2 },
        lastInteractionAt: AT,
        customerKind: 'SUBSCRIPTION_STARTED',
      },
    ];
    expect(changeFigures(storedFigures(figures))).toEqual(figures);
  });
});
