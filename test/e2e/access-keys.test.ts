// Workspaces and API keys run through the graph, on two real gateway processes: the
// operator credential creates, lists, suspends and resumes workspaces; a workspace's
// admins create, list, rotate and revoke its keys, every action audited. A key revoked
// (or a workspace suspended) on gateway 1 stops working on gateway 2 over HTTP and its
// open graphql-ws socket there is closed with 4403 (its SSE stream there ends) — with the key cache TTL set to ten
// minutes, so only the NATS announcement can have done it.
import { databaseName } from '@cei/config';
import { connectDatabase, type Database } from '@cei/mongo';
import { testNamespace } from '@cei/testing';
import { createWorkspace, type WorkspaceKeys } from '@cei/gateway/src/auth/api-keys';
import { newOperatorKey } from '@cei/gateway/src/auth/operator';
import { startPlatform, type Platform } from '../src/platform';
import { gql, subscribe } from '../src/gateway-client';
import { subscribeOverSse } from '../src/sse-client';

const OPERATOR_KEY = newOperatorKey();

const KEY_FIELDS =
  'id label role status prefix createdAt createdBy expiresAt rotatedAt previousSecretValidUntil revokedAt';
const CREATE_WORKSPACE = `mutation($input: CreateWorkspaceInput!) {
  createWorkspace(input: $input) { workspace { id status } adminKey { secret apiKey { ${KEY_FIELDS} } } }
}`;
const WORKSPACES = '{ workspaces { id status createdAt suspendedAt } }';
const SUSPEND =
  'mutation($id: ID!, $reason: String) { suspendWorkspace(id: $id, reason: $reason) { id status suspendedAt } }';
