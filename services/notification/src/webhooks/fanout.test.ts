// Which endpoint takes which event: the kind, contact ids for every kind, and each kind's own
// part of the filter (phases, qualifications, owners, score change size and tags).
import type { OwnerAssigned, QualificationChanged, ScoreChanged } from '@cei/contracts';
import { endpointWants, lifecycleWebhookEvent, notificationWebhookEvent, scoreWebhookEvent } from './fanout';
import type { WebhookEndpointDoc, WebhookEventKind, WebhookFilterDoc } from './models';

const at = '2026-12-02T08:00:00.000Z';
const endpoint = (kinds: WebhookEventKind[], filter: WebhookFilterDoc = {}, enabled = true): WebhookEndpointDoc => ({
  _id: 'ws:we_1',
  workspaceId: 'ws',
  id: 'we_1',
  url: 'https://example.com/hooks',
  description: '',
  kinds,
  filter,
  enabled,
  enabledAt: new Date(at),
  secrets: [],
  createdAt: new Date(at),
  updatedAt: new Date(at),
});
const step: QualificationChanged = {
  v: 1,
  workspaceId: 'ws',
  contactId: 'ann',
  stepId: 'ann~q1',
  action: 'MARKETING_QUALIFY',
  from: 'NONE',
  to: 'MQL',
  reason: null,
  actor: null,
  at,
};
const assignment: OwnerAssigned = {
  v: 1,
  workspaceId: 'ws',
  contactId: 'ann',
  assignmentId: 'ann~o1',
  ownerId: 'dee',
  previousOwnerId: null,
  teamId: null,
  method: 'MANUAL',
  actor: 'key',
  at,
};
const score = (delta: number, tags?: Record<string, number>): ScoreChanged => ({
  v: 1,
  workspaceId: 'ws',
  contactId: 'ann',
  cause: 'INTERACTION',
  interactionId: 'i1',
  kind: 'PAGE_VISIT',
  occurredAt: at,
  delta,
  general: 10,
  stage: 0,
  engagementIndex: 0,
  at,
  changeId: 'ann~4',
  tags,
});

describe('webhook fan-out filters', () => {
  const qualification = lifecycleWebhookEvent({
    kind: 'QUALIFICATION',
    workspaceId: 'ws',
    contactId: 'ann',
    qualification: step,
  });
  const owner = lifecycleWebhookEvent({ kind: 'OWNER', workspaceId: 'ws', contactId: 'ann', owner: assignment });

  it('takes only the kinds an enabled endpoint lists', () => {
    expect(endpointWants(endpoint(['QUALIFICATION_CHANGED']), qualification)).toBe(true);
    expect(endpointWants(endpoint(['PHASE_CHANGED', 'OWNER_ASSIGNED']), qualification)).toBe(false);
    expect(endpointWants(endpoint(['QUALIFICATION_CHANGED'], {}, false), qualification)).toBe(false);
  });

  it('applies contact ids to every kind and each other part to its own kind', () => {
    expect(endpointWants(endpoint(['QUALIFICATION_CHANGED'], { contactIds: ['bob'] }), qualification)).toBe(false);
    expect(endpointWants(endpoint(['QUALIFICATION_CHANGED'], { qualifications: ['SQL'] }), qualification)).toBe(false);
    expect(
      endpointWants(endpoint(['QUALIFICATION_CHANGED'], { qualifications: ['MQL'], ownerIds: ['eve'] }), qualification),
    ).toBe(true);
    expect(endpointWants(endpoint(['OWNER_ASSIGNED'], { ownerIds: ['eve'] }), owner)).toBe(false);
    expect(endpointWants(endpoint(['OWNER_ASSIGNED'], { ownerIds: ['dee'], phases: ['EXIT'] }), owner)).toBe(true);
  });

  it('narrows score changes by the size of the change and by tags with points', () => {
    const wants = (filter: WebhookFilterDoc, change: ScoreChanged) =>
      endpointWants(endpoint(['SCORE_CHANGED'], filter), scoreWebhookEvent(change, 7));
    expect(wants({}, score(1))).toBe(true);
    expect(wants({ minDelta: 5 }, score(-5))).toBe(true);
    expect(wants({ minDelta: 5 }, score(4.9))).toBe(false);
    expect(wants({ tags: ['pricing'] }, score(1))).toBe(false);
    expect(wants({ tags: ['pricing'] }, score(1, { pricing: 0 }))).toBe(false);
    expect(wants({ tags: ['pricing', 'api'] }, score(1, { api: 3 }))).toBe(true);
    expect(scoreWebhookEvent(score(1), 7).eventId).toBe('ann~4');
    expect(scoreWebhookEvent({ ...score(1), changeId: undefined }, 7).eventId).toBe('ann@7');
  });

  it('sends every notification to endpoints of NOTIFICATION_CREATED, by contact only', () => {
    const created = notificationWebhookEvent({
      v: 1,
      workspaceId: 'ws',
      contactId: 'ann',
      notificationId: 'msg_1',
      ruleId: 'rule_1',
      action: 'IN_APP',
      to: null,
      subject: 's',
      eventId: 'phase:t1',
      at,
    });
    expect(endpointWants(endpoint(['NOTIFICATION_CREATED'], { phases: ['EXIT'], minDelta: 99 }), created)).toBe(true);
    expect(endpointWants(endpoint(['NOTIFICATION_CREATED'], { contactIds: ['bob'] }), created)).toBe(false);
    expect(created.data).not.toHaveProperty('v');
  });
});
