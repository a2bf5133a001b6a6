// notificationCreated's decoding and filters, on events as notification publishes them.
import type { NotificationCreated } from '@cei/contracts';
import { FilterError, notificationCreatedSource } from './sources';

const created = (overrides: Partial<NotificationCreated> = {}): NotificationCreated => ({
  v: 1,
  workspaceId: 'ws-1',
  contactId: 'ann',
  notificationId: 'msg_abc',
  ruleId: 'rule_1',
  action: 'IN_APP',
  to: null,
  subject: 'Tips',
  eventId: 'phase:t1',
  at: '2026-12-02T08:00:00.000Z',
  ...overrides,
});
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

function matches(filter: Record<string, unknown>, event: NotificationCreated): boolean {
  const decoded = notificationCreatedSource.decode(bytes(event));
  if (!decoded.ok) throw new Error(decoded.reason);
  return notificationCreatedSource.compileFilter({ filter })(decoded.event);
}

describe('notificationCreated source', () => {
  it('names the notification by its message id, and refuses what is not one', () => {
    expect(notificationCreatedSource.decode(bytes(created()))).toMatchObject({
      ok: true,
      event: { workspaceId: 'ws-1', entityId: 'msg_abc' },
    });
    expect(notificationCreatedSource.decode(bytes({ ...created(), action: 'FAX' }))).toMatchObject({ ok: false });
  });

  it('filters by contact, action and rule', () => {
    expect(matches({}, created())).toBe(true);
    expect(matches({ contactIds: ['bob'] }, created())).toBe(false);
    expect(matches({ actions: ['EMAIL_OWNER', 'IN_APP'] }, created())).toBe(true);
    expect(matches({ actions: ['WEBHOOK'] }, created())).toBe(false);
    expect(matches({ ruleIds: ['rule_1'], contactIds: ['ann'] }, created())).toBe(true);
    expect(matches({ ruleIds: ['rule_2'] }, created())).toBe(false);
  });

  it('refuses filters that could never match, naming the field', () => {
    expect(() => notificationCreatedSource.compileFilter({ filter: { actions: [] } })).toThrow(FilterError);
    expect(() => notificationCreatedSource.compileFilter({ filter: { actions: ['FAX'] } })).toThrow(/filter.actions/);
    expect(() => notificationCreatedSource.compileFilter({ filter: { ruleIds: [] } })).toThrow(/filter.ruleIds/);
  });
});
