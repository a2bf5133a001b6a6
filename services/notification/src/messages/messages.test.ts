// Phase-tailored messages against real NATS, a real MongoDB-compatible server and a real
// SMTP server (smtp-server), with the service in process so that its clock can be moved:
// rule → template → SMTP once under re-publication; caps and quiet hours by the service's
// clock; previews with template errors by field; feeds per contact and owner; isolation.
import { createLogger } from '@cei/config';
import { connectNats, publishEvent, publishInteraction as publishRecorded, type Nats } from '@cei/nats';
import {
  partitionOf,
  topology,
  type InteractionRecorded,
  type OwnerAssigned,
  type PhaseChanged,
  type QualificationChanged,
  type ScoreChanged,
} from '@cei/contracts';
import {
  callSubgraph,
  serviceEnv,
  startSmtpSink,
  testNamespace,
  testWorkspace,
  redeliveryFault,
  waitFor,
  type SmtpSink,
} from '@cei/testing';
import type { LifecycleEvent } from './events';
import { loadNotificationConfig } from '../config';
import { startNotification, type Notification } from '../server';

const RULE = /* GraphQL */ `
  mutation Create($input: NotificationRuleInput!) {
    createNotificationRule(input: $input) {
      id
      enabled
    }
  }
`;
const AUDIT = /* GraphQL */ `
  query Audit($contactId: ID) {
    messageAudit(contactId: $contactId) {
      items {
        id
        eventId
        action
        to
        subject
        outcome
        detail
        sentAt
      }
    }
  }
`;
const PREVIEW = /* GraphQL */ `
  query Preview($ruleId: ID, $input: NotificationRuleInput, $contactId: ID!) {
    previewNotificationRule(ruleId: $ruleId, input: $input, contactId: $contactId) {
      ok
      actions {
        kind
        to
        subject
        body
      }
      problems {
        path
        message
      }
    }
  }
`;
const FEED = /* GraphQL */ `
  query Feed($contactId: ID!, $first: Int, $after: String, $all: Boolean) {
    contactMessages(contactId: $contactId, first: $first, after: $after, includeDismissed: $all) {
      items {
        id
        subject
        body
        readAt
        dismissedAt
      }
      next
    }
  }
`;
const TASKS = /* GraphQL */ `
  query Tasks($ownerId: ID!, $all: Boolean) {
    ownerTasks(ownerId: $ownerId, includeCompleted: $all) {
      items {
        id
        contactId
        subject
        completedAt
      }
    }
  }
`;

type AuditEntry = {
  id: string;
  eventId: string;
  action: string;
  to: string | null;
  subject: string;
  outcome: string;
  detail: string | null;
  sentAt: string | null;
};

