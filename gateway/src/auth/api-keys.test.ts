// API keys against a real MongoDB-compatible server (MONGO_URL from the jest global
// setup, or a FerretDB started here).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFerretDB, testNamespace, testWorkspace, type RunningServer } from '@cei/testing';
import { databaseName } from '@cei/config';
import { connectDatabase, type Database } from '@cei/mongo';
import {
  apiKeyModel,
  createAuthenticator,
  createWorkspace,
  hashApiKey,
  insertKey,
  issueWorkspaceKeys,
  workspaceModel,
  type AccessLost,
  revokeApiKey,
  WorkspaceError,
} from './api-keys';

let server: RunningServer | undefined;
let dataDir: string | undefined;
let db: Database;

beforeAll(async () => {
  let url = process.env.MONGO_URL;
  if (!url) {
    dataDir = mkdtempSync(join(tmpdir(), 'cei-keys-test-'));
    server = await startFerretDB({ dataDir, backend: 'sqlite' });
    url = server.url;
  }
  db = await connectDatabase(url, databaseName(testNamespace('keys'), 'gateway'));
}, 60_000);

afterAll(async () => {
  await db?.close();
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('createWorkspace', () => {
  it('issues one key per role, bound to the workspace, and stores only their hashes', async () => {
    const workspaceId = testWorkspace();

    const created = await createWorkspace(db.connection, workspaceId);

    expect(created.workspaceId).toBe(workspaceId);
    expect(created.keys.admin).toMatch(/^cei_admin_[A-Za-z0-9_-]{32}$/);
    expect(created.keys.write).toMatch(/^cei_write_[A-Za-z0-9_-]{32}$/);
    expect(created.keys.read).toMatch(/^cei_read_[A-Za-z0-9_-]{32}$/);
    const stored = await apiKeyModel(db.connection).findById(hashApiKey(created.keys.write)).lean();
    expect(stored).toMatchObject({ workspaceId, role: 'write' });
    expect(JSON.stringify(stored)).not.toContain(created.keys.write);
  });

  it('makes up a workspace id when none is given', async () => {
    const created = await createWorkspace(db.connection);

    expect(created.workspaceId).toMatch(/^ws-[a-z0-9]{10}$/);
  });

  it('refuses an id that is taken, and one that could not be a subject token', async () => {
    const workspaceId = testWorkspace();
    await createWorkspace(db.connection, workspaceId);

    await expect(createWorkspace(db.connection, workspaceId)).rejects.toMatchObject({ code: 'WORKSPACE_EXISTS' });
    await expect(createWorkspace(db.connection, 'Not.Valid')).rejects.toBeInstanceOf(WorkspaceError);
  });
});

describe('authenticate', () => {
  it('answers the caller of a known key, from "Bearer <key>" or the bare key', async () => {
    const { workspaceId, keys } = await createWorkspace(db.connection, testWorkspace());
    const { authenticate } = createAuthenticator(db.connection);

    const viaHeader = await authenticate(`Bearer ${keys.admin}`);
    const bare = await authenticate(keys.read);

    expect(viaHeader).toMatchObject({ ok: true, caller: { workspaceId, role: 'admin' } });
    expect(bare).toMatchObject({ ok: true, caller: { workspaceId, role: 'read' } });
    expect(viaHeader.ok && bare.ok && viaHeader.caller.traceId !== bare.caller.traceId).toBe(true);
  });

  it('names what is wrong with a missing, malformed or unknown key', async () => {
    const { authenticate } = createAuthenticator(db.connection);

    expect(await authenticate(undefined)).toMatchObject({ ok: false, failure: 'missing' });
    expect(await authenticate('Bearer hunter2')).toMatchObject({ ok: false, failure: 'malformed' });
    expect(await authenticate(`Bearer cei_read_${'A'.repeat(32)}`)).toMatchObject({ ok: false, failure: 'unknown' });
  });

  it('trusts a key for the cache TTL, then asks the database again (revocation)', async () => {
    const { keys } = await createWorkspace(db.connection, testWorkspace());
    let now = 1_000_000;
    const { authenticate } = createAuthenticator(db.connection, { ttlMs: 30_000, now: () => now });
    expect((await authenticate(keys.write)).ok).toBe(true);

    expect(await revokeApiKey(db.connection, keys.write)).toBe(true);
    now += 29_000;
    expect((await authenticate(keys.write)).ok).toBe(true);
    now += 2_000;
    expect(await authenticate(keys.write)).toMatchObject({ ok: false, failure: 'unknown' });
  });

  it('accepts keys issued later for an existing workspace', async () => {
    const { workspaceId } = await createWorkspace(db.connection, testWorkspace());

    const more = await issueWorkspaceKeys(db.connection, workspaceId);

    expect(await createAuthenticator(db.connection).authenticate(more.keys.read)).toMatchObject({
      ok: true,
      caller: { workspaceId, role: 'read' },
    });
  });
});

describe('keys that stop working', () => {
  it('refuses a key past its expiry, by the clock, with its binding still cached', async () => {
    const workspaceId = testWorkspace();
    await createWorkspace(db.connection, workspaceId);
    let now = Date.now();
    const expiresAt = new Date(now + 60_000);
    const { secret } = await insertKey(db.connection, {
      workspaceId,
      role: 'read',
      label: 'short',
      actor: 'system',
      expiresAt,
    });
    const { authenticate } = createAuthenticator(db.connection, { ttlMs: 600_000, now: () => now });
    expect((await authenticate(secret)).ok).toBe(true);

    now += 60_000;

    expect(await authenticate(secret)).toMatchObject({ ok: false, failure: 'expired' });
  });

  it('tells the watchers of a revoked key at once when the change is applied, and no one else', async () => {
    const { workspaceId, keys } = await createWorkspace(db.connection, testWorkspace());
    const other = await createWorkspace(db.connection, testWorkspace());
    const authenticator = createAuthenticator(db.connection, { ttlMs: 600_000 });
    const lost: [string, AccessLost][] = [];
    for (const [name, key] of [
      ['write', keys.write],
      ['read', keys.read],
      ['other', other.keys.write],
    ] as const) {
      expect((await authenticator.authenticate(key)).ok).toBe(true);
      authenticator.watch(key, (reason) => lost.push([name, reason]));
    }
    const seen: unknown[] = [];
    authenticator.onAccessChanged((change) => seen.push(change));

    await revokeApiKey(db.connection, keys.write);
    const change = { kind: 'key' as const, workspaceId, keyId: 'k', hashes: [hashApiKey(keys.write)] };
    await authenticator.apply(change);

    expect(lost).toEqual([['write', 'unknown']]);
    expect(seen).toEqual([change]);
    expect(await authenticator.authenticate(keys.write)).toMatchObject({ ok: false, failure: 'unknown' });
    authenticator.stop();
  });

  it("refuses a suspended workspace's keys once the change is applied, and accepts them again when resumed", async () => {
    const { workspaceId, keys } = await createWorkspace(db.connection, testWorkspace());
    const authenticator = createAuthenticator(db.connection, { ttlMs: 600_000 });
    expect((await authenticator.authenticate(keys.read)).ok).toBe(true);
    const lost: AccessLost[] = [];
    authenticator.watch(keys.read, (reason) => lost.push(reason));

    await workspaceModel(db.connection).updateOne({ _id: workspaceId }, { $set: { status: 'suspended' } });
    await authenticator.apply({ kind: 'workspace', workspaceId });

    expect(lost).toEqual(['suspended']);
    expect(await authenticator.authenticate(keys.admin)).toMatchObject({ ok: false, failure: 'suspended' });
    await workspaceModel(db.connection).updateOne({ _id: workspaceId }, { $set: { status: 'active' } });
    await authenticator.apply({ kind: 'workspace', workspaceId });
    expect((await authenticator.authenticate(keys.admin)).ok).toBe(true);
    authenticator.stop();
  });

  it('still tells a watcher when the change was never announced: after the cache TTL, by the periodic re-check', async () => {
    const { keys } = await createWorkspace(db.connection, testWorkspace());
    const authenticator = createAuthenticator(db.connection, { ttlMs: 300, sweepMs: 100 });
    expect((await authenticator.authenticate(keys.write)).ok).toBe(true);
    const lost = new Promise<AccessLost>((resolve) => authenticator.watch(keys.write, resolve));

    await revokeApiKey(db.connection, keys.write);

    expect(await lost).toBe('unknown');
    authenticator.stop();
  });
});
