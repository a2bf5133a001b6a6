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