describe('messages tailored to the phase', () => {
  const namespace = testNamespace('messages');
  const ns = topology(namespace);
  let sink: SmtpSink;
  let notification: Notification;
  let nats: Nats;
  let clock = new Date('2026-06-01T12:00:00Z');
  const fault = redeliveryFault<LifecycleEvent>();

  beforeAll(async () => {
    sink = await startSmtpSink({ refuse: (address) => address.startsWith('gone') });
    const config = loadNotificationConfig(serviceEnv(namespace, { NOTIFICATION_PORT: '0', SMTP_URL: sink.url }));
    notification = await startNotification(config, createLogger('notification', 'warn'), {
      now: () => clock,
      wrapMessageHandler: fault.wrap,
    });
    nats = await connectNats(config.NATS_URL, 'messages-test');
  }, 60_000);
  afterAll(async () => {
    await nats?.close();
    await notification?.stop();
    await sink?.stop();
  });

  const call = <T>(
    ws: string,
    role: 'read' | 'write' | 'admin',
    query: string,
    variables: Record<string, unknown> = {},
  ) => callSubgraph<T>(notification.url, { workspaceId: ws, role }, query, variables);
  const createRule = async (ws: string, input: Record<string, unknown>) => {
    const res = await call<{ createNotificationRule: { id: string } }>(ws, 'admin', RULE, {
      input: { enabled: true, ...input },
    });
    expect(res.errors).toBeUndefined();
    return res.data!.createNotificationRule.id;
  };
  const audit = async (ws: string, contactId: string) =>
    (await call<{ messageAudit: { items: AuditEntry[] } }>(ws, 'read', AUDIT, { contactId })).data!.messageAudit.items;

  const interaction = (ws: string, contactId: string, email: string, name: string, n: number): InteractionRecorded => ({
    v: 1,
    workspaceId: ws,
    interactionId: `${contactId}-i${n}`,
    contactId,
    email,
    kind: 'PAGE_VISIT',
    variant: null,
    occurredAt: clock.toISOString(),
    recordedAt: clock.toISOString(),
    properties: { name },
  });
  const scoreChanged = (
    ws: string,
    contactId: string,
    general: number,
    delta: number,
    more: Partial<ScoreChanged> = {},
  ): ScoreChanged => ({
    v: 1,
    workspaceId: ws,
    contactId,
    cause: 'INTERACTION',
    interactionId: null,
    kind: null,
    occurredAt: null,
    delta,
    general,
    stage: general,
    engagementIndex: 0,
    likelihoods: { churn: 0.25, purchase: 0.5 },
    tags: { pricing: 30, docs: 10, api: 20 },
    at: clock.toISOString(),
    ...more,
  });
  const phaseChanged = (ws: string, contactId: string, n: number, to: PhaseChanged['to']): PhaseChanged => ({
    v: 1,
    workspaceId: ws,
    contactId,
    transitionId: `${contactId}~${n}`,
    from: 'NURTURE',
    to,
    half: 'PROSPECT',
    reason: 'test',
    at: clock.toISOString(),
  });
  let seq = 0;
  // As ingestion publishes it: one that names its contact under `interactions.identified`.
  const publishInteraction = (e: InteractionRecorded) => publishRecorded(nats.js, ns, e, `t-i-${e.interactionId}`);
  const publishScore = (e: ScoreChanged) =>
    publishEvent(nats.js, ns.subjects.scoreChanged(e.workspaceId, e.contactId), e, `t-s-${++seq}`);
  const publishPhase = (e: PhaseChanged, msgId = `t-p-${e.workspaceId}-${e.transitionId}`) =>
    publishEvent(nats.js, ns.subjects.phaseChanged(e.workspaceId, e.contactId), e, msgId);

  /**
   * Gives the contact an address and a score, and waits until notification knows both. The workspace
   * gets a disabled rule first: notification follows scores only where a rule exists.
   */
  async function knownContact(ws: string, contactId: string, name: string) {
    if (!rulesFollowed.has(ws)) {
      rulesFollowed.add(ws);
      await createRule(ws, {
        name: 'follow',
        enabled: false,
        trigger: { kind: 'PHASE_ENTERED', phase: 'EXIT' },
        actions: [{ kind: 'IN_APP', subject: 'x', body: 'x' }],
      });
    }
    await publishInteraction(interaction(ws, contactId, `${contactId}@example.com`, name, 1));
    await publishScore(scoreChanged(ws, contactId, 42, 42));
    const input = {
      name: 'probe',
      trigger: { kind: 'PHASE_ENTERED', phase: 'PURCHASE' },
      actions: [{ kind: 'EMAIL_CONTACT', subject: '{{ contact.email }}', body: '{{ contact.score }}' }],
    };
    await waitFor(`${contactId} known to notification`, async () => {
      const res = await call<{ previewNotificationRule: { actions: { subject: string; body: string }[] } }>(
        ws,
        'read',
        PREVIEW,
        { input, contactId },
      );
      const a = res.data?.previewNotificationRule.actions[0];
      return a?.subject === `${contactId}@example.com` && a.body === '42';
    });
  }
  const rulesFollowed = new Set<string>();
  const emailsTo = (address: string) => sink.received.filter((e) => e.to.includes(address));

  it('is sent only the interactions that name their contact: a visit without an email or a name never reaches it', async () => {
    const ws = testWorkspace();
    const consumer = `notification-addresses-p${partitionOf(ws, 'vic')}`;
    const delivered = async () =>
      (await nats.jsm.consumers.info(ns.streams.interactions.name, consumer)).delivered.consumer_seq;
    const before = await delivered();
    const visit: InteractionRecorded = { ...interaction(ws, 'vic', 'x', 'x', 0), email: null, properties: {} };
    const plain = await publishInteraction(visit);
    await knownContact(ws, 'vic', 'Vic'); // its interaction names vic: the sentinel
    // Both are in the stream, one after the other; the consumer was handed the second alone.
    const stored = await nats.jsm.streams.getMessage(ns.streams.interactions.name, { seq: plain.seq });
    expect(stored?.subject).toBe(ns.subjects.interactionRecorded(ws, 'vic', 'profiled'));
    expect(await delivered()).toBe(before + 1);
  });

  it('renders a rule’s email with the contact’s fields and sends it over SMTP once, even when its event is published again', async () => {
    const ws = testWorkspace();
    await knownContact(ws, 'ann', 'Ann');
    await createRule(ws, {
      name: 'purchase tips',
      trigger: { kind: 'PHASE_ENTERED', phase: 'PURCHASE' },
      actions: [
        {
          kind: 'EMAIL_CONTACT',
          subject: 'Tips for {{ contact.name }}',
          body: '{{ contact.name }} is in {{ contact.phase }} at {{ contact.score }}; top: {% for t in contact.topTags limit:2 %}{{ t.name }} {% endfor %}churn {{ contact.likelihoods.churn }}',
        },
      ],
    });

    const first = phaseChanged(ws, 'ann', 1, 'PURCHASE');
    await publishPhase(first);
    await waitFor('the email', () => emailsTo('ann@example.com').length === 1);
    // Published again outside the duplicate window (a new stream position, the same transition),
    // then a sentinel: the contact's next transition into PURCHASE (the rule has no cap).
    await publishPhase(first, `t-p-${ws}-again`);
    await publishPhase(phaseChanged(ws, 'ann', 2, 'PURCHASE'));
    await waitFor('the sentinel email', () => emailsTo('ann@example.com').length === 2);

    // (the SMTP server has the email a moment before the delivery is recorded)
    const entries = await waitFor('both deliveries recorded', async () => {
      const items = await audit(ws, 'ann');
      return items.length === 2 && items.every((e) => e.sentAt !== null) ? items : null;
    });
    // (both decided at the same instant of the test clock: their order is by id)
    expect(entries.map((e) => [e.eventId, e.action, e.outcome]).sort()).toEqual([
      ['phase:ann~1', 'EMAIL_CONTACT', 'DELIVERED'],
      ['phase:ann~2', 'EMAIL_CONTACT', 'DELIVERED'],
    ]);
    const [email] = emailsTo('ann@example.com');
    expect(email!.subject).toBe('Tips for Ann');
    expect(email!.text).toBe('Ann is in PURCHASE at 42; top: pricing api churn 0.25');
    expect(email!.messageId).toBe(`<${entries.find((e) => e.eventId === 'phase:ann~1')!.id}@cei.local>`);
    expect(entries.every((e) => e.sentAt !== null)).toBe(true);
  });

  it('sends an email once when JetStream redelivers its event after the send, and a new event sends again', async () => {
    const ws = testWorkspace();
    await knownContact(ws, 'eve', 'Eve');
    await createRule(ws, {
      name: 'tips',
      trigger: { kind: 'PHASE_ENTERED', phase: 'PURCHASE' },
      actions: [{ kind: 'EMAIL_CONTACT', subject: 'Tips', body: 'for {{ contact.name }}' }],
    });
    // Given the message consumer fails the batch holding eve's change after its writes and its send
    const armed = fault.failOnceAfterWrites({
      matches: (d) => d.event.workspaceId === ws,
      snapshot: async () => emailsTo('eve@example.com').length,
    });
    // When the change is published once, and JetStream gives it back
    await publishPhase(phaseChanged(ws, 'eve', 1, 'PURCHASE'));
    const { failed, again, before } = await armed.redelivered();
    expect(failed.map((d) => d.redelivered)).toEqual([false]);
    expect(again.map((d) => [d.seq, d.redelivered])).toEqual([[failed[0]!.seq, true]]);
    expect(before).toBe(1);
    // Sentinel: eve's next transition into PURCHASE, through the same partition
    await publishPhase(phaseChanged(ws, 'eve', 2, 'PURCHASE'));
    await waitFor('the sentinel email', () => emailsTo('eve@example.com').length === 2);
    expect((await audit(ws, 'eve')).map((e) => e.eventId).sort()).toEqual(['phase:eve~1', 'phase:eve~2']);
    expect(new Set(emailsTo('eve@example.com').map((e) => e.messageId)).size).toBe(2);
  });

  it('records an email the SMTP server refuses for good as REJECTED, and goes on', async () => {
    const ws = testWorkspace();
    await knownContact(ws, 'gone', 'Gone');
    await createRule(ws, {
      name: 'tips',
      trigger: { kind: 'PHASE_ENTERED', phase: 'PURCHASE' },
      actions: [{ kind: 'EMAIL_CONTACT', subject: 'Tips', body: 'for {{ contact.name }}' }],
    });
    await publishPhase(phaseChanged(ws, 'gone', 1, 'PURCHASE'));
    const [entry] = await waitFor('the refusal recorded', async () => {
      const items = await audit(ws, 'gone');
      return items[0]?.outcome === 'REJECTED' ? items : null;
    });
    expect(entry).toMatchObject({
      to: 'gone@example.com',
      sentAt: null,
      detail: expect.stringMatching(/^refused by the SMTP server: 550/),
    });
    expect(emailsTo('gone@example.com')).toEqual([]);
    // and the partition went on: the contact's next transition is decided (and refused) too
    await publishPhase(phaseChanged(ws, 'gone', 2, 'PURCHASE'));
    await waitFor(
      'the next refusal',
      async () => (await audit(ws, 'gone')).filter((e) => e.outcome === 'REJECTED').length === 2,
    );
  });

  it('holds a rule to one message per contact per capHours, and skips emails in quiet hours, by the service clock', async () => {
    const ws = testWorkspace();
    await knownContact(ws, 'bob', 'Bob');
    await createRule(ws, {
      name: 'capped',
      trigger: { kind: 'PHASE_ENTERED', phase: 'PURCHASE' },
      capHours: 24,
      actions: [
        { kind: 'EMAIL_CONTACT', subject: 'Hello {{ contact.name }}', body: 'tips' },
        { kind: 'IN_APP', subject: 'Chat with us', body: 'offer' },
      ],
    });
    const outcomesOf = async (n: number) =>
      (await audit(ws, 'bob'))
        .filter((e) => e.eventId === `phase:bob~${n}`)
        .map((e) => [e.action, e.outcome])
        .sort();

    clock = new Date('2026-06-01T12:00:00Z');
    await publishPhase(phaseChanged(ws, 'bob', 1, 'PURCHASE'));
    await waitFor('the first messages', async () => (await outcomesOf(1)).length === 2);
    clock = new Date('2026-06-01T13:00:00Z');
    await publishPhase(phaseChanged(ws, 'bob', 2, 'PURCHASE'));
    await waitFor('the second decision', async () => (await outcomesOf(2)).length === 2);
    clock = new Date('2026-06-02T13:00:00Z');
    await publishPhase(phaseChanged(ws, 'bob', 3, 'PURCHASE'));
    await waitFor('the third decision', async () => (await outcomesOf(3)).length === 2);

    // Quiet hours 22:00–07:00 in Paris (UTC+2 in June): 21:30 UTC is 23:30 there.
    const set = await call<{ setQuietHours: unknown }>(
      ws,
      'admin',
      `mutation { setQuietHours(input: { start: "22:00", end: "07:00", timeZone: "Europe/Paris" }) { quietHours { start end timeZone } } }`,
    );
    expect(set.data).toEqual({
      setQuietHours: { quietHours: { start: '22:00', end: '07:00', timeZone: 'Europe/Paris' } },
    });
    clock = new Date('2026-06-03T21:30:00Z');
    await publishPhase(phaseChanged(ws, 'bob', 4, 'PURCHASE'));
    await waitFor('the fourth decision', async () => (await outcomesOf(4)).length === 2);

    expect(await outcomesOf(1)).toEqual([
      ['EMAIL_CONTACT', 'DELIVERED'],
      ['IN_APP', 'DELIVERED'],
    ]);
    expect(await outcomesOf(2)).toEqual([
      ['EMAIL_CONTACT', 'SKIPPED_CAP'],
      ['IN_APP', 'SKIPPED_CAP'],
    ]);
    expect(await outcomesOf(3)).toEqual([
      ['EMAIL_CONTACT', 'DELIVERED'],
      ['IN_APP', 'DELIVERED'],
    ]);
    expect(await outcomesOf(4)).toEqual([
      ['EMAIL_CONTACT', 'SKIPPED_QUIET_HOURS'],
      ['IN_APP', 'DELIVERED'],
    ]);
    // Every decision is stored before a send, so the two sent emails are all there will be.
    expect(emailsTo('bob@example.com')).toHaveLength(2);
  });

  it('fires on a churn likelihood or a tag score crossing its threshold, for contacts meeting the conditions', async () => {
    const ws = testWorkspace();
    await knownContact(ws, 'fay', 'Fay');
    await knownContact(ws, 'gus', 'Gus');
    await createRule(ws, {
      name: 'churn risk',
      trigger: { kind: 'CHURN_ABOVE', threshold: 0.5 },
      conditions: [{ field: 'EMAIL', op: 'SET' }],
      actions: [{ kind: 'IN_APP', subject: 'Still there?', body: 'churn {{ contact.likelihoods.churn }}' }],
    });
    await createRule(ws, {
      name: 'pricing interest',
      trigger: { kind: 'TAG_SCORE_ABOVE', tag: 'pricing', threshold: 50 },
      conditions: [{ field: 'SCORE', op: 'GTE', value: '40' }],
      actions: [
        { kind: 'IN_APP', subject: 'Offer', body: '{{ contact.topTags[0].name }} {{ contact.topTags[0].score }}' },
      ],
    });
    const likely = (churn: number) => ({ likelihoods: { churn, purchase: 0.1 } });
    // fay: churn 0.25 → 0.6 (fires), 0.7 (still above); pricing 30 → 60 at score 45 (fires)
    await publishScore(scoreChanged(ws, 'fay', 45, 3, likely(0.6)));
    await publishScore(scoreChanged(ws, 'fay', 45, 0, likely(0.7)));
    await publishScore(scoreChanged(ws, 'fay', 45, 0, { ...likely(0.7), tags: { pricing: 60, docs: 10 } }));
    // gus: pricing 30 → 60 at score 20: below the condition's 40, so nothing; then the sentinel,
    // churn crossing for gus (in the same order of his partition)
    await publishScore(scoreChanged(ws, 'gus', 20, -22, { tags: { pricing: 60 } }));
    await publishScore(scoreChanged(ws, 'gus', 20, 0, { ...likely(0.9), tags: { pricing: 60 } }));

    type Feed = { contactMessages: { items: { subject: string; body: string }[] } };
    const feed = async (contactId: string) =>
      (await call<Feed>(ws, 'read', FEED, { contactId }))
        .data!.contactMessages.items.map((i) => [i.subject, i.body])
        .sort();
    await waitFor('fay’s two messages', async () => (await feed('fay')).length === 2);
    await waitFor('gus’s sentinel', async () => (await feed('gus')).length === 1);
    expect(await feed('fay')).toEqual([
      ['Offer', 'pricing 60'],
      ['Still there?', 'churn 0.6'],
    ]);
    expect(await feed('gus')).toEqual([['Still there?', 'churn 0.9']]);
  });

  it('previews a stored or unsaved rule against a contact, with template errors by field, and refuses bad rules whole', async () => {
    const ws = testWorkspace();
    await knownContact(ws, 'cyd', 'Cyd');
    const ruleId = await createRule(ws, {
      name: 'webinar',
      enabled: false,
      trigger: { kind: 'SCORE_CROSSES', threshold: 40 },
      actions: [
        { kind: 'EMAIL_CONTACT', subject: 'Webinar, {{ contact.name | upcase }}', body: 'Score {{ contact.score }}' },
      ],
    });
    const stored = await call(ws, 'read', PREVIEW, { ruleId, contactId: 'cyd' });
    expect(stored.data).toEqual({
      previewNotificationRule: {
        ok: true,
        actions: [{ kind: 'EMAIL_CONTACT', to: 'cyd@example.com', subject: 'Webinar, CYD', body: 'Score 42' }],
        problems: [],
      },
    });

    const broken = await call<{
      previewNotificationRule: { ok: boolean; problems: { path: string; message: string }[] };
    }>(ws, 'read', PREVIEW, {
      contactId: 'cyd',
      input: {
        name: 'broken',
        trigger: { kind: 'PHASE_ENTERED', phase: 'PURCHASE' },
        actions: [
          { kind: 'IN_APP', subject: 'ok', body: '{{ contact.name | nosuchfilter }}' },
          {
            kind: 'IN_APP',
            subject: "{% include 'secrets.txt' %}",
            body: '{% for i in (1..100000000) %}xxxxxxxxxx{% endfor %}',
          },
        ],
      },
    });
    const problems = broken.data!.previewNotificationRule.problems;
    expect(broken.data!.previewNotificationRule.ok).toBe(false);
    expect(problems.map((p) => p.path)).toEqual(['actions[0].body', 'actions[1].subject', 'actions[1].body']);
    expect(problems[0]!.message).toMatch(/nosuchfilter/);

    const refused = await call(ws, 'admin', RULE, {
      input: {
        name: 'bad',
        trigger: { kind: 'TAG_SCORE_ABOVE', threshold: 5 },
        actions: [{ kind: 'IN_APP', subject: 'ok', body: '{{ contact.name | nosuchfilter }}' }],
      },
    });
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [
        { path: 'input.trigger.tag', message: expect.any(String) },
        { path: 'input.actions[0].body', message: expect.stringMatching(/nosuchfilter/) },
      ],
    });
    const rules = await call<{ notificationRules: { id: string }[] }>(ws, 'read', `{ notificationRules { id } }`);
    // The refused rules were not stored: the workspace has this rule and knownContact's disabled one.
    expect(rules.data!.notificationRules).toHaveLength(2);
    expect(rules.data!.notificationRules).toContainEqual({ id: ruleId });

    const unknown = await call(ws, 'read', PREVIEW, { ruleId, contactId: 'nobody' });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('keeps in-app messages per contact and tasks per owner, marked by write keys, invisible to other workspaces', async () => {
    const ws = testWorkspace();
    const other = testWorkspace();
    await knownContact(ws, 'dan', 'Dan');
    await createRule(ws, {
      name: 'sales hand-off',
      trigger: { kind: 'QUALIFICATION_BECAME', qualification: 'SQL' },
      conditions: [{ field: 'OWNER', op: 'SET' }],
      actions: [
        { kind: 'IN_APP', subject: 'Talk to {{ contact.owner.id }}', body: 'hand-off' },
        {
          kind: 'TASK_OWNER',
          subject: 'Call {{ contact.name }} ({{ contact.email }})',
          body: 'score {{ contact.score }}',
        },
      ],
    });
    await createRule(ws, {
      name: 'churn risk',
      trigger: { kind: 'SCORE_CROSSES', threshold: 50 },
      actions: [{ kind: 'IN_APP', subject: 'Need help?', body: 'at {{ contact.score }}' }],
    });
    const assigned: OwnerAssigned = {
      v: 1,
      workspaceId: ws,
      contactId: 'dan',
      assignmentId: 'dan~o1',
      ownerId: 'olga',
      previousOwnerId: null,
      teamId: null,
      method: 'MANUAL',
      actor: null,
      at: clock.toISOString(),
    };
    await publishEvent(nats.js, ns.subjects.ownerAssigned(ws, 'dan'), assigned, `t-o-${ws}`);
    const sql: QualificationChanged = {
      v: 1,
      workspaceId: ws,
      contactId: 'dan',
      stepId: 'dan~q1',
      action: 'QUALIFY',
      from: 'SAL',
      to: 'SQL',
      reason: null,
      actor: 'key',
      at: clock.toISOString(),
    };
    await publishEvent(nats.js, ns.subjects.qualificationChanged(ws, 'dan'), sql, `t-q-${ws}`);
    // 42 → 60 crosses 50; 70 stays above; 30 falls below; 55 crosses again.
    for (const [general, delta] of [
      [60, 18],
      [70, 10],
      [30, -40],
      [55, 25],
    ] as const)
      await publishScore(scoreChanged(ws, 'dan', general, delta));

    type Feed = {
      contactMessages: {
        items: { id: string; subject: string; body: string; readAt: string | null; dismissedAt: string | null }[];
        next: string | null;
      };
    };
    const feed = async (key: string, vars: Record<string, unknown> = {}) =>
      (await call<Feed>(key, 'read', FEED, { contactId: 'dan', ...vars })).data!.contactMessages;
    await waitFor('three in-app messages', async () => (await feed(ws)).items.length === 3);
    const items = (await feed(ws)).items;
    expect(items.map((i) => [i.subject, i.body]).sort()).toEqual([
      ['Need help?', 'at 55'],
      ['Need help?', 'at 60'],
      ['Talk to olga', 'hand-off'],
    ]);
    // Pages by cursor, newest first
    const page1 = await feed(ws, { first: 2 });
    const page2 = await feed(ws, { first: 2, after: page1.next });
    expect([...page1.items, ...page2.items].map((i) => i.id)).toEqual(items.map((i) => i.id));
    expect(page2.next).toBeNull();

    type Tasks = {
      ownerTasks: { items: { id: string; contactId: string; subject: string; completedAt: string | null }[] };
    };
    const tasks = async (key: string, all = false) =>
      (await call<Tasks>(key, 'read', TASKS, { ownerId: 'olga', all })).data!.ownerTasks.items;
    const [task] = await waitFor('the owner task', async () => ((await tasks(ws)).length === 1 ? tasks(ws) : null));
    expect(task).toMatchObject({ contactId: 'dan', subject: 'Call Dan (dan@example.com)', completedAt: null });

    // Another workspace sees and touches none of it; a read key changes nothing
    const target = items[0]!.id;
    expect((await feed(other)).items).toEqual([]);
    expect(await tasks(other, true)).toEqual([]);
    expect((await call<{ notificationRules: unknown[] }>(other, 'read', `{ notificationRules { id } }`)).data).toEqual({
      notificationRules: [],
    });
    for (const mutation of [`markMessageRead(id: "${target}") { id }`, `completeTask(id: "${task!.id}") { id }`]) {
      const res = await call(other, 'write', `mutation { ${mutation} }`);
      expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
    const readOnly = await call(ws, 'read', `mutation { dismissMessage(id: "${target}") { id } }`);
    expect(readOnly.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await feed(ws)).items.map((i) => i.dismissedAt)).toEqual([null, null, null]);

    // Read, dismissed, completed
    const read = await call<{ markMessageRead: { readAt: string | null } }>(
      ws,
      'write',
      `mutation { markMessageRead(id: "${target}") { readAt } }`,
    );
    expect(read.data!.markMessageRead.readAt).toBe(clock.toISOString());
    await call(ws, 'write', `mutation { dismissMessage(id: "${target}") { id } }`);
    expect((await feed(ws)).items.map((i) => i.id)).toEqual(items.slice(1).map((i) => i.id));
    expect((await feed(ws, { all: true })).items[0]).toMatchObject({
      id: target,
      readAt: clock.toISOString(),
      dismissedAt: clock.toISOString(),
    });
    await call(ws, 'write', `mutation { completeTask(id: "${task!.id}") { id } }`);
    expect(await tasks(ws)).toEqual([]);
    expect((await tasks(ws, true))[0]).toMatchObject({ id: task!.id, completedAt: clock.toISOString() });
  });
});
