// The key store against the real database: what a crash between its writes can leave
// behind is cleaned up by the next revoke or rotation, and each action is audited once.
import { testNamespace, testWorkspace } from '@cei/testing';
import { databaseName } from '@cei/config';
import { connectDatabase, type Database } from '@cei/mongo';
import {
  apiKeyModel,
  createAuthenticator,
  createWorkspace,
  hashApiKey,
  keyAuditModel,
  newApiKey,
  type AccessChange,
} from '../auth/api-keys';
import { createKeyStore } from './key-store';

let db: Database;
beforeAll(async () => {
  db = await connectDatabase(process.env.MONGO_URL!, databaseName(testNamespace('key-store'), 'gateway'));
});
afterAll(async () => db?.close());

function setUp() {
  const announced: AccessChange[] = [];
  const store = createKeyStore({ conn: db.connection, announce: async (change) => void announced.push(change) });
  return { store, announced };
}

/** A credential of the key that a crash between two writes left in the database. */
async function leftover(workspaceId: string, keyId: string): Promise<string> {
  const secret = newApiKey('read');
  await apiKeyModel(db.connection).create({
    _id: hashApiKey(secret),
    workspaceId,
    role: 'read',
    createdAt: new Date(),
    keyId,
  });
  return secret;
}

it('revoking deletes every credential of the key, one a crash left behind included, and audits once', async () => {
  const { workspaceId } = await createWorkspace(db.connection, testWorkspace());
  const { store, announced } = setUp();
  const { record, secret } = await store.createKey(workspaceId, { label: 'ci', role: 'READ' }, 'admin-key:test');
  const stray = await leftover(workspaceId, record._id);
  const { authenticate } = createAuthenticator(db.connection, { ttlMs: 1 });
  expect((await authenticate(stray)).ok).toBe(true);

  await store.revokeKey(workspaceId, record._id, 'admin-key:test');
  // A second revoke (a retry after a crash) changes nothing more and is not audited again.
  await store.revokeKey(workspaceId, record._id, 'admin-key:test');

  expect((await authenticate(secret)).ok).toBe(false);
  expect((await authenticate(stray)).ok).toBe(false);
  expect(announced[0]).toEqual({
    kind: 'key',
    workspaceId,
    keyId: record._id,
    hashes: expect.arrayContaining([hashApiKey(secret), hashApiKey(stray)]),
  });
  const audit = await keyAuditModel(db.connection).find({ workspaceId, keyId: record._id }).lean().exec();
  expect(audit.map((entry) => entry.action).sort()).toEqual(['KEY_CREATED', 'KEY_REVOKED']);
});

it('rotating without overlap drops every other credential of the key, and announces them', async () => {
  const { workspaceId } = await createWorkspace(db.connection, testWorkspace());
  const { store, announced } = setUp();
  const { record, secret } = await store.createKey(workspaceId, { label: 'ci', role: 'READ' }, 'admin-key:test');
  const stray = await leftover(workspaceId, record._id);

  const rotated = await store.rotateKey(workspaceId, record._id, 0, 'admin-key:test');

  const { authenticate } = createAuthenticator(db.connection, { ttlMs: 1 });
  expect((await authenticate(rotated.secret)).ok).toBe(true);
  expect((await authenticate(secret)).ok).toBe(false);
  expect((await authenticate(stray)).ok).toBe(false);
  expect(announced.at(-1)).toMatchObject({ kind: 'key', keyId: record._id });
  expect([...(announced.at(-1) as { hashes: string[] }).hashes].sort()).toEqual(
    [hashApiKey(secret), hashApiKey(stray)].sort(),
  );
});

it('of concurrent rotations of one key one wins per version; the rest answer CONFLICT; only the last secret works', async () => {
  const { workspaceId } = await createWorkspace(db.connection, testWorkspace());
  const { store } = setUp();
  const { record } = await store.createKey(workspaceId, { label: 'raced', role: 'READ' }, 'admin-key:test');

  const outcomes = await Promise.allSettled(
    Array.from({ length: 10 }, () => store.rotateKey(workspaceId, record._id, 0, 'admin-key:test')),
  );

  const won = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const lost = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
  const versions = won.map((rotation) => rotation.record.version).sort((a, b) => a - b);
  // Rotations that read the record after an earlier one was written follow it (versions 1, 2, …);
  // those that read the same version race for it, and one wins.
  expect(versions).toEqual(Array.from({ length: won.length }, (_, i) => i + 1));
  expect(won.length + lost.length).toBe(10);
  for (const reason of lost) expect(reason.extensions.code).toBe('CONFLICT');
  const last = won.find((rotation) => rotation.record.version === won.length)!;
  const { authenticate } = createAuthenticator(db.connection, { ttlMs: 1 });
  const working = [];
  for (const rotation of won) if ((await authenticate(rotation.secret)).ok) working.push(rotation.secret);
  expect(working).toEqual([last.secret]);
  const [listed] = (await store.listKeys(workspaceId, false)).filter((k) => k._id === record._id);
  expect(listed!.version).toBe(won.length);
});

it('writes a change a crash left claimed but unwritten before the next one', async () => {
  const { workspaceId } = await createWorkspace(db.connection, testWorkspace());
  const { store } = setUp();
  const { record } = await store.createKey(workspaceId, { label: 'before', role: 'READ' }, 'admin-key:test');
  // What a gateway stopped between its claim and its write leaves behind.
  await db.connection.collection('api_key_changes').insertOne({
    _id: `${record._id}:1` as never,
    record: { ...record, label: 'claimed', version: 1 },
    at: new Date(),
  });

  const rotated = await store.rotateKey(workspaceId, record._id, 0, 'admin-key:test');

  expect(rotated.record).toMatchObject({ label: 'claimed', version: 2 });
  const [listed] = (await store.listKeys(workspaceId, false)).filter((k) => k._id === record._id);
  expect(listed).toMatchObject({ label: 'claimed', version: 2 });
});

it('of concurrent suspensions of one workspace one is written and audited; the rest are CONFLICT or find it done', async () => {
  const { workspaceId } = await createWorkspace(db.connection, testWorkspace());
  const { store, announced } = setUp();

  const outcomes = await Promise.allSettled(
    Array.from({ length: 8 }, () => store.setWorkspaceStatus(workspaceId, true, 'operator')),
  );

  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') expect(outcome.reason.extensions.code).toBe('CONFLICT');
    else expect(outcome.value.status).toBe('suspended');
  }
  const audit = await keyAuditModel(db.connection).find({ workspaceId, action: 'WORKSPACE_SUSPENDED' }).lean().exec();
  expect(audit).toHaveLength(1);
  expect(announced).toEqual([{ kind: 'workspace', workspaceId }]);
  const resumed = await store.setWorkspaceStatus(workspaceId, false, 'operator');
  expect(resumed).toMatchObject({ status: 'active', version: 2 });
  expect(resumed.suspendedAt).toBeUndefined();
});
