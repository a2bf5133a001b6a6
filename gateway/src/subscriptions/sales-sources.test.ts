// qualificationChanged's and ownerAssigned's decoding and filters, on events as lifecycle publishes them.
import type { OwnerAssigned, QualificationChanged } from '@cei/contracts';
import { FilterError, ownerAssignedSource, qualificationChangedSource, type EventSource } from './sources';

const step = (overrides: Partial<QualificationChanged> = {}): QualificationChanged => ({
  v: 1,
  workspaceId: 'ws-1',
  contactId: 'ann',
  stepId: 'ann~q2',
  action: 'ACCEPT',
  from: 'MQL',
  to: 'SAL',
  reason: null,
  actor: 'key-1',
  at: '2026-12-02T08:00:00.000Z',
  ...overrides,
});
const assignment = (overrides: Partial<OwnerAssigned> = {}): OwnerAssigned => ({
  v: 1,
  workspaceId: 'ws-1',
  contactId: 'ann',
  assignmentId: 'ann~o1',
  ownerId: 'dee',
  previousOwnerId: null,
  teamId: null,
  method: 'MANUAL',
  actor: 'key-1',
  at: '2026-12-02T08:00:00.000Z',
  ...overrides,
});
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

function matches(source: EventSource, filter: Record<string, unknown>, event: unknown): boolean {
  const decoded = source.decode(bytes(event));
  if (!decoded.ok) throw new Error(decoded.reason);
  return source.compileFilter({ filter })(decoded.event);
}

describe('qualificationChanged source', () => {
  it('names the step by its id and workspace, and refuses what is not a step', () => {
    expect(qualificationChangedSource.decode(bytes(step()))).toMatchObject({
      ok: true,
      event: { workspaceId: 'ws-1', entityId: 'ann~q2' },
    });
    expect(qualificationChangedSource.decode(bytes({ ...step(), to: 'MAYBE' }))).toMatchObject({ ok: false });
  });

  it('filters by contact and by the qualification reached', () => {
    expect(matches(qualificationChangedSource, {}, step())).toBe(true);
    expect(matches(qualificationChangedSource, { contactIds: ['bob'] }, step())).toBe(false);
    expect(matches(qualificationChangedSource, { to: ['SAL', 'SQL'] }, step())).toBe(true);
    expect(matches(qualificationChangedSource, { to: ['SQL'] }, step())).toBe(false);
  });

  it('names a filter that can never match', () => {
    expect(() => qualificationChangedSource.compileFilter({ filter: { to: [] } })).toThrow(FilterError);
    expect(() => qualificationChangedSource.compileFilter({ filter: { contactIds: [] } })).toThrow(/contactIds/);
  });
});

describe('ownerAssigned source', () => {
  it('names the assignment by its id and filters by contact and owner', () => {
    expect(ownerAssignedSource.decode(bytes(assignment()))).toMatchObject({ ok: true, event: { entityId: 'ann~o1' } });
    expect(matches(ownerAssignedSource, { ownerIds: ['dee'] }, assignment())).toBe(true);
    expect(matches(ownerAssignedSource, { ownerIds: ['eve'] }, assignment())).toBe(false);
    expect(matches(ownerAssignedSource, { contactIds: ['ann'], ownerIds: ['dee'] }, assignment())).toBe(true);
    expect(() => ownerAssignedSource.compileFilter({ filter: { ownerIds: [] } })).toThrow(/ownerIds/);
  });
});
