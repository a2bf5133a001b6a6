// Webhooks end to end, on real processes: phase changes on the PHASES stream (as lifecycle
// publishes them) reach real local HTTP receivers, signed per Standard Webhooks and verified
// with the `standardwebhooks` library as a receiver would; receivers that fail, time out and
// redirect to a private address; dead letters, auto-disable and replay; secret rotation;
// the SSRF refusal without the workspace's allowance; workspace isolation over HTTP through
// the gateway; kill -9 of the notification service mid-delivery, then a restart.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { databaseName } from '@cei/config';
import { topology } from '@cei/contracts';
import { connectDatabase, type Database } from '@cei/mongo';
import { connectNats, type Nats } from '@cei/nats';
import { testNamespace, waitFor } from '@cei/testing';
import { createWorkspace, type WorkspaceKeys } from '@cei/gateway/src/auth/api-keys';
import { APPS, AppProcess, waitUntilHealthy } from '../../infra/local/app-processes';
import { startPlatform, type Platform } from '../src/platform';
import { gql } from '../src/gateway-client';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from '../src/webhook-receiver';

const WEBHOOK_ENV = {
  WEBHOOK_MAX_ATTEMPTS: '4',
  WEBHOOK_RETRY_BASE_MS: '200',
  WEBHOOK_RETRY_MAX_MS: '800',
  WEBHOOK_TIMEOUT_MS: '1500',
  WEBHOOK_DISABLE_AFTER_MS: '6000',
};

const ENDPOINT_FIELDS = /* GraphQL */ `
  id
  url
  kinds
  filter {
    phases
    contactIds
  }
  enabled
  disabledAt
  disabledReason
  failingSince
  activeSecrets
`;
const CREATE = /* GraphQL */ `
  mutation Create($input: CreateWebhookEndpointInput!) {
    createWebhookEndpoint(input: $input) {
      secret
      endpoint { ${ENDPOINT_FIELDS} }
    }
  }
`;
const UPDATE = /* GraphQL */ `
  mutation Update($id: ID!, $input: UpdateWebhookEndpointInput!) {
    updateWebhookEndpoint(id: $id, input: $input) { ${ENDPOINT_FIELDS} }
  }
`;
const ENDPOINT = /* GraphQL */ `
  query Endpoint($id: ID!) {
    webhookEndpoint(id: $id) { ${ENDPOINT_FIELDS} }
  }
`;
const ENDPOINTS = /* GraphQL */ `
  query {
    webhookEndpoints {
      id
    }
  }
`;
const LOG = /* GraphQL */ `
  query Log($id: ID!, $first: Int, $after: String) {
    webhookDeliveryLog(endpointId: $id, first: $first, after: $after) {
      attempts {
        id
        deliveryId
        run
        attempt
        type
        contactId
        eventId
        at
        outcome
        statusCode
        latencyMs
        responseExcerpt
        error
      }
      nextCursor
    }
  }
`;
const ROTATE = /* GraphQL */ `
  mutation Rotate($id: ID!, $overlap: Int) {
    rotateWebhookSecret(id: $id, overlapSeconds: $overlap) {
      secret
      endpoint {
        activeSecrets
      }
    }
  }
`;
const REPLAY_ONE = /* GraphQL */ `
  mutation ReplayOne($id: ID!, $delivery: ID!) {
    replayWebhookDelivery(endpointId: $id, deliveryId: $delivery)
  }
`;
const REPLAY_RANGE = /* GraphQL */ `
  mutation ReplayRange($id: ID!, $from: DateTime!, $to: DateTime!) {
    replayWebhookDeliveries(endpointId: $id, from: $from, to: $to)
  }
`;

interface Endpoint {
  id: string;
  url: string;
  enabled: boolean;
  disabledAt: string | null;
  disabledReason: string | null;
  failingSince: string | null;
  activeSecrets: number;
}
interface Attempt {
  id: string;
  at: string;
  deliveryId: string;
  run: string;
  attempt: number;
  eventId: string;
  outcome: string;
  statusCode: number | null;
  latencyMs: number;
  responseExcerpt: string;
  error: string | null;
}
interface PhaseBody {
  type: string;
  timestamp: string;
  data: { workspaceId: string; contactId: string; transitionId: string; from: string; to: string };
}

