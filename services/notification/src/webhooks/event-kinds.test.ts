// Notifications, owners' emails and webhook kinds beyond phases, against real NATS, a real
// MongoDB-compatible server, a real SMTP server and a real local HTTP receiver, with the service
// in process: EMAIL_OWNER from the owner's record as lifecycle publishes it; one notification
// per message even when JetStream redelivers its event; a WEBHOOK action to a disabled endpoint
// is skipped and announces nothing; score changes that no endpoint of the workspace wants put
// nothing on the WEBHOOKS stream (the volume guard), and those an endpoint's minDelta and tags
// let through are delivered.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@cei/config';
import { connectNats, publishEvent, type Nats } from '@cei/nats';
import {
  partitionOf,
  topology,
  type OwnerAssigned,
  type OwnerRecord,
  type PhaseChanged,
  type ScoreChanged,
} from '@cei/contracts';
import {
  callSubgraph,
  redeliveryFault,
  serviceEnv,
  startSmtpSink,
  testNamespace,
  testWorkspace,
  waitFor,
  type SmtpSink,
} from '@cei/testing';
import type { LifecycleEvent } from '../messages/events';
import { loadNotificationConfig } from '../config';
import { startNotification, type Notification } from '../server';

const AUDIT = `query($c: ID) { messageAudit(contactId: $c) { items { id action to outcome detail } } }`;
const RULE = `mutation($input: NotificationRuleInput!) { createNotificationRule(input: $input) { id } }`;
const ENDPOINT = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }`;

describe('notifications, owners’ emails and webhook kinds', () => {
  const namespace = testNamespace('notify-kinds');
  const ns = topology(namespace);
  let sink: SmtpSink;
  let notification: Notification;
  let nats: Nats;
  let receiver: Server;
  let receiverUrl: string;
  const received: { type: string; data: Record<string, unknown> }[] = [];
  const fault = redeliveryFault<LifecycleEvent>();
  const at = new Date().toISOString();

  beforeAll(async () => {
    sink = await startSmtpSink();
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as (typeof received)[number]);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    const config = loadNotificationConfig(
      serviceEnv(namespace, { NOTIFICATION_PORT: '0', SMTP_URL: sink.url, WEBHOOK_ALLOW_PRIVATE: '*=127.0.0.1' }),
    );
    notification = await startNotification(config, createLogger('notification', 'warn'), {
      wrapMessageHandler: fault.wrap,
    });
    nats = await connectNats(config.NATS_URL, 'notify-kinds-test');
  }, 60_000);
  afterAll(async () => {
    await nats?.close();
    await notification?.stop();
    await sink?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  const call = <T>(ws: string, role: 'read' | 'admin', query: string, variables: Record<string, unknown> = {}) =>
    callSubgraph<T>(notification.url, { workspaceId: ws, role }, query, variables);
  const ok = async <T>(ws: string, query: string, variables: Record<string, unknown>) => {
    const res = await call<T>(ws, 'admin', query, variables);
    expect(res.errors).toBeUndefined();
    return res.data!;
  };
  const audit = async (ws: string, contactId: string) =>
    (
      await call<{
        messageAudit: { items: { id: string; action: string; to: string; outcome: string; detail: string }[] };
      }>(ws, 'read', AUDIT, { c: contactId })
    ).data!.messageAudit.items;
  /** How many messages of the workspace a stream holds on `subject` (a wildcard of that workspace's). */
  const count = async (stream: string, subject: string) => {
    const info = await nats.jsm.streams.info(stream, { subjects_filter: subject });
    return Object.values(info.state.subjects ?? {}).reduce((n, c) => n + c, 0);
  };
  const phaseChanged = (ws: string, contactId: string, n: number): PhaseChanged => ({
    v: 1,
    workspaceId: ws,
    contactId,
    transitionId: `${contactId}~${n}`,
    from: 'NURTURE',
    to: 'PURCHASE',
    half: 'PROSPECT',
    reason: 'test',
    at,
    score: 50,
  });
  const scoreChanged = (
    ws: string,
    contactId: string,
    n: number,
    delta: number,
    tags: Record<string, number>,
  ): ScoreChanged => ({
    v: 1,
    workspaceId: ws,
    contactId,
    cause: 'INTERACTION',
    interactionId: `${contactId}-i${n}`,
    kind: 'PAGE_VISIT',
    occurredAt: at,
    delta,
    general: 10 * n,
    stage: 0,
    engagementIndex: 0,
    at,
    changeId: `${contactId}~${n}`,
    tags,
  });
  const publishPhase = (e: PhaseChanged) =>
    publishEvent(
      nats.js,
      ns.subjects.phaseChanged(e.workspaceId, e.contactId),
      e,
      `t-p-${e.workspaceId}-${e.transitionId}`,
    );
  const publishScore = (e: ScoreChanged) =>
    publishEvent(
      nats.js,
      ns.subjects.scoreChanged(e.workspaceId, e.contactId),
      e,
      `t-s-${e.workspaceId}-${e.changeId}`,
    );

  it('emails the owner at the address of lifecycle’s record, and announces each notification once under redelivery', async () => {
    const ws = testWorkspace();
    // Given lifecycle's record of Dee (with an email) and of Max (without), and ann owned by Dee, bob by Max
    const record = (ownerId: string, email: string | null): OwnerRecord => ({
      v: 1,
      workspaceId: ws,
      ownerId,
      name: ownerId === 'dee' ? 'Dee' : 'Max',
      email,
      active: true,
      updatedAt: at,
    });
    await publishEvent(nats.js, ns.subjects.ownerRecord(ws, 'dee'), record('dee', 'dee@sales.test'), `t-o-${ws}-dee`);
    await publishEvent(nats.js, ns.subjects.ownerRecord(ws, 'max'), record('max', null), `t-o-${ws}-max`);
    for (const [contactId, ownerId] of [
      ['ann', 'dee'],
      ['bob', 'max'],
    ] as const) {
      const assigned: OwnerAssigned = {
        v: 1,
        workspaceId: ws,
        contactId,
        assignmentId: `${contactId}~o1`,
        ownerId,
        previousOwnerId: null,
        teamId: null,
        method: 'MANUAL',
        actor: null,
        at,
      };
      await publishEvent(nats.js, ns.subjects.ownerAssigned(ws, contactId), assigned, `t-oa-${ws}-${contactId}`);
    }
    await ok(ws, RULE, {
      input: {
        name: 'hand-off',
        enabled: true,
        trigger: { kind: 'PHASE_ENTERED', phase: 'PURCHASE' },
        actions: [
          {
            kind: 'EMAIL_OWNER',
            subject: '{{ contact.id }} for {{ contact.owner.name }}',
            body: 'at {{ contact.score }}',
          },
        ],
      },
    });

    // When ann's phase change is handled, fails after its writes and announcements, and comes again
    const armed = fault.failOnceAfterWrites({
      matches: (d) => d.event.workspaceId === ws && d.event.contactId === 'ann',
    });
    await publishPhase(phaseChanged(ws, 'ann', 1));
    await armed.redelivered();
    await publishPhase(phaseChanged(ws, 'bob', 1));

    // Then Dee got one email; Max has no email, so bob's is skipped and announces nothing
    const email = await waitFor('Dee’s email', () => sink.received.find((e) => e.to.includes('dee@sales.test')));
    expect([email.subject, email.text]).toEqual(['ann for Dee', 'at 50']);
    const [skipped] = await waitFor('bob’s message decided', async () => {
      const items = await audit(ws, 'bob');
      return items.length ? items : null;
    });
    expect(skipped).toMatchObject({
      action: 'EMAIL_OWNER',
      outcome: 'SKIPPED_NO_RECIPIENT',
      detail: 'owner max has no known email',
    });
    const [sent] = await audit(ws, 'ann');
    expect(sent).toMatchObject({ action: 'EMAIL_OWNER', to: 'dee@sales.test' });
    // one notification for ann's message despite the redelivery, none for bob's skipped one
    expect(await count(ns.streams.notifications.name, ns.subjects.workspaceNotificationsCreated(ws))).toBe(1);
    const last = await nats.jsm.streams.getMessage(ns.streams.notifications.name, {
      last_by_subj: ns.subjects.notificationCreated(ws, 'ann'),
    });
    expect(last!.json()).toMatchObject({ notificationId: sent!.id, action: 'EMAIL_OWNER', to: 'dee@sales.test' });
  });

  it('skips a WEBHOOK action whose endpoint was disabled, and announces nothing for it', async () => {
    const ws = testWorkspace();
    const { createWebhookEndpoint } = await ok<{ createWebhookEndpoint: { endpoint: { id: string } } }>(ws, ENDPOINT, {
      input: { url: receiverUrl, kinds: ['PHASE_CHANGED'], filter: { phases: ['EXIT'] } },
    });
    const endpointId = createWebhookEndpoint.endpoint.id;
    await ok(ws, RULE, {
      input: {
        name: 'post',
        enabled: true,
        trigger: { kind: 'PHASE_ENTERED', phase: 'PURCHASE' },
        actions: [{ kind: 'WEBHOOK', endpointId, subject: 's', body: '{{ contact.id }}' }],
      },
    });
    await ok(ws, `mutation($id: ID!) { updateWebhookEndpoint(id: $id, input: { enabled: false }) { enabled } }`, {
      id: endpointId,
    });
    await publishPhase(phaseChanged(ws, 'cy', 1));
    const [entry] = await waitFor('cy’s message decided', async () => {
      const items = await audit(ws, 'cy');
      return items.length ? items : null;
    });
    expect(entry).toMatchObject({
      action: 'WEBHOOK',
      outcome: 'SKIPPED_NO_RECIPIENT',
      detail: `webhook endpoint ${endpointId} is disabled`,
    });
    expect(await count(ns.streams.notifications.name, ns.subjects.workspaceNotificationsCreated(ws))).toBe(0);
    expect(await count(ns.streams.webhooks.name, `${namespace}.${ws}.webhooks.deliver.*`)).toBe(0);
  });

  it('puts on the WEBHOOKS stream only the score changes an endpoint of the workspace wants', async () => {
    const quiet = testWorkspace(); // no endpoint at all
    const phasesOnly = testWorkspace(); // an endpoint, not for score changes
    const scores = testWorkspace(); // an endpoint for score changes of 5 points or more on "pricing"
    await ok(phasesOnly, ENDPOINT, { input: { url: receiverUrl, kinds: ['PHASE_CHANGED'] } });
    await ok(scores, ENDPOINT, {
      input: { url: receiverUrl, kinds: ['SCORE_CHANGED'], filter: { minDelta: 5, tags: ['pricing'] } },
    });
    // When each workspace's contact has many small changes, then (in the same partition: after them)
    // one the scores endpoint wants
    for (const ws of [quiet, phasesOnly, scores]) {
      for (let n = 1; n <= 20; n++) await publishScore(scoreChanged(ws, 'dan', n, 1, { pricing: n }));
      await publishScore(scoreChanged(ws, 'dan', 21, -8, { docs: 2 })); // big, not on pricing
      await publishScore(scoreChanged(ws, 'dan', 22, 9, { pricing: 30 })); // the one wanted
    }
    // Then the scores endpoint receives exactly that change
    const delivered = await waitFor('the wanted change delivered', () =>
      received.find((r) => r.type === 'contact.score_changed' && r.data.workspaceId === scores),
    );
    expect(delivered.data).toMatchObject({ contactId: 'dan', changeId: 'dan~22', delta: 9, tags: { pricing: 30 } });
    // and the other workspaces' changes, once their partitions' fan-out has acknowledged them all,
    // put nothing on the WEBHOOKS stream
    for (const ws of [quiet, phasesOnly]) {
      const consumer = `webhooks-fanout-scores-p${partitionOf(ws, 'dan')}`;
      await waitFor(`${consumer} has handled ${ws}'s changes`, async () => {
        const info = await nats.jsm.consumers.info(ns.streams.scores.name, consumer);
        return info.num_pending === 0 && info.num_ack_pending === 0;
      });
    }
    expect(await count(ns.streams.webhooks.name, `${namespace}.${scores}.webhooks.deliver.*`)).toBe(1);
    expect(await count(ns.streams.webhooks.name, `${namespace}.${phasesOnly}.webhooks.deliver.*`)).toBe(0);
    expect(await count(ns.streams.webhooks.name, `${namespace}.${quiet}.webhooks.deliver.*`)).toBe(0);
  });

  it('refuses bad filters and actions by field, and previews the owner’s email and the endpoint', async () => {
    const ws = testWorkspace();
    const badFilter = await call(ws, 'admin', ENDPOINT, {
      input: { url: receiverUrl, kinds: ['QUALIFICATION_CHANGED'], filter: { qualifications: ['HOT'], minDelta: -1 } },
    });
    expect(badFilter.errors?.[0]?.extensions?.fields).toEqual([
      { path: 'input.filter.qualifications[0]', message: expect.stringContaining('MQL') },
      { path: 'input.filter.minDelta', message: expect.stringContaining('0 or more') },
    ]);
    const badAction = await call(ws, 'admin', RULE, {
      input: {
        name: 'x',
        trigger: { kind: 'PHASE_ENTERED', phase: 'PURCHASE' },
        actions: [{ kind: 'EMAIL_OWNER', endpointId: 'we_x', subject: 's', body: 'b' }],
      },
    });
    expect(badAction.errors?.[0]?.extensions?.fields).toEqual([
      { path: 'input.actions[0].endpointId', message: 'only for WEBHOOK actions' },
    ]);
    expect((await call<{ notificationRules: unknown[] }>(ws, 'read', '{ notificationRules { id } }')).data).toEqual({
      notificationRules: [],
    });

    // Given fay owned by Flo, whose record has an email, and an endpoint
    await publishEvent(
      nats.js,
      ns.subjects.ownerRecord(ws, 'flo'),
      { v: 1, workspaceId: ws, ownerId: 'flo', name: 'Flo', email: 'flo@sales.test', active: true, updatedAt: at },
      `t-o-${ws}-flo`,
    );
    const assigned: OwnerAssigned = {
      v: 1,
      workspaceId: ws,
      contactId: 'fay',
      assignmentId: 'fay~o1',
      ownerId: 'flo',
      previousOwnerId: null,
      teamId: null,
      method: 'MANUAL',
      actor: null,
      at,
    };
    await publishEvent(nats.js, ns.subjects.ownerAssigned(ws, 'fay'), assigned, `t-oa-${ws}-fay`);
    const { createWebhookEndpoint } = await ok<{ createWebhookEndpoint: { endpoint: { id: string } } }>(ws, ENDPOINT, {
      input: { url: receiverUrl, kinds: ['NOTIFICATION_CREATED'] },
    });
    const input = {
      name: 'p',
      trigger: { kind: 'PHASE_ENTERED', phase: 'PURCHASE' },
      actions: [
        { kind: 'EMAIL_OWNER', subject: 'for {{ contact.owner.name }}', body: '{{ contact.owner.email }}' },
        { kind: 'WEBHOOK', endpointId: createWebhookEndpoint.endpoint.id, subject: 's', body: '{{ contact.id }}' },
      ],
    };
    // Then the preview names both recipients and renders the owner's fields
    const preview = await waitFor('fay’s owner in the preview', async () => {
      const res = await call<{
        previewNotificationRule: { actions: { to: string | null; subject: string; body: string }[] };
      }>(
        ws,
        'read',
        `query($input: NotificationRuleInput, $c: ID!) { previewNotificationRule(input: $input, contactId: $c) { actions { to subject body } } }`,
        { input, c: 'fay' },
      );
      const actions = res.data?.previewNotificationRule.actions;
      return actions?.[0]?.to ? actions : null;
    });
    expect(preview).toEqual([
      { to: 'flo@sales.test', subject: 'for Flo', body: 'flo@sales.test' },
      { to: createWebhookEndpoint.endpoint.id, subject: 's', body: 'fay' },
    ]);
  });
});