const RESUME = 'mutation($id: ID!) { resumeWorkspace(id: $id) { id status } }';
const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { ${KEY_FIELDS} } } }`;
const LIST_KEYS = `query($all: Boolean) { apiKeys(includeRevoked: $all) { ${KEY_FIELDS} } }`;
const ROTATE = `mutation($id: ID!, $overlap: Int) { rotateApiKey(id: $id, overlapSeconds: $overlap) { secret apiKey { ${KEY_FIELDS} } } }`;
const REVOKE = `mutation($id: ID!) { revokeApiKey(id: $id) { ${KEY_FIELDS} } }`;
const AUDIT = `query($first: Int, $after: ID) {
  apiKeyAudit(first: $first, after: $after) { entries { id at actor action keyId label role detail } nextCursor }
}`;
/** Any read through the federated graph: what a key of any role may run. */
const READ = '{ contact(id: "nobody") { id } }';
const PHASES = 'subscription { phaseChanged { to } }';

interface ApiKeyView {
  id: string;
  label: string;
  role: string;
  status: string;
  prefix: string;
  createdBy: string;
  expiresAt: string | null;
  rotatedAt: string | null;
  previousSecretValidUntil: string | null;
  revokedAt: string | null;
}
interface CreatedKey {
  secret: string;
  apiKey: ApiKeyView;
}
interface AuditEntry {
  id: string;
  actor: string;
  action: string;
  keyId: string | null;
  label: string | null;
  role: string | null;
  detail: string | null;
}

/** Polls until `check` holds (a deadline, never a sleep of its own), then returns its last value. */
async function eventually<T>(probe: () => Promise<T>, check: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  let last: T = await probe();
  while (!check(last)) {
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await probe();
  }
  return last;
}

describe('workspaces and keys through the graph (two gateways)', () => {
  let platform: Platform;
  let gatewayDb: Database;
  let acme: WorkspaceKeys;
  let globex: WorkspaceKeys;
  const gw1 = () => platform.gateways[0]!.httpUrl;
  const gw2 = () => platform.gateways[1]!.httpUrl;
  const ws2 = () => platform.gateways[1]!.wsUrl;

  const createKey = async (admin: string, input: Record<string, unknown>, url = gw1()) => {
    const response = await gql<{ createApiKey: CreatedKey }>(url, admin, CREATE_KEY, { input });
    expect(response.errors).toBeUndefined();
    return response.data!.createApiKey;
  };
  const listKeys = async (admin: string, all = false) => {
    const response = await gql<{ apiKeys: ApiKeyView[] }>(gw1(), admin, LIST_KEYS, { all });
    expect(response.errors).toBeUndefined();
    return response.data!.apiKeys;
  };
  const audit = async (admin: string, first = 200, after?: string) => {
    const response = await gql<{ apiKeyAudit: { entries: AuditEntry[]; nextCursor: string | null } }>(
      gw1(),
      admin,
      AUDIT,
      { first, after },
    );
    expect(response.errors).toBeUndefined();
    return response.data!.apiKeyAudit;
  };
  const readStatus = async (url: string, key: string) => (await gql(url, key, READ)).status;

  beforeAll(async () => {
    const namespace = testNamespace('access');
    platform = await startPlatform({
      natsUrl: process.env.NATS_URL!,
      mongoUrl: process.env.MONGO_URL!,
      namespace,
      gateways: 2,
      // Ten minutes: a key that stops working on gateway 2 was told so over NATS, not forgotten by its cache.
      env: { CEI_OPERATOR_KEY: OPERATOR_KEY, KEY_CACHE_TTL_MS: String(600_000) },
    });
    gatewayDb = await connectDatabase(process.env.MONGO_URL!, databaseName(namespace, 'gateway'));
    [acme, globex] = [await createWorkspace(gatewayDb.connection), await createWorkspace(gatewayDb.connection)];
  }, 120_000);
  afterAll(async () => {
    await gatewayDb?.close();
    await platform?.stop();
  });

  describe('the operator credential', () => {
    it('creates a workspace with a first admin key that works at once, and lists it', async () => {
      const created = await gql<{
        createWorkspace: { workspace: { id: string; status: string }; adminKey: CreatedKey };
      }>(gw1(), OPERATOR_KEY, CREATE_WORKSPACE, { input: { id: 'initech', adminKeyLabel: 'bootstrap' } });

      expect(created.errors).toBeUndefined();
      const { workspace, adminKey } = created.data!.createWorkspace;
      expect(workspace).toEqual({ id: 'initech', status: 'ACTIVE' });
      expect(adminKey.apiKey).toMatchObject({
        label: 'bootstrap',
        role: 'ADMIN',
        status: 'ACTIVE',
        createdBy: 'operator',
      });
      expect(adminKey.secret).toMatch(/^cei_admin_/);
      expect(await readStatus(gw2(), adminKey.secret)).toBe(200);
      expect((await listKeys(adminKey.secret)).map((key) => key.id)).toEqual([adminKey.apiKey.id]);

      const listed = await gql<{ workspaces: { id: string; status: string }[] }>(gw2(), OPERATOR_KEY, WORKSPACES);
      expect(listed.errors).toBeUndefined();
      expect(listed.data!.workspaces.map((ws) => ws.id)).toEqual(
        expect.arrayContaining(['initech', acme.workspaceId, globex.workspaceId]),
      );
      const trail = await audit(adminKey.secret);
      expect(trail.entries.map((entry) => [entry.action, entry.actor])).toEqual([
        ['KEY_CREATED', 'operator'],
        ['WORKSPACE_CREATED', 'operator'],
      ]);
    });

    it('refuses a taken or invalid workspace id naming the field, and creates nothing', async () => {
      const before = await gql<{ workspaces: unknown[] }>(gw1(), OPERATOR_KEY, WORKSPACES);
      const taken = await gql(gw1(), OPERATOR_KEY, CREATE_WORKSPACE, { input: { id: acme.workspaceId } });
      const invalid = await gql(gw1(), OPERATOR_KEY, CREATE_WORKSPACE, { input: { id: 'Not Valid!' } });
      const badLabel = await gql(gw1(), OPERATOR_KEY, CREATE_WORKSPACE, { input: { id: 'fresh', adminKeyLabel: ' ' } });

      expect(taken.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', fields: [{ path: 'input.id' }] });
      expect(invalid.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: 'input.id' }] });
      expect(badLabel.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: [{ path: 'input.adminKeyLabel' }],
      });
      const after = await gql<{ workspaces: unknown[] }>(gw1(), OPERATOR_KEY, WORKSPACES);
      expect(after.data!.workspaces).toHaveLength(before.data!.workspaces.length);
    });

    it('runs workspaces only: not the rest of the graph, not /collect, not as a workspace key over graphql-ws', async () => {
      const query = await gql(gw1(), OPERATOR_KEY, READ);
      expect(query.status).toBe(403);
      expect(query.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const keys = await gql(gw1(), OPERATOR_KEY, LIST_KEYS);
      expect(keys.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

      const collect = await fetch(gw1().replace('/graphql', '/collect'), {
        method: 'POST',
        headers: { authorization: `Bearer ${OPERATOR_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'PAGE_VISIT', contactId: 'op' }),
      });
      expect(collect.status).toBe(401);

      const socket = subscribe(ws2(), OPERATOR_KEY, PHASES);
      expect((await socket.closed).code).toBe(4403);
    });

    it('is refused to workspace keys, even admin ones', async () => {
      const denied = await gql(gw1(), acme.keys.admin, WORKSPACES);
      const suspend = await gql(gw1(), acme.keys.admin, SUSPEND, { id: globex.workspaceId });

      expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(suspend.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(await readStatus(gw1(), globex.keys.read)).toBe(200);
    });
  });

  describe("a workspace's admins", () => {
    it('create a key with a label and role, list it without its secret, and the key works on both gateways', async () => {
      const created = await createKey(acme.keys.admin, { label: 'CRM sync', role: 'READ' });

      expect(created.secret).toMatch(/^cei_read_[A-Za-z0-9_-]{32}$/);
      expect(created.apiKey).toMatchObject({ label: 'CRM sync', role: 'READ', status: 'ACTIVE' });
      expect(created.secret.startsWith(created.apiKey.prefix)).toBe(true);
      expect(created.apiKey.createdBy).toMatch(/^admin-key:key_/);
      const listedResponse = await gql(gw1(), acme.keys.admin, LIST_KEYS);
      expect(JSON.stringify(listedResponse)).not.toContain(created.secret);
      expect((await listKeys(acme.keys.admin)).find((key) => key.id === created.apiKey.id)).toEqual(created.apiKey);
      expect(await readStatus(gw1(), created.secret)).toBe(200);
      expect(await readStatus(gw2(), created.secret)).toBe(200);
      // A read key may read, not change anything.
      const mutation = await gql(gw1(), created.secret, CREATE_KEY, { input: { label: 'x', role: 'ADMIN' } });
      expect(mutation.status).toBe(403);
    });

    it('get errors naming the field on bad input, and nothing is created', async () => {
      const before = await listKeys(acme.keys.admin, true);
      const emptyLabel = await gql(gw1(), acme.keys.admin, CREATE_KEY, { input: { label: '  ', role: 'READ' } });
      const longLabel = await gql(gw1(), acme.keys.admin, CREATE_KEY, {
        input: { label: 'x'.repeat(101), role: 'READ' },
      });
      const past = await gql(gw1(), acme.keys.admin, CREATE_KEY, {
        input: { label: 'old', role: 'READ', expiresAt: '2020-01-01T00:00:00Z' },
      });
      const badRole = await gql(gw1(), acme.keys.admin, CREATE_KEY, { input: { label: 'x', role: 'OWNER' } });
      const badOverlap = await gql(gw1(), acme.keys.admin, ROTATE, { id: before[0]!.id, overlap: -1 });
      const badPage = await gql(gw1(), acme.keys.admin, AUDIT, { first: 0 });

      expect(emptyLabel.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: [{ path: 'input.label' }],
      });
      expect(longLabel.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: [{ path: 'input.label' }],
      });
      expect(past.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: [{ path: 'input.expiresAt' }],
      });
      expect(badRole.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(badRole.errors?.[0]?.message).toContain('role');
      expect(badOverlap.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: [{ path: 'overlapSeconds' }],
      });
      expect(badPage.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: 'first' }] });
      expect(await listKeys(acme.keys.admin, true)).toEqual(before);
    });

    it('rotate a key: without overlap the old secret stops at once; with one, both work until it ends', async () => {
      const key = await createKey(acme.keys.admin, { label: 'rotating', role: 'WRITE' });
      const rotated = await gql<{ rotateApiKey: CreatedKey }>(gw1(), acme.keys.admin, ROTATE, { id: key.apiKey.id });
      expect(rotated.errors).toBeUndefined();
      const second = rotated.data!.rotateApiKey;
      expect(second.apiKey).toMatchObject({ id: key.apiKey.id, label: 'rotating', role: 'WRITE', status: 'ACTIVE' });
      expect(second.apiKey.rotatedAt).not.toBeNull();
      expect(second.secret).not.toBe(key.secret);
      expect(await readStatus(gw1(), key.secret)).toBe(401);
      expect(await readStatus(gw1(), second.secret)).toBe(200);

      const overlapped = await gql<{ rotateApiKey: CreatedKey }>(gw1(), acme.keys.admin, ROTATE, {
        id: key.apiKey.id,
        overlap: 3600,
      });
      const third = overlapped.data!.rotateApiKey;
      expect(third.apiKey.previousSecretValidUntil).not.toBeNull();
      expect(await readStatus(gw2(), second.secret)).toBe(200);
      expect(await readStatus(gw2(), third.secret)).toBe(200);
    });

    it('cannot be write or read keys', async () => {
      const target = (await listKeys(acme.keys.admin))[0]!;
      for (const key of [acme.keys.write, acme.keys.read]) {
        const list = await gql(gw1(), key, LIST_KEYS);
        const create = await gql(gw1(), key, CREATE_KEY, { input: { label: 'sneaky', role: 'ADMIN' } });
        const revoke = await gql(gw1(), key, REVOKE, { id: target.id });
        const trail = await gql(gw1(), key, AUDIT);
        for (const response of [list, create, revoke, trail]) {
          expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        }
      }
      expect((await listKeys(acme.keys.admin)).find((key) => key.id === target.id)?.status).toBe('ACTIVE');
    });

    it("of one workspace can neither see nor touch another workspace's keys or audit", async () => {
      const globexKey = await createKey(globex.keys.admin, { label: 'globex only', role: 'READ' });
      const acmeIds = (await listKeys(acme.keys.admin, true)).map((key) => key.id);
      const acmeAudit = (await audit(acme.keys.admin)).entries;

      expect(acmeIds).not.toContain(globexKey.apiKey.id);
      expect(acmeAudit.map((entry) => entry.keyId)).not.toContain(globexKey.apiKey.id);
      for (const [query, variables] of [
        [REVOKE, { id: globexKey.apiKey.id }],
        [ROTATE, { id: globexKey.apiKey.id }],
      ] as const) {
        const refused = await gql(gw1(), acme.keys.admin, query, variables);
        expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', fields: [{ path: 'id' }] });
      }
      expect(await readStatus(gw2(), globexKey.secret)).toBe(200);
      expect((await listKeys(globex.keys.admin)).find((key) => key.id === globexKey.apiKey.id)?.rotatedAt).toBeNull();
    });

    it('see every key action in the audit, newest first, who and what, page by page', async () => {
      const key = await createKey(acme.keys.admin, { label: 'audited', role: 'READ' });
      await gql(gw1(), acme.keys.admin, ROTATE, { id: key.apiKey.id, overlap: 60 });
      await gql(gw1(), acme.keys.admin, REVOKE, { id: key.apiKey.id });

      const all = (await audit(acme.keys.admin)).entries;
      const mine = all.filter((entry) => entry.keyId === key.apiKey.id);
      const admin = (await listKeys(acme.keys.admin)).find((k) => k.role === 'ADMIN' && k.createdBy === 'system')!;
      expect(mine.map((entry) => entry.action)).toEqual(['KEY_REVOKED', 'KEY_ROTATED', 'KEY_CREATED']);
      for (const entry of mine) {
        expect(entry).toMatchObject({ actor: `admin-key:${admin.id}`, label: 'audited', role: 'READ' });
      }
      expect(mine[1]!.detail).toMatch(/^previous secret valid until /);

      const first = await audit(acme.keys.admin, 2);
      const second = await audit(acme.keys.admin, 2, first.nextCursor!);
      expect([...first.entries, ...second.entries].map((entry) => entry.id)).toEqual(all.slice(0, 4).map((e) => e.id));
    });
  });

  describe('a key that stops working stops everywhere', () => {
    it('revoked on gateway 1: refused on gateway 2 over HTTP, and its open socket there closed with 4403', async () => {
      const key = await createKey(acme.keys.admin, { label: 'revoked mid-stream', role: 'READ' });
      expect(await readStatus(gw2(), key.secret)).toBe(200); // now cached on gateway 2 (for ten minutes)
      const socket = subscribe(ws2(), key.secret, PHASES);
      await socket.connected;

      const revoked = await gql<{ revokeApiKey: ApiKeyView }>(gw1(), acme.keys.admin, REVOKE, { id: key.apiKey.id });
      expect(revoked.data!.revokeApiKey).toMatchObject({ status: 'REVOKED' });

      const closed = await socket.closed;
      expect(closed.code).toBe(4403);
      expect(closed.reason).toContain('revoked');
      await eventually(
        () => readStatus(gw2(), key.secret),
        (status) => status === 401,
        'revoked key on gateway 2',
      );
      expect((await gql(gw2(), key.secret, READ)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      // Another key of the same workspace is untouched.
      expect(await readStatus(gw2(), acme.keys.read)).toBe(200);
      expect((await listKeys(acme.keys.admin, true)).find((k) => k.id === key.apiKey.id)?.status).toBe('REVOKED');
    });

    it("revoked on gateway 1: its open SSE stream on gateway 2 ends with UNAUTHENTICATED, another key's stays open", async () => {
      const key = await createKey(acme.keys.admin, { label: 'revoked mid-SSE', role: 'READ' });
      const stream = subscribeOverSse(gw2(), key.secret, PHASES);
      const other = subscribeOverSse(gw2(), acme.keys.read, PHASES);
      try {
        await Promise.all([stream.connected, other.connected]);

        const revoked = await gql<{ revokeApiKey: ApiKeyView }>(gw1(), acme.keys.admin, REVOKE, {
          id: key.apiKey.id,
        });
        expect(revoked.data!.revokeApiKey).toMatchObject({ status: 'REVOKED' });

        // Ends within the test's timeout although gateway 2 caches keys for ten minutes: told over NATS.
        await stream.ended;
        expect(stream.results.at(-1)?.errors).toEqual([
          expect.objectContaining({
            message: expect.stringContaining('revoked'),
            extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }),
          }),
        ]);
        expect(stream.results.filter((result) => result.data)).toEqual([]);
        // A new SSE request with the revoked key is refused (401); another key of the workspace still works.
        const again = subscribeOverSse(gw2(), key.secret, PHASES);
        await again.ended;
        again.dispose();
        expect(again.failures).toHaveLength(1);
        expect(await readStatus(gw2(), acme.keys.read)).toBe(200);
      } finally {
        stream.dispose();
        other.dispose();
      }
    });

    it('rotated without overlap on gateway 1: the old secret is refused on gateway 2 and its socket closed', async () => {
      const key = await createKey(acme.keys.admin, { label: 'rotated mid-stream', role: 'READ' });
      expect(await readStatus(gw2(), key.secret)).toBe(200);
      const socket = subscribe(ws2(), key.secret, PHASES);
      await socket.connected;

      const rotated = await gql<{ rotateApiKey: CreatedKey }>(gw1(), acme.keys.admin, ROTATE, { id: key.apiKey.id });

      expect((await socket.closed).code).toBe(4403);
      await eventually(
        () => readStatus(gw2(), key.secret),
        (status) => status === 401,
        'old secret on gateway 2',
      );
      expect(await readStatus(gw2(), rotated.data!.rotateApiKey.secret)).toBe(200);
    });

    it('expired: refused over HTTP and its socket closed with 4403 once its time passed', async () => {
      const key = await createKey(acme.keys.admin, {
        label: 'short-lived',
        role: 'READ',
        expiresAt: new Date(Date.now() + 3_000).toISOString(),
      });
      expect(key.apiKey.expiresAt).not.toBeNull();
      const socket = subscribe(ws2(), key.secret, PHASES);
      await socket.connected;
      const expired = await eventually(
        () => gql(gw2(), key.secret, READ),
        (response) => response.status === 401,
        'expired key',
      );
      expect(expired.errors?.[0]?.message).toContain('expired');
      const closed = await socket.closed;
      expect(closed).toMatchObject({ code: 4403, reason: expect.stringContaining('expired') });
      expect((await listKeys(acme.keys.admin)).find((k) => k.id === key.apiKey.id)?.status).toBe('EXPIRED');
    });

    it('suspended workspace: every key refused on both gateways and sockets closed, until the operator resumes it', async () => {
      const created = await gql<{ createWorkspace: { adminKey: CreatedKey } }>(gw1(), OPERATOR_KEY, CREATE_WORKSPACE, {
        input: { id: 'umbrella' },
      });
      const admin = created.data!.createWorkspace.adminKey.secret;
      const reader = (await createKey(admin, { label: 'dashboard', role: 'READ' })).secret;
      expect(await readStatus(gw2(), reader)).toBe(200);
      const socket = subscribe(ws2(), reader, PHASES);
      await socket.connected;

      const suspended = await gql<{ suspendWorkspace: { status: string; suspendedAt: string } }>(
        gw1(),
        OPERATOR_KEY,
        SUSPEND,
        { id: 'umbrella', reason: 'unpaid invoice' },
      );
      expect(suspended.data!.suspendWorkspace).toMatchObject({ status: 'SUSPENDED', suspendedAt: expect.any(String) });

      const closed = await socket.closed;
      expect(closed.code).toBe(4403);
      expect(closed.reason).toContain('suspended');
      for (const url of [gw1(), gw2()]) {
        for (const key of [admin, reader]) {
          await eventually(
            () => readStatus(url, key),
            (status) => status === 401,
            'suspended workspace key',
          );
        }
      }
      // Other workspaces are untouched.
      expect(await readStatus(gw2(), acme.keys.read)).toBe(200);
      const listed = await gql<{ workspaces: { id: string; status: string }[] }>(gw2(), OPERATOR_KEY, WORKSPACES);
      expect(listed.data!.workspaces.find((ws) => ws.id === 'umbrella')?.status).toBe('SUSPENDED');

      const resumed = await gql<{ resumeWorkspace: { status: string } }>(gw1(), OPERATOR_KEY, RESUME, {
        id: 'umbrella',
      });
      expect(resumed.data!.resumeWorkspace.status).toBe('ACTIVE');
      await eventually(
        () => readStatus(gw2(), reader),
        (status) => status === 200,
        'resumed workspace key',
      );
      const trail = (await audit(admin)).entries.map((entry) => [entry.action, entry.actor, entry.detail]);
      expect(trail.slice(0, 2)).toEqual([
        ['WORKSPACE_RESUMED', 'operator', null],
        ['WORKSPACE_SUSPENDED', 'operator', 'unpaid invoice'],
      ]);
    });
  });
});