/** What a receiver does with a request: verify with standardwebhooks, then parse. Throws if not authentic. */
function verified(secret: string, request: ReceivedWebhook): PhaseBody {
  return new Webhook(secret).verify(request.body, request.headers as Record<string, string>) as PhaseBody;
}

describe('webhooks', () => {
  let platform: Platform;
  let gatewayDb: Database;
  let nats: Nats;
  let a: WorkspaceKeys;
  let b: WorkspaceKeys;
  let strict: WorkspaceKeys;
  const receivers: WebhookReceiver[] = [];
  let restarted: AppProcess | undefined;
  let transitions = 0;
  const namespace = testNamespace('webhooks');
  const suffix = randomBytes(3).toString('hex');

  beforeAll(async () => {
    gatewayDb = await connectDatabase(process.env.MONGO_URL!, databaseName(namespace, 'gateway'));
    a = await createWorkspace(gatewayDb.connection, `wh-a-${suffix}`);
    b = await createWorkspace(gatewayDb.connection, `wh-b-${suffix}`);
    strict = await createWorkspace(gatewayDb.connection, `wh-strict-${suffix}`);
    platform = await startPlatform({
      natsUrl: process.env.NATS_URL!,
      mongoUrl: process.env.MONGO_URL!,
      namespace,
      // Receivers run on 127.0.0.1: allowed for workspaces a and b only (the strict one keeps the default).
      env: { ...WEBHOOK_ENV, WEBHOOK_ALLOW_PRIVATE: `${a.workspaceId}=127.0.0.1,${b.workspaceId}=127.0.0.1` },
    });
    nats = await connectNats(process.env.NATS_URL!, 'webhooks-test');
  }, 120_000);
  afterAll(async () => {
    await restarted?.stop();
    await Promise.all(receivers.map((r) => r.close()));
    await nats?.close();
    await gatewayDb?.close();
    await platform?.stop();
  });

  const http = () => platform.gateways[0]!.httpUrl;
  const receiver = async () => {
    const r = await startWebhookReceiver();
    receivers.push(r);
    return r;
  };
  const create = async (ws: WorkspaceKeys, input: Record<string, unknown>) => {
    const r = await gql<{ createWebhookEndpoint: { secret: string; endpoint: Endpoint } }>(
      http(),
      ws.keys.admin,
      CREATE,
      { input },
    );
    expect(r.errors).toBeUndefined();
    return r.data!.createWebhookEndpoint;
  };
  const log = async (ws: WorkspaceKeys, id: string, first = 200, after: string | null = null) => {
    const r = await gql<{ webhookDeliveryLog: { attempts: Attempt[]; nextCursor: string | null } }>(
      http(),
      ws.keys.read,
      LOG,
      { id, first, after },
    );
    expect(r.errors).toBeUndefined();
    return r.data!.webhookDeliveryLog;
  };
  /** A phase change on the PHASES stream, exactly as lifecycle publishes it. Returns its transition id. */
  const phaseChange = async (ws: WorkspaceKeys, contactId: string, from: string, to: string) => {
    const transitionId = `${contactId}-t${++transitions}`;
    const event = {
      v: 1,
      workspaceId: ws.workspaceId,
      contactId,
      transitionId,
      from,
      to,
      half: to === 'RETENTION' || to === 'EXIT' ? 'CUSTOMER' : 'PROSPECT',
      reason: 'test',
      at: new Date().toISOString(),
    };
    await nats.js.publish(topology(namespace).subjects.phaseChanged(ws.workspaceId, contactId), JSON.stringify(event), {
      msgID: `pc:${ws.workspaceId}:${transitionId}`,
    });
    return transitionId;
  };
  const eventsOf = (secret: string, r: WebhookReceiver) => r.received.map((req) => verified(secret, req));

  it('delivers phase changes signed per Standard Webhooks; a receiver verifies them with the standardwebhooks library, and only what the filter names', async () => {
    const all = await receiver();
    const retention = await receiver();
    const everything = await create(a, { url: all.url, kinds: ['PHASE_CHANGED'] });
    const filtered = await create(a, {
      url: retention.url,
      kinds: ['PHASE_CHANGED'],
      filter: { phases: ['RETENTION'], contactIds: ['ana'] },
    });
    expect(everything.secret).toMatch(/^whsec_/);
    expect(everything.endpoint.activeSecrets).toBe(1);

    const first = await phaseChange(a, 'ana', 'NURTURE', 'PURCHASE');
    const other = await phaseChange(a, 'bob', 'PURCHASE', 'RETENTION');
    const second = await phaseChange(a, 'ana', 'PURCHASE', 'RETENTION');
    await waitFor('both of ana’s changes and bob’s at the unfiltered receiver', () => all.received.length >= 3);
    await waitFor('ana’s RETENTION change at the filtered receiver', () => retention.received.length >= 1);

    const seen = eventsOf(everything.secret, all);
    expect(seen.map((e) => e.data.transitionId).sort()).toEqual([first, other, second].sort());
    expect(seen.filter((e) => e.data.contactId === 'ana').map((e) => e.data.transitionId)).toEqual([first, second]);
    expect(seen[0]!.type).toBe('contact.phase_changed');
    // The filtered endpoint's one event came after the others were published: nothing else is coming.
    expect(eventsOf(filtered.secret, retention).map((e) => e.data.transitionId)).toEqual([second]);
    // Another endpoint's secret does not verify, nor does a tampered body.
    expect(() => verified(filtered.secret, all.received[0]!)).toThrow();
    expect(() =>
      verified(everything.secret, {
        ...all.received[0]!,
        body: all.received[0]!.body.replace('phase_changed', 'phase_changes'),
      }),
    ).toThrow();
    // The webhook-id is the delivery id the log shows.
    const logged = await waitFor('the deliveries in the log', async () => {
      const page = await log(a, everything.endpoint.id);
      return page.attempts.length >= 3 && page.attempts;
    });
    expect(new Set(logged.map((x) => x.deliveryId))).toEqual(new Set(all.ids()));
    expect(logged.every((x) => x.outcome === 'DELIVERED' && x.statusCode === 204)).toBe(true);
  });

  it('delivers the phase change an interaction tracked through the gateway causes, as the contact card shows it', async () => {
    const r = await receiver();
    const { secret } = await create(b, { url: r.url, kinds: ['PHASE_CHANGED'], filter: { contactIds: ['zoe'] } });
    const tracked = await gql(
      http(),
      b.keys.write,
      `mutation($i: [InteractionInput!]!) { trackInteractions(interactions: $i) { accepted } }`,
      { i: [{ id: 'zoe-p1', kind: 'PURCHASE', contactId: 'zoe', properties: { amount: 5 } }] },
    );
    expect(tracked.errors).toBeUndefined();
    await waitFor('the first purchase’s phase change at the receiver', () => r.received.length >= 1, {
      timeoutMs: 30_000,
    });
    const event = verified(secret, r.received[0]!);
    const card = await gql<{ contact: { phaseHistory: { id: string; from: string; to: string }[] } }>(
      http(),
      b.keys.read,
      `{ contact(id: "zoe") { phaseHistory { id from to } } }`,
    );
    expect(card.data!.contact.phaseHistory).toEqual([
      { id: event.data.transitionId, from: event.data.from, to: event.data.to },
    ]);
    expect(event.data).toMatchObject({
      workspaceId: b.workspaceId,
      contactId: 'zoe',
      from: 'NURTURE',
      to: 'RETENTION',
    });
  });

  it('retries a failing receiver and one that times out with the same webhook-id, keeps each contact’s order, and logs every attempt with status, latency and excerpt, paginated', async () => {
    const flaky = await receiver();
    // The first two requests fail with 503, the third hangs past the sender's timeout; then all succeed.
    flaky.answer = (_req, i) =>
      i < 2 ? { status: 503, body: `busy ${i}` } : i === 2 ? 'hang' : { status: 200, body: 'ok' };
    const { secret, endpoint } = await create(a, { url: flaky.url, kinds: ['PHASE_CHANGED'] });
    const first = await phaseChange(a, 'cleo', 'NURTURE', 'PURCHASE');
    const second = await phaseChange(a, 'cleo', 'PURCHASE', 'NURTURE');
    const delivered = await waitFor(
      'both changes delivered',
      () => {
        const ok = flaky.received.filter((_, i) => i >= 3);
        const ids = new Set(ok.map((r) => verified(secret, r).data.transitionId));
        return ids.has(first) && ids.has(second) && ok;
      },
      { timeoutMs: 30_000 },
    );
    // The first change was tried three times (503, 503, timeout) before the second was sent at all.
    const order = flaky.received.map((r) => verified(secret, r).data.transitionId);
    expect(order.slice(0, 4)).toEqual([first, first, first, first]);
    expect(order.indexOf(second)).toBeGreaterThan(3);
    expect(new Set(flaky.received.slice(0, 3).map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(delivered.length).toBeGreaterThanOrEqual(2);

    const attempts = await waitFor('five attempts logged', async () => {
      const page = await log(a, endpoint.id);
      return page.attempts.length >= 5 && page.attempts;
    });
    const failed = attempts.filter((x) => x.outcome === 'FAILED');
    expect(failed.map((x) => x.statusCode).sort()).toEqual([503, 503, null]);
    expect(failed.find((x) => x.statusCode === 503)!.responseExcerpt).toMatch(/^busy /);
    expect(failed.find((x) => x.statusCode === null)!.error).toMatch(/timed out/);
    expect(attempts.filter((x) => x.outcome === 'DELIVERED')).toHaveLength(2);
    expect(attempts.every((x) => x.latencyMs >= 0)).toBe(true);
    // Pages of two, newest first, through the cursor: the same attempts, each once.
    const paged: Attempt[] = [];
    let after: string | null = null;
    do {
      const page = await log(a, endpoint.id, 2, after);
      paged.push(...page.attempts);
      after = page.nextCursor;
    } while (after);
    expect(paged.map((x) => x.id)).toEqual(attempts.map((x) => x.id));
  });

  it('refuses a redirect to a link-local address instead of following it', async () => {
    const redirecting = await receiver();
    redirecting.answer = () => ({ status: 307, headers: { location: 'http://169.254.169.254/latest/meta-data/' } });
    const { endpoint } = await create(a, { url: redirecting.url, kinds: ['PHASE_CHANGED'] });
    await phaseChange(a, 'dan', 'NURTURE', 'PURCHASE');
    const attempt = await waitFor(
      'the refused redirect in the log',
      async () => (await log(a, endpoint.id)).attempts[0],
    );
    expect(attempt.outcome).toBe('FAILED');
    expect(attempt.error).toMatch(/169\.254\.169\.254.*refused/);
  });

  it('without the workspace’s allowance, refuses loopback, private and link-local URLs (also by DNS) naming input.url, and creates nothing', async () => {
    for (const url of [
      'http://127.0.0.1:9/x',
      'http://localhost:9/x',
      'http://10.1.2.3/x',
      'http://[::1]/x',
      'http://169.254.169.254/',
    ]) {
      const r = await gql(http(), strict.keys.admin, CREATE, { input: { url, kinds: ['PHASE_CHANGED'] } });
      expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect((r.errors?.[0]?.extensions?.fields as { path: string }[])[0]!.path).toBe('input.url');
    }
    const bad = await gql(http(), strict.keys.admin, CREATE, {
      input: { url: 'ftp://example.com/', kinds: [], filter: { phases: ['LATER'] } },
    });
    expect((bad.errors?.[0]?.extensions?.fields as { path: string }[]).map((f) => f.path).sort()).toEqual([
      'input.filter.phases[0]',
      'input.kinds',
      'input.url',
    ]);
    const list = await gql<{ webhookEndpoints: { id: string }[] }>(http(), strict.keys.read, ENDPOINTS);
    expect(list.data!.webhookEndpoints).toEqual([]);
  });

  it('rotates a secret with an overlap (both sign), or at once', async () => {
    const r = await receiver();
    const { secret: old, endpoint } = await create(a, {
      url: r.url,
      kinds: ['PHASE_CHANGED'],
      filter: { contactIds: ['eli'] },
    });
    const rotated = await gql<{ rotateWebhookSecret: { secret: string; endpoint: { activeSecrets: number } } }>(
      http(),
      a.keys.admin,
      ROTATE,
      { id: endpoint.id, overlap: 3600 },
    );
    const fresh = rotated.data!.rotateWebhookSecret.secret;
    expect(rotated.data!.rotateWebhookSecret.endpoint.activeSecrets).toBe(2);
    await phaseChange(a, 'eli', 'NURTURE', 'PURCHASE');
    await waitFor('a delivery during the overlap', () => r.received.length >= 1);
    expect(String(r.received[0]!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verified(old, r.received[0]!).data.contactId).toBe('eli');
    expect(verified(fresh, r.received[0]!).data.contactId).toBe('eli');

    const again = await gql<{ rotateWebhookSecret: { secret: string } }>(http(), a.keys.admin, ROTATE, {
      id: endpoint.id,
      overlap: 0,
    });
    const newest = again.data!.rotateWebhookSecret.secret;
    await phaseChange(a, 'eli', 'PURCHASE', 'NURTURE');
    await waitFor('a delivery after the immediate rotation', () => r.received.length >= 2);
    expect(verified(newest, r.received[1]!).data.to).toBe('NURTURE');
    expect(() => verified(fresh, r.received[1]!)).toThrow();
    expect(() => verified(old, r.received[1]!)).toThrow();
  });

  it('dead-letters after the retry budget, disables an endpoint failing too long (visible to admins, and a notice to their endpoint), and replays one delivery and a time range once enabled again', async () => {
    const down = await receiver();
    let up = false;
    down.answer = () => (up ? { status: 200 } : { status: 500, body: 'down' });
    const { secret, endpoint } = await create(a, {
      url: down.url,
      kinds: ['PHASE_CHANGED'],
      filter: { contactIds: ['fay'] },
    });
    // The admins' automation listens for endpoints disabled by failures.
    const ops = await receiver();
    const opsEndpoint = await create(a, { url: ops.url, kinds: ['WEBHOOK_ENDPOINT_DISABLED'] });
    const since = new Date();
    const lost = await phaseChange(a, 'fay', 'NURTURE', 'PURCHASE');
    const dead = await waitFor(
      'the dead letter',
      async () => (await log(a, endpoint.id)).attempts.find((x) => x.outcome === 'DEAD_LETTERED'),
      { timeoutMs: 30_000 },
    );
    expect(dead.eventId).toBe(lost);
    expect(dead.attempt).toBeGreaterThanOrEqual(4);
    // Still failing past WEBHOOK_DISABLE_AFTER_MS: a later failure disables the endpoint.
    const disabled = await waitFor(
      'the endpoint disabled by failures',
      async () => {
        await phaseChange(a, 'fay', 'PURCHASE', 'NURTURE');
        const r = await gql<{ webhookEndpoint: Endpoint }>(http(), a.keys.admin, ENDPOINT, { id: endpoint.id });
        return r.data!.webhookEndpoint.disabledAt ? r.data!.webhookEndpoint : undefined;
      },
      { timeoutMs: 40_000, intervalMs: 1_000 },
    );
    expect(disabled.disabledReason).toMatch(/no successful delivery since/);
    const notice = await waitFor('the disabled notice at the admins’ endpoint', () =>
      ops.received
        .map((r) => new Webhook(opsEndpoint.secret).verify(r.body, r.headers as Record<string, string>))
        .find((body) => (body as { data: { endpointId: string } }).data.endpointId === endpoint.id),
    );
    expect(notice).toMatchObject({
      type: 'webhook.endpoint_disabled',
      data: { url: down.url, reason: disabled.disabledReason },
    });
    expect(disabled.enabled).toBe(true);
    const skipped = await waitFor(
      'a delivery skipped while disabled',
      async () => (await log(a, endpoint.id)).attempts.find((x) => x.outcome === 'SKIPPED_DISABLED'),
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(skipped.statusCode).toBeNull();

    up = true;
    const enabled = await gql<{ updateWebhookEndpoint: Endpoint }>(http(), a.keys.admin, UPDATE, {
      id: endpoint.id,
      input: { enabled: true },
    });
    expect(enabled.data!.updateWebhookEndpoint.disabledAt).toBeNull();
    const mark = down.received.length;
    const run = await gql<{ replayWebhookDelivery: string }>(http(), a.keys.admin, REPLAY_ONE, {
      id: endpoint.id,
      delivery: dead.deliveryId,
    });
    expect(run.errors).toBeUndefined();
    const replayed = await waitFor('the replayed dead letter delivered', () =>
      down.received.slice(mark).find((r) => r.headers['webhook-id'] === dead.deliveryId),
    );
    expect(verified(secret, replayed).data.transitionId).toBe(lost);
    const before = down.received.length;
    const until = new Date();
    const range = await gql<{ replayWebhookDeliveries: number }>(http(), a.keys.admin, REPLAY_RANGE, {
      id: endpoint.id,
      from: since.toISOString(),
      to: until.toISOString(),
    });
    const count = range.data!.replayWebhookDeliveries;
    const inRange = new Set(
      (await log(a, endpoint.id)).attempts.filter((x) => new Date(x.at) < until).map((x) => x.deliveryId),
    );
    expect(count).toBe(inRange.size);
    expect(count).toBeGreaterThanOrEqual(2);
    await waitFor(
      'every delivery of the range sent again',
      () => {
        const again = new Set(down.received.slice(before).map((r) => String(r.headers['webhook-id'])));
        return [...inRange].every((id) => again.has(id));
      },
      { timeoutMs: 30_000 },
    );
  });

  it('keeps workspaces apart: another workspace neither sees, changes nor replays an endpoint, nor receives its events; a read key changes nothing', async () => {
    const ra = await receiver();
    const rb = await receiver();
    const mine = await create(a, { url: ra.url, kinds: ['PHASE_CHANGED'], filter: { contactIds: ['gus'] } });
    const theirs = await create(b, { url: rb.url, kinds: ['PHASE_CHANGED'] });
    const forbidden = await gql(http(), a.keys.read, CREATE, { input: { url: ra.url, kinds: ['PHASE_CHANGED'] } });
    expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const listB = await gql<{ webhookEndpoints: { id: string }[] }>(http(), b.keys.admin, ENDPOINTS);
    const listA = await gql<{ webhookEndpoints: { id: string }[] }>(http(), a.keys.read, ENDPOINTS);
    const idsA = listA.data!.webhookEndpoints.map((e) => e.id);
    const idsB = listB.data!.webhookEndpoints.map((e) => e.id);
    expect(idsB).toContain(theirs.endpoint.id);
    expect(idsA).toContain(mine.endpoint.id);
    expect(idsA.filter((id) => idsB.includes(id))).toEqual([]);
    const seen = await gql<{ webhookEndpoint: Endpoint | null }>(http(), b.keys.admin, ENDPOINT, {
      id: mine.endpoint.id,
    });
    expect(seen.data!.webhookEndpoint).toBeNull();
    for (const [query, variables] of [
      [UPDATE, { id: mine.endpoint.id, input: { url: rb.url } }],
      [ROTATE, { id: mine.endpoint.id }],
      [LOG, { id: mine.endpoint.id }],
      [REPLAY_RANGE, { id: mine.endpoint.id, from: '2020-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z' }],
    ] as const) {
      const r = await gql(http(), b.keys.admin, query, variables);
      expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
    // a's event first, delivered; then b's (the sentinel): one contact's deliveries to b's endpoint go in order.
    await phaseChange(a, 'gus', 'NURTURE', 'PURCHASE');
    await waitFor('a’s own event', () => ra.received.length >= 1);
    await phaseChange(b, 'gus', 'NURTURE', 'PURCHASE');
    await waitFor('b’s own event', () => rb.received.length >= 1);
    expect(eventsOf(mine.secret, ra).map((e) => e.data.workspaceId)).toEqual([a.workspaceId]);
    expect(eventsOf(theirs.secret, rb).map((e) => e.data.workspaceId)).toEqual([b.workspaceId]);
    const still = await gql<{ webhookEndpoint: Endpoint }>(http(), a.keys.admin, ENDPOINT, { id: mine.endpoint.id });
    expect(still.data!.webhookEndpoint.url).toBe(ra.url);
  });

  it('survives kill -9 of the notification service mid-delivery and a restart: every delivery arrives, the interrupted one again with the same webhook-id', async () => {
    const r = await receiver();
    let hung = false;
    // The first request is held open (mid-delivery) until the process is killed.
    r.answer = () => (hung ? { status: 200 } : ((hung = true), 'hang'));
    const { secret } = await create(a, {
      url: r.url,
      kinds: ['PHASE_CHANGED'],
      filter: { contactIds: ['hal', 'ivy'] },
    });
    const sent = [
      await phaseChange(a, 'hal', 'NURTURE', 'PURCHASE'),
      await phaseChange(a, 'ivy', 'NURTURE', 'PURCHASE'),
      await phaseChange(a, 'hal', 'PURCHASE', 'NURTURE'),
    ];
    await waitFor('a delivery in flight', () => r.received.length >= 1);
    const interrupted = String(r.received[0]!.headers['webhook-id']);
    const instance = platform.instances.find((i) => i.subgraph === 'notification')!;
    await platform.kill(instance.name);
    // More events while it is down: kept in JetStream.
    sent.push(await phaseChange(a, 'ivy', 'PURCHASE', 'NURTURE'));
    const spec = APPS.find((app) => app.name === 'notification')!;
    const port = Number(new URL(instance.baseUrl).port);
    restarted = new AppProcess({
      name: 'notification-restarted',
      dir: spec.dir,
      port,
      compiled: platform.compiled,
      env: {
        ...(process.env as Record<string, string>),
        NATS_URL: process.env.NATS_URL!,
        MONGO_URL: process.env.MONGO_URL!,
        CEI_NAMESPACE: namespace,
        CEI_INTERNAL_SECRET: platform.secret,
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
        ...WEBHOOK_ENV,
        WEBHOOK_ALLOW_PRIVATE: `${a.workspaceId}=127.0.0.1,${b.workspaceId}=127.0.0.1`,
        [spec.portVariable]: String(port),
      },
    });
    await waitUntilHealthy(restarted, { timeoutMs: 30_000 });
    await waitFor(
      'every change delivered after the restart',
      () => {
        const ids = new Set(r.received.slice(1).map((req) => verified(secret, req).data.transitionId));
        return sent.every((t) => ids.has(t));
      },
      { timeoutMs: 90_000, intervalMs: 200 },
    );
    expect(r.ids().filter((id) => id === interrupted).length).toBeGreaterThanOrEqual(2);
    // Per contact, in order (the last delivery of each transition is what counts).
    const order = r.received.slice(1).map((req) => verified(secret, req).data.transitionId);
    const lastIndex = (t: string) => order.lastIndexOf(t);
    expect(lastIndex(sent[0]!)).toBeLessThan(lastIndex(sent[2]!));
    expect(lastIndex(sent[1]!)).toBeLessThan(lastIndex(sent[3]!));
  }, 150_000);
});
