// scoreChanged's decoding and filters, on events as scoring publishes them.
import type { ScoreChanged } from '@cei/contracts';
import { FilterError, scoreChangedSource } from './sources';

const change = (overrides: Partial<ScoreChanged> = {}): ScoreChanged => ({
  v: 1,
  workspaceId: 'ws-1',
  contactId: 'ann',
  cause: 'INTERACTION',
  interactionId: 'i-1',
  kind: 'EMAIL_CLICK',
  occurredAt: '2026-12-02T08:00:00.000Z',
  delta: 5,
  general: 40,
  stage: 5,
  engagementIndex: 33,
  at: '2026-12-02T08:00:01.000Z',
  changeId: 'ann~7',
  ...overrides,
});
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

function matches(filter: Record<string, unknown>, event: ScoreChanged): boolean {
  const decoded = scoreChangedSource.decode(bytes(event));
  if (!decoded.ok) throw new Error(decoded.reason);
  return scoreChangedSource.compileFilter({ filter })(decoded.event);
}

describe('scoreChanged source', () => {
  it('names the change by its stored id, and skips a change published without one', () => {
    expect(scoreChangedSource.decode(bytes(change()))).toMatchObject({ ok: true, event: { entityId: 'ann~7' } });
    expect(scoreChangedSource.decode(bytes({ ...change(), changeId: undefined }))).toMatchObject({ ok: false });
  });

  it('filters by contact, cause, score range and minimum change (up or down)', () => {
    expect(matches({ contactIds: ['ann'] }, change())).toBe(true);
    expect(matches({ contactIds: ['bob'] }, change())).toBe(false);
    expect(matches({ causes: ['DECAY'] }, change())).toBe(false);
    expect(matches({ causes: ['DECAY'] }, change({ cause: 'DECAY' }))).toBe(true);
    expect(matches({ minScore: 40, maxScore: 40 }, change())).toBe(true);
    expect(matches({ minScore: 41 }, change())).toBe(false);
    expect(matches({ maxScore: 39.5 }, change())).toBe(false);
    expect(matches({ minDelta: 5 }, change({ delta: -5 }))).toBe(true);
    expect(matches({ minDelta: 5.1 }, change())).toBe(false);
  });

  it('filters by tags the contact has points on after the change', () => {
    expect(matches({ tags: ['pricing'] }, change())).toBe(false);
    expect(matches({ tags: ['pricing'] }, change({ tags: { pricing: 4, docs: 1 } }))).toBe(true);
    expect(matches({ tags: ['security', 'docs'] }, change({ tags: { pricing: 4, docs: 1 } }))).toBe(true);
    expect(matches({ tags: ['security'] }, change({ tags: { pricing: 4, security: 0 } }))).toBe(false);
  });

  it('refuses filters that could never match, naming the field', () => {
    const compile = (filter: Record<string, unknown>) => () => scoreChangedSource.compileFilter({ filter });
    expect(compile({ causes: [] })).toThrow(FilterError);
    expect(compile({ causes: ['LUCK'] })).toThrow(/filter.causes: LUCK/);
    expect(compile({ minScore: 10, maxScore: 5 })).toThrow(/filter.minScore \(10\) is above filter.maxScore/);
    expect(compile({ minDelta: -1 })).toThrow(/filter.minDelta/);
    expect(compile({ tags: [] })).toThrow(/filter.tags/);
  });
});
