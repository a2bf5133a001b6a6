import { applyInteractions, engagementIndex, pointsFor, type GeneralRule } from './scoring';

const rules: GeneralRule[] = [
  { kind: 'PAGE_VISIT', variant: null, points: 1, enabled: true },
  { kind: 'PAGE_VISIT', variant: 'AD', points: 5, enabled: true },
  { kind: 'EMAIL_CLICK', variant: null, points: 3, enabled: true },
  { kind: 'SOCIAL_DISLIKE', variant: null, points: -2, enabled: true },
  { kind: 'PURCHASE', variant: null, points: 30, enabled: false },
];
const visit = (id: string, variant: string | null = null) => ({ interactionId: id, kind: 'PAGE_VISIT', variant });

describe('pointsFor', () => {
  it('prefers the variant rule, falls back to the kind rule, and scores unknown kinds 0', () => {
    expect(pointsFor(rules, visit('a', 'AD'))).toBe(5);
    expect(pointsFor(rules, visit('a', 'SEARCH_ENGINE'))).toBe(1);
    expect(pointsFor(rules, { interactionId: 'x', kind: 'LIVE_CHAT', variant: null })).toBe(0);
  });
  it('subtracts with negative points and ignores disabled rules', () => {
    expect(pointsFor(rules, { interactionId: 'd', kind: 'SOCIAL_DISLIKE', variant: null })).toBe(-2);
    expect(pointsFor(rules, { interactionId: 'p', kind: 'PURCHASE', variant: null })).toBe(0);
  });
});

describe('engagementIndex', () => {
  it('is 0 at or below zero, 63.2 at the scale, and stays under 100', () => {
    expect(engagementIndex(-5)).toBe(0);
    expect(engagementIndex(0)).toBe(0);
    expect(engagementIndex(100)).toBe(63.2);
    expect(engagementIndex(10_000)).toBe(100);
  });
});

describe('applyInteractions', () => {
  const empty = { general: 0, scoredInteractions: 0, lastSeq: 0, recentInteractionIds: [] };

  it('adds points in order and records the position', () => {
    const { state, applied } = applyInteractions(empty, rules, [
      { interaction: visit('a', 'AD'), seq: 3 },
      { interaction: visit('b'), seq: 7 },
    ]);
    expect(state).toMatchObject({ general: 6, scoredInteractions: 2, lastSeq: 7 });
    expect(applied.map((a) => [a.delta, a.general])).toEqual([
      [5, 5],
      [1, 6],
    ]);
  });

  it('skips a redelivered position and a re-published interaction id', () => {
    const first = applyInteractions(empty, rules, [{ interaction: visit('a', 'AD'), seq: 3 }]).state;
    const again = applyInteractions(first, rules, [
      { interaction: visit('a', 'AD'), seq: 3 },
      { interaction: visit('a', 'AD'), seq: 9 },
    ]);
    expect(again.applied).toEqual([]);
    expect(again.state).toEqual(first);
  });
});
