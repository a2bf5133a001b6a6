import type { ScoreChanged } from '@cei/contracts';
import { listFieldsAfter } from './contact-list-fields';

const change = (overrides: Partial<ScoreChanged>): ScoreChanged => ({
  v: 1,
  workspaceId: 'ws',
  contactId: 'ann',
  cause: 'INTERACTION',
  interactionId: 'i1',
  kind: 'PAGE_VISIT',
  occurredAt: '2026-03-02T00:00:00.000Z',
  delta: 5,
  general: 25,
  stage: 5,
  engagementIndex: 22.1,
  at: '2026-03-02T00:00:01.000Z',
  ...overrides,
});
const known = {
  score: 20,
  engagementIndex: 18.1,
  tags: { shoes: 3 },
  lastInteractionAt: new Date('2026-03-01T00:00:00Z'),
};

describe('the list fields a score change leaves', () => {
  it('takes score, index, tags and latest interaction from the change', () => {
    expect(
      listFieldsAfter(known, change({ tags: { shoes: 4, hats: 1 }, lastInteractionAt: '2026-03-02T00:00:00.000Z' })),
    ).toEqual({
      score: 25,
      engagementIndex: 22.1,
      tags: { shoes: 4, hats: 1 },
      lastInteractionAt: new Date('2026-03-02T00:00:00Z'),
    });
  });

  it('reads absent tags as none when the change says when the latest interaction occurred', () => {
    expect(listFieldsAfter(known, change({ lastInteractionAt: '2026-03-01T00:00:00.000Z' })).tags).toEqual({});
  });

  it('keeps what is known when the change comes from a scoring older than the fields', () => {
    expect(listFieldsAfter(known, change({}))).toEqual({
      score: 25,
      engagementIndex: 22.1,
      tags: { shoes: 3 },
      lastInteractionAt: new Date('2026-03-02T00:00:00Z'),
    });
    // A late interaction (older than the latest) and a decay leave the latest interaction as it was.
    expect(listFieldsAfter(known, change({ occurredAt: '2026-02-01T00:00:00.000Z' })).lastInteractionAt).toEqual(
      known.lastInteractionAt,
    );
    expect(
      listFieldsAfter(known, change({ cause: 'DECAY', interactionId: null, kind: null, occurredAt: null }))
        .lastInteractionAt,
    ).toEqual(known.lastInteractionAt);
  });
});
