// Every change, live and as webhooks, beyond phase changes — on real processes through the real
// gateway: a rule fired by a real score change emails the contact's owner (a real local SMTP
// server), posts to a named webhook endpoint and fills the in-app feed; each of those is a
// `notificationCreated` event, received by a graphql-ws client with fields of other subgraphs
// and resumable with `after`; endpoints receive qualification steps, owner assignments, score
// changes (narrowed by minDelta and tags) and notifications, signed per Standard Webhooks and
// verified with the `standardwebhooks` library; `scoreChanged` filters by tag. Another
// workspace's subscriber and receiver get nothing of it.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { databaseName } from '@cei/config';
import { connectDatabase, type Database } from '@cei/mongo';
import { startSmtpSink, testNamespace, waitFor, type SmtpSink } from '@cei/testing';
import { createWorkspace, type WorkspaceKeys } from '@cei/gateway/src/auth/api-keys';
import { startPlatform, type Platform } from '../src/platform';
import { gql, subscribe, type LiveSubscription } from '../src/gateway-client';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from '../src/webhook-receiver';

const TRACK = `mutation($i: [InteractionInput!]!) { trackInteractions(interactions: $i) { accepted } }`;
const CREATE_ENDPOINT = /* GraphQL */ `
  mutation Create($input: CreateWebhookEndpointInput!) {
    createWebhookEndpoint(input: $input) {
      secret
      endpoint {
        id
        kinds
        filter {
          contactIds
          phases
          qualifications
          ownerIds
          tags
          minDelta
        }
      }
    }
  }
`;
const CREATE_RULE = /* GraphQL */ `
  mutation Create($input: NotificationRuleInput!) {
    createNotificationRule(input: $input) {
      id
      actions {
        kind
        endpointId
      }
    }
  }
`;
const NOTIFICATIONS = /* GraphQL */ `
  subscription Notifications($after: ID) {
    notificationCreated(after: $after) {
      id
      action
      to
      subject
      outcome
      eventId
      contact {
        id
        email
        score {
          general
        }
      }
    }
  }
`;
const AUDIT = `query($c: ID) { messageAudit(contactId: $c) { items { id action to outcome detail } } }`;

