// Messages tailored to the phase, end to end on real processes: a purchase scored by the real
// scoring service moves the contact into RETENTION in the real lifecycle service; notification's
// rule renders its template with the contact's fields and sends the email over SMTP to a real
// local SMTP server, and puts an in-app message in the contact's feed. Everything through the
// gateway with API keys: another workspace sees and touches none of it, a write key cannot
// manage rules.
import { databaseName } from '@cei/config';
import { connectDatabase, type Database } from '@cei/mongo';
import { startSmtpSink, testNamespace, waitFor, type SmtpSink } from '@cei/testing';
import { createWorkspace, type WorkspaceKeys } from '@cei/gateway/src/auth/api-keys';
import { startPlatform, type Platform } from '../src/platform';
import { gql } from '../src/gateway-client';

const TRACK = `mutation($i: [InteractionInput!]!) { trackInteractions(interactions: $i) { accepted } }`;
const CREATE_RULE = /* GraphQL */ `
  mutation Create($input: NotificationRuleInput!) {
    createNotificationRule(input: $input) {
      id
      enabled
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
const AUDIT = `query($c: ID) { messageAudit(contactId: $c) { items { id eventId action to subject outcome sentAt } } }`;
const FEED = `query($c: ID!) { contactMessages(contactId: $c) { items { id subject body readAt } next } }`;

type Audit = {
  messageAudit: {
    items: {
      id: string;
      eventId: string;
      action: string;
      to: string | null;
      subject: string;
      outcome: string;
      sentAt: string | null;
    }[];
  };
};
type Feed = {
  contactMessages: {
    items: { id: string; subject: string; body: string; readAt: string | null }[];
    next: string | null;
  };
};

describe('a rule’s message from a real phase change, through template and SMTP', () => {
  const namespace = testNamespace('e2e-messages');
  let sink: SmtpSink;
  let platform: Platform;
  let gatewayDb: Database;
  let acme: WorkspaceKeys;
  let globex: WorkspaceKeys;
  const http = () => platform.gateways[0]!.httpUrl;

  beforeAll(async () => {
    sink = await startSmtpSink();
    platform = await startPlatform({
      natsUrl: process.env.NATS_URL!,
      mongoUrl: process.env.MONGO_URL!,
      namespace,
      env: { SMTP_URL: sink.url },
    });
    gatewayDb = await connectDatabase(process.env.MONGO_URL!, databaseName(namespace, 'gateway'));
    [acme, globex] = [await createWorkspace(gatewayDb.connection), await createWorkspace(gatewayDb.connection)];
  }, 90_000);
  afterAll(async () => {
    await gatewayDb?.close();
    await platform?.stop();
    await sink?.stop();
  });

  it('emails the new customer and fills her feed, and keeps rules, messages and feeds from other workspaces', async () => {
    // Given a purchase worth 3 points, and ivy known by a visit that gave her email and name
    const scoring = await gql(
      http(),
      acme.keys.admin,
      `mutation { createScoringRule(input: { kind: PURCHASE, points: 3 }) { id } }`,
    );
    expect(scoring.errors).toBeUndefined();
    await gql(http(), acme.keys.write, TRACK, {
      i: [
        {
          id: 'v1',
          kind: 'PAGE_VISIT',
          source: 'DIRECT',
          contactId: 'ivy',
          email: 'ivy@example.com',
          properties: { name: 'Ivy' },
        },
      ],
    });
    const input = {
      name: 'welcome customers',
      trigger: { kind: 'PHASE_ENTERED', phase: 'RETENTION' },
      actions: [
        {
          kind: 'EMAIL_CONTACT',
          subject: 'Welcome aboard, {{ contact.name }}',
          body: 'Hello {{ contact.name }}: you are in {{ contact.phase | downcase }} with {{ contact.score }} points.',
        },
        { kind: 'IN_APP', subject: 'Product tips', body: 'Tips for {{ contact.email }}' },
      ],
    };
    // The preview before enabling: notification knows ivy's address from the visit
    await waitFor('ivy’s address in the preview', async () => {
      const res = await gql<{ previewNotificationRule: { actions: { to: string | null }[] } }>(
        http(),
        acme.keys.read,
        PREVIEW,
        { input, contactId: 'ivy' },
      );
      return res.data?.previewNotificationRule.actions[0]?.to === 'ivy@example.com';
    });
    // A write key cannot manage rules; the admin key creates it enabled
    const refused = await gql(http(), acme.keys.write, CREATE_RULE, { input: { ...input, enabled: true } });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const created = await gql<{ createNotificationRule: { id: string; enabled: boolean } }>(
      http(),
      acme.keys.admin,
      CREATE_RULE,
      { input: { ...input, enabled: true } },
    );
    expect(created.errors).toBeUndefined();
    const ruleId = created.data!.createNotificationRule.id;

    // When ivy buys (scoring: 3 points; lifecycle: NURTURE → RETENTION, a first purchase)
    await gql(http(), acme.keys.write, TRACK, {
      i: [{ id: 'p1', kind: 'PURCHASE', contactId: 'ivy', properties: { amount: 5 } }],
    });

    // Then the email reaches the SMTP server, rendered with her fields, its Message-ID the message's id
    const email = await waitFor('the welcome email', () => sink.received.find((e) => e.to.includes('ivy@example.com')));
    expect(email.subject).toBe('Welcome aboard, Ivy');
    expect(email.text).toBe('Hello Ivy: you are in retention with 3 points.');
    const audit = await waitFor('both messages audited', async () => {
      const res = await gql<Audit>(http(), acme.keys.read, AUDIT, { c: 'ivy' });
      const items = res.data?.messageAudit.items ?? [];
      return items.length === 2 && items.every((i) => i.outcome === 'DELIVERED') ? items : null;
    });
    const mail = audit.find((i) => i.action === 'EMAIL_CONTACT')!;
    expect(mail).toMatchObject({ to: 'ivy@example.com', subject: 'Welcome aboard, Ivy', sentAt: expect.any(String) });
    expect(mail.eventId).toMatch(/^phase:/);
    expect(email.messageId).toBe(`<${mail.id}@cei.local>`);
    const feed = await gql<Feed>(http(), acme.keys.read, FEED, { c: 'ivy' });
    expect(feed.data!.contactMessages).toEqual({
      items: [{ id: expect.any(String), subject: 'Product tips', body: 'Tips for ivy@example.com', readAt: null }],
      next: null,
    });
    const inApp = feed.data!.contactMessages.items[0]!.id;

    // Another workspace: no rules, no audit, no feed, no preview of acme's rule or contact, no marks
    expect((await gql(http(), globex.keys.read, `{ notificationRules { id } }`)).data).toEqual({
      notificationRules: [],
    });
    expect((await gql<Audit>(http(), globex.keys.read, AUDIT, { c: 'ivy' })).data!.messageAudit.items).toEqual([]);
    expect((await gql<Feed>(http(), globex.keys.read, FEED, { c: 'ivy' })).data!.contactMessages.items).toEqual([]);
    const foreignRule = await gql(http(), globex.keys.read, PREVIEW, { ruleId, contactId: 'ivy' });
    expect(foreignRule.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const foreignContact = await gql(http(), globex.keys.read, PREVIEW, { input, contactId: 'ivy' });
    expect(foreignContact.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const foreignMark = await gql(http(), globex.keys.write, `mutation { markMessageRead(id: "${inApp}") { id } }`);
    expect(foreignMark.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const foreignEdit = await gql(http(), globex.keys.admin, `mutation { deleteNotificationRule(id: "${ruleId}") }`);
    expect(foreignEdit.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // and acme's message and rule are as they were
    expect(
      (await gql<Feed>(http(), acme.keys.read, FEED, { c: 'ivy' })).data!.contactMessages.items[0]!.readAt,
    ).toBeNull();
    expect((await gql(http(), acme.keys.read, `{ notificationRule(id: "${ruleId}") { enabled } }`)).data).toEqual({
      notificationRule: { enabled: true },
    });
  });
});