interface Notified {
  notificationCreated: {
    id: string;
    action: string;
    to: string | null;
    subject: string;
    outcome: string;
    eventId: string;
    contact: { id: string; email: string | null; score: { general: number } };
  };
}
interface Body {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

/** What a receiver does: verify with standardwebhooks (throws if not authentic), then parse. */
const verified = (secret: string, request: ReceivedWebhook) =>
  new Webhook(secret).verify(request.body, request.headers as Record<string, string>) as Body;

describe('notifications and contact changes, live and as webhooks, per workspace', () => {
  const namespace = testNamespace('e2e-notify');
  const suffix = randomBytes(3).toString('hex');
  let sink: SmtpSink;
  let platform: Platform;
  let gatewayDb: Database;
  let acme: WorkspaceKeys;
  let globex: WorkspaceKeys;
  const receivers: WebhookReceiver[] = [];
  const subscriptions: LiveSubscription<unknown>[] = [];
  const http = () => platform.gateways[0]!.httpUrl;
  const ws = () => platform.gateways[0]!.wsUrl;
  const receiver = async () => {
    const r = await startWebhookReceiver();
    receivers.push(r);
    return r;
  };
  const live = <T>(key: string, query: string, variables: Record<string, unknown> = {}) => {
    const s = subscribe<T>(ws(), key, query, variables);
    subscriptions.push(s as LiveSubscription<unknown>);
    return s;
  };
  const ok = async <T>(key: string, query: string, variables: Record<string, unknown> = {}) => {
    const res = await gql<T>(http(), key, query, variables);
    expect(res.errors).toBeUndefined();
    return res.data!;
  };

  beforeAll(async () => {
    sink = await startSmtpSink();
    gatewayDb = await connectDatabase(process.env.MONGO_URL!, databaseName(namespace, 'gateway'));
    acme = await createWorkspace(gatewayDb.connection, `nt-acme-${suffix}`);
    globex = await createWorkspace(gatewayDb.connection, `nt-globex-${suffix}`);
    platform = await startPlatform({
      natsUrl: process.env.NATS_URL!,
      mongoUrl: process.env.MONGO_URL!,
      namespace,
      env: {
        SMTP_URL: sink.url,
        WEBHOOK_ALLOW_PRIVATE: `${acme.workspaceId}=127.0.0.1,${globex.workspaceId}=127.0.0.1`,
      },
    });
  }, 120_000);
  afterAll(async () => {
    await Promise.all(subscriptions.map((s) => s.dispose()));
    await Promise.all(receivers.map((r) => r.close()));
    await gatewayDb?.close();
    await platform?.stop();
    await sink?.stop();
  });

  it('announces every notification a rule creates and delivers every kind of change, to its workspace only', async () => {
    // Given acme's scoring (a visit: 1 point; a purchase: 5 points and 2 on "pricing"), MQL at 5 points,
    // and an owner with an email
    await ok(acme.keys.admin, `mutation { createScoringRule(input: { kind: PAGE_VISIT, points: 1 }) { id } }`);
    await ok(
      acme.keys.admin,
      `mutation { createScoringRule(input: { type: ADVANCED, kind: PURCHASE, effect: { general: 5, tags: [{ tag: "pricing", points: 2 }] } }) { id } }`,
    );
    await ok(
      acme.keys.admin,
      `mutation { updateQualificationPolicy(input: { marketingQualifiedScore: 5 }) { salesAssignScore } }`,
    );
    const { createOwner } = await ok<{ createOwner: { id: string } }>(
      acme.keys.admin,
      `mutation { createOwner(input: { name: "Dee", email: "dee@acme.test" }) { id } }`,
    );
    const ownerId = createOwner.id;

    // and acme's endpoints: one for contact changes and notifications (score changes of 3 points or
    // more on contacts interested in pricing), one the rule posts to (whatever its kinds)
    const changes = await receiver();
    const ruleHook = await receiver();
    const foreign = await receiver();
    const changesEndpoint = (
      await ok<{ createWebhookEndpoint: { secret: string; endpoint: { id: string; filter: unknown } } }>(
        acme.keys.admin,
        CREATE_ENDPOINT,
        {
          input: {
            url: changes.url,
            kinds: ['QUALIFICATION_CHANGED', 'OWNER_ASSIGNED', 'SCORE_CHANGED', 'NOTIFICATION_CREATED'],
            filter: { minDelta: 3, tags: ['pricing'] },
          },
        },
      )
    ).createWebhookEndpoint;
    expect(changesEndpoint.endpoint.filter).toEqual({
      contactIds: [],
      phases: [],
      qualifications: [],
      ownerIds: [],
      tags: ['pricing'],
      minDelta: 3,
    });
    const ruleEndpoint = (
      await ok<{ createWebhookEndpoint: { secret: string; endpoint: { id: string } } }>(
        acme.keys.admin,
        CREATE_ENDPOINT,
        {
          input: { url: ruleHook.url, kinds: ['PHASE_CHANGED'], filter: { phases: ['EXIT'] } },
        },
      )
    ).createWebhookEndpoint;
    // and globex: an endpoint for every kind, and a live subscriber of its notifications
    const globexEndpoint = (
      await ok<{ createWebhookEndpoint: { secret: string } }>(globex.keys.admin, CREATE_ENDPOINT, {
        input: {
          url: foreign.url,
          kinds: ['PHASE_CHANGED', 'QUALIFICATION_CHANGED', 'OWNER_ASSIGNED', 'SCORE_CHANGED', 'NOTIFICATION_CREATED'],
        },
      })
    ).createWebhookEndpoint;
    const globexLive = live<Notified>(globex.keys.read, NOTIFICATIONS);

    // A WEBHOOK action must name an endpoint of the workspace: globex cannot use acme's
    const foreignRule = await gql(http(), globex.keys.admin, CREATE_RULE, {
      input: {
        name: 'x',
        trigger: { kind: 'SCORE_CROSSES', threshold: 5 },
        actions: [{ kind: 'WEBHOOK', endpointId: ruleEndpoint.endpoint.id, subject: 's', body: 'b' }],
      },
    });
    expect(foreignRule.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: 'input.actions[0].endpointId', message: expect.stringContaining('no webhook endpoint') }],
    });
    const missingEndpoint = await gql(http(), acme.keys.admin, CREATE_RULE, {
      input: {
        name: 'x',
        trigger: { kind: 'SCORE_CROSSES', threshold: 5 },
        actions: [{ kind: 'WEBHOOK', subject: 's', body: 'b' }],
      },
    });
    expect(missingEndpoint.errors?.[0]?.extensions?.fields).toEqual([
      { path: 'input.actions[0].endpointId', message: expect.stringContaining('required for WEBHOOK') },
    ]);

    // acme's rule: when the score reaches 5, email the owner, post to the endpoint, and a message in-app
    const { createNotificationRule: rule } = await ok<{ createNotificationRule: { id: string } }>(
      acme.keys.admin,
      CREATE_RULE,
      {
        input: {
          name: 'hot lead',
          enabled: true,
          trigger: { kind: 'SCORE_CROSSES', threshold: 5 },
          actions: [
            {
              kind: 'EMAIL_OWNER',
              subject: 'Hot lead for {{ contact.owner.name }}',
              body: '{{ contact.email }} has {{ contact.score }} points',
            },
            {
              kind: 'WEBHOOK',
              endpointId: ruleEndpoint.endpoint.id,
              subject: 'hot',
              body: '{{ contact.id }} at {{ contact.score }}',
            },
            { kind: 'IN_APP', subject: 'Need help choosing?', body: 'Chat with us' },
          ],
        },
      },
    );
    const acmeLive = live<Notified>(acme.keys.read, NOTIFICATIONS);
    const tagged = live<{ scoreChanged: { delta: number; contact: { id: string } } }>(
      acme.keys.read,
      `subscription { scoreChanged(filter: { tags: ["pricing"], causes: [INTERACTION] }) { delta contact { id } } }`,
    );
    await Promise.all([acmeLive.connected, globexLive.connected, tagged.connected]);

    // When ivy visits (1 point: below minDelta, no pricing tag), gets Dee as owner, then buys (5 points)
    await ok(acme.keys.write, TRACK, {
      i: [{ id: 'v1', kind: 'PAGE_VISIT', source: 'DIRECT', contactId: 'ivy', email: 'ivy@acme.test' }],
    });
    await waitFor('ivy scored', async () => {
      const res = await gql<{ contact: { score: { general: number } } | null }>(
        http(),
        acme.keys.read,
        `{ contact(id: "ivy") { score { general } } }`,
      );
      return res.data?.contact?.score.general === 1;
    });
    // Lifecycle learns ivy from scoring's change, after scoring has it: until then the assignment is
    // refused as NOT_FOUND (and changes nothing), so it is tried again until lifecycle has her.
    await waitFor('lifecycle to accept ivy’s owner', async () => {
      const res = await gql(
        http(),
        acme.keys.write,
        `mutation($o: ID!) { assignOwner(contactId: "ivy", ownerId: $o) { id } }`,
        {
          o: ownerId,
        },
      );
      const refused = res.errors?.[0]?.extensions as { code?: string; fields?: { path: string }[] } | undefined;
      if (refused?.code === 'NOT_FOUND' && refused.fields?.[0]?.path === 'contactId') return null;
      expect(res.errors).toBeUndefined();
      return true;
    });
    await waitFor('the owner assignment delivered', () =>
      changes.received.some((r) => verified(changesEndpoint.secret, r).type === 'contact.owner_assigned'),
    );
    await ok(acme.keys.write, TRACK, {
      i: [{ id: 'p1', kind: 'PURCHASE', contactId: 'ivy', properties: { amount: 20 } }],
    });

    // Then the three notifications come live, resolved across subgraphs (ingestion's email, scoring's score)
    const notified = await waitFor('three notifications', () =>
      acmeLive.results.length >= 3 ? acmeLive.results : null,
    );
    const byAction = Object.fromEntries(
      notified.map((r) => [r.data!.notificationCreated.action, r.data!.notificationCreated]),
    );
    expect(Object.keys(byAction).sort()).toEqual(['EMAIL_OWNER', 'IN_APP', 'WEBHOOK']);
    expect(byAction.EMAIL_OWNER).toMatchObject({
      to: 'dee@acme.test',
      subject: 'Hot lead for Dee',
      // resolved when the event arrives: the email queued, or already accepted by the SMTP server
      outcome: expect.stringMatching(/^(PENDING|DELIVERED)$/),
      contact: { id: 'ivy', email: 'ivy@acme.test' },
    });
    expect(byAction.WEBHOOK).toMatchObject({ to: ruleEndpoint.endpoint.id, outcome: 'QUEUED' });
    expect(byAction.IN_APP).toMatchObject({ to: null, outcome: 'DELIVERED', subject: 'Need help choosing?' });
    expect(notified[0]!.data!.notificationCreated.contact.score.general).toBeGreaterThanOrEqual(6);
    expect(notified.every((r) => r.data!.notificationCreated.eventId.startsWith('scores:'))).toBe(true);

    // The owner's email reached the SMTP server; the rule's webhook reached its endpoint, signed
    const email = await waitFor('the owner’s email', () => sink.received.find((e) => e.to.includes('dee@acme.test')));
    expect(email.subject).toBe('Hot lead for Dee');
    expect(email.text).toBe('ivy@acme.test has 6 points');
    const posted = await waitFor('the rule’s webhook', () => ruleHook.received[0]);
    const ruleBody = verified(ruleEndpoint.secret, posted);
    expect(ruleBody).toMatchObject({
      type: 'rule.message',
      data: { contactId: 'ivy', ruleId: rule.id, subject: 'hot', body: 'ivy at 6', messageId: byAction.WEBHOOK!.id },
    });
    // and the audit says where each went
    const audit = await waitFor('the email delivered in the audit', async () => {
      const res = await gql<{ messageAudit: { items: { action: string; outcome: string; to: string | null }[] } }>(
        http(),
        acme.keys.read,
        AUDIT,
        { c: 'ivy' },
      );
      const items = res.data?.messageAudit.items ?? [];
      return items.find((i) => i.action === 'EMAIL_OWNER')?.outcome === 'DELIVERED' ? items : null;
    });
    expect(audit.find((i) => i.action === 'WEBHOOK')).toMatchObject({
      outcome: 'QUEUED',
      to: ruleEndpoint.endpoint.id,
    });

    // The changes endpoint: the assignment, the MQL step, the purchase's score change (not the visit's:
    // 1 point, no pricing tag) and the three notifications, each verified as a receiver would
    const expectedTypes = [
      'contact.owner_assigned',
      'contact.qualification_changed',
      'contact.score_changed',
      'notification.created',
      'notification.created',
      'notification.created',
    ];
    const bodies = await waitFor('every kind delivered', () => {
      const got = changes.received.map((r) => verified(changesEndpoint.secret, r));
      return got.length >= expectedTypes.length ? got : null;
    });
    expect(bodies.map((b) => b.type).sort()).toEqual(expectedTypes);
    expect(bodies.find((b) => b.type === 'contact.owner_assigned')!.data).toMatchObject({ contactId: 'ivy', ownerId });
    expect(bodies.find((b) => b.type === 'contact.qualification_changed')!.data).toMatchObject({
      contactId: 'ivy',
      to: 'MQL',
    });
    expect(bodies.find((b) => b.type === 'contact.score_changed')!.data).toMatchObject({
      contactId: 'ivy',
      delta: 5,
      general: 6,
      tags: { pricing: 2 },
    });
    expect(
      bodies
        .filter((b) => b.type === 'notification.created')
        .map((b) => b.data.notificationId)
        .sort(),
    ).toEqual(notified.map((r) => r.data!.notificationCreated.id).sort());
    // The tag filter of scoreChanged let the purchase through, not the visit
    const taggedChange = await waitFor('the tagged score change', () => tagged.results[0]);
    expect(taggedChange.data).toEqual({ scoreChanged: { delta: 5, contact: { id: 'ivy' } } });

    // A subscriber that saw the first notification resumes after it and gets the other two, in order
    const resumed = live<Notified>(acme.keys.read, NOTIFICATIONS, { after: notified[0]!.extensions!.eventId });
    const replayed = await waitFor('the replay', () => (resumed.results.length >= 2 ? resumed.results : null));
    expect(replayed.map((r) => r.data!.notificationCreated.id)).toEqual(
      notified.slice(1, 3).map((r) => r.data!.notificationCreated.id),
    );
    // The payload's query answers acme only
    const own = await gql(http(), acme.keys.read, `query($id: ID!) { ruleMessage(id: $id) { action } }`, {
      id: byAction.IN_APP!.id,
    });
    expect(own.data).toEqual({ ruleMessage: { action: 'IN_APP' } });
    const theirs = await gql(http(), globex.keys.read, `query($id: ID!) { ruleMessage(id: $id) { action } }`, {
      id: byAction.IN_APP!.id,
    });
    expect(theirs.data).toEqual({ ruleMessage: null });

    // Globex: its own change reaches its receiver and its subscriber sees no notification of acme's.
    // (Its endpoint takes every kind, so acme's events would have reached it before this one.)
    await ok(globex.keys.admin, `mutation { createScoringRule(input: { kind: PAGE_VISIT, points: 1 }) { id } }`);
    await ok(globex.keys.write, TRACK, {
      i: [{ id: 'g1', kind: 'PAGE_VISIT', source: 'DIRECT', contactId: 'gus' }],
    });
    await waitFor('globex’s own change delivered', () => foreign.received.length > 0);
    const globexContacts = foreign.received.map((r) => verified(globexEndpoint.secret, r).data.contactId);
    expect(globexContacts.every((c) => c === 'gus')).toBe(true);
    expect(globexLive.results).toEqual([]);
    expect(globexLive.failures).toEqual([]);
  });
});
