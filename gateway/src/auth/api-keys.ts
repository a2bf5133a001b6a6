// API keys: each binds a caller to one workspace and one role. Keys are stored only
// as their SHA-256 (the `_id`), so the hot path is one `_id` lookup — the only fast
// read on FerretDB v1 — and a leaked database does not leak usable keys.
import { EventEmitter } from 'node:events';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';
import { customAlphabet } from 'nanoid';
import { ROLES, WORKSPACE_ID_PATTERN, type CallerContext, type Role } from '@cei/contracts';

/** One secret of a key (a key has one, two while a rotation's overlap lasts). */
export interface ApiKeyDocument {
  /** sha256-hex of the secret. */
  _id: string;
  workspaceId: string;
  role: Role;
  createdAt: Date;
  /** The key (access/key-store.ts) this secret belongs to; absent on secrets issued before keys had ids. */
  keyId?: string;
  /** When this secret stops working: the key's expiry, or the end of a rotation's overlap. */
  expiresAt?: Date;
  /** The key record's version that introduced this secret (0: created with the key). */
  version?: number;
}

export const WORKSPACE_STATUSES = ['active', 'suspended'] as const;
export type WorkspaceStatus = (typeof WORKSPACE_STATUSES)[number];

/** One per workspace: inserting it is the atomic "this workspace id is taken" check. */
export interface WorkspaceDocument {
  _id: string;
  createdAt: Date;
  /** Absent on workspaces created before suspension existed: active. */
  status?: WorkspaceStatus;
  suspendedAt?: Date;
  /** Status changes so far (absent: none); see access/key-store.ts. */
  version?: number;
}

const apiKeySchema = new Schema<ApiKeyDocument>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    role: { type: String, enum: ROLES, required: true },
    createdAt: { type: Date, required: true },
    keyId: { type: String },
    expiresAt: { type: Date },
    version: { type: Number },
  },
  { versionKey: false, collection: 'api_keys' },
);

const workspaceSchema = new Schema<WorkspaceDocument>(
  {
    _id: { type: String, required: true },
    createdAt: { type: Date, required: true },
    status: { type: String, enum: WORKSPACE_STATUSES },
    suspendedAt: { type: Date },
    version: { type: Number },
  },
  { versionKey: false, collection: 'workspaces' },
);

/**
 * A key as admins manage it (access/key-store.ts): label, role, its current secret and,
 * while a rotation's overlap lasts, the previous one. Only the gateway writes it.
 */
export interface ApiKeyRecord {
  /** The key's public id, e.g. key_4f9c2a7d1e0b3c5a. */
  _id: string;
  workspaceId: string;
  label: string;
  role: Role;
  /** The start of the secret (cei_<role>_ and 4 characters), so a person can tell keys apart. */
  prefix: string;
  createdAt: Date;
  /** Who created it: an admin key's actor, `operator`, or `system` (the run command, tests). */
  createdBy: string;
  expiresAt?: Date;
  /** sha256 of the secrets that work now: the current one first. */
  secrets: { hash: string; validUntil?: Date }[];
  rotatedAt?: Date;
  revokedAt?: Date;
  /** Optimistic concurrency: every change sets version = version + 1 where version was read. */
  version: number;
}

export const KEY_AUDIT_ACTIONS = [
  'KEY_CREATED',
  'KEY_ROTATED',
  'KEY_REVOKED',
  'WORKSPACE_CREATED',
  'WORKSPACE_SUSPENDED',
  'WORKSPACE_RESUMED',
] as const;
export type KeyAuditAction = (typeof KEY_AUDIT_ACTIONS)[number];

/** Who did what to a workspace's keys, and when: written once, never changed. */
export interface KeyAuditDocument {
  _id: string;
  workspaceId: string;
  at: Date;
  actor: string;
  action: KeyAuditAction;
  keyId?: string;
  label?: string;
  role?: Role;
  detail?: string;
}

const apiKeyRecordSchema = new Schema<ApiKeyRecord>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    label: { type: String, required: true },
    role: { type: String, enum: ROLES, required: true },
    prefix: { type: String, required: true },
    createdAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
    expiresAt: { type: Date },
    secrets: { type: [{ _id: false, hash: { type: String, required: true }, validUntil: Date }], required: true },
    rotatedAt: { type: Date },
    revokedAt: { type: Date },
    version: { type: Number, required: true },
  },
  { versionKey: false, collection: 'api_key_records' },
);

const keyAuditSchema = new Schema<KeyAuditDocument>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    at: { type: Date, required: true },
    actor: { type: String, required: true },
    action: { type: String, enum: KEY_AUDIT_ACTIONS, required: true },
    keyId: String,
    label: String,
    role: { type: String, enum: ROLES },
    detail: String,
  },
  { versionKey: false, collection: 'api_key_audit' },
);

export function apiKeyRecordModel(conn: Connection): Model<ApiKeyRecord> {
  return (
    (conn.models.ApiKeyRecord as Model<ApiKeyRecord> | undefined) ??
    conn.model<ApiKeyRecord>('ApiKeyRecord', apiKeyRecordSchema)
  );
}

export function keyAuditModel(conn: Connection): Model<KeyAuditDocument> {
  return (
    (conn.models.KeyAudit as Model<KeyAuditDocument> | undefined) ??
    conn.model<KeyAuditDocument>('KeyAudit', keyAuditSchema)
  );
}

export function apiKeyModel(conn: Connection): Model<ApiKeyDocument> {
  return (
    (conn.models.ApiKey as Model<ApiKeyDocument> | undefined) ?? conn.model<ApiKeyDocument>('ApiKey', apiKeySchema)
  );
}

export function workspaceModel(conn: Connection): Model<WorkspaceDocument> {
  return (
    (conn.models.Workspace as Model<WorkspaceDocument> | undefined) ??
    conn.model<WorkspaceDocument>('Workspace', workspaceSchema)
  );
}

export const API_KEY_PATTERN = /^cei_(admin|write|read)_[A-Za-z0-9_-]{32}$/;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function newApiKey(role: Role): string {
  // 24 random bytes are exactly 32 base64url characters.
  return `cei_${role}_${randomBytes(24).toString('base64url')}`;
}

const workspaceIdSuffix = customAlphabet('abcdefghijklmnopqrstuvwxyz0123456789', 10);

export function newWorkspaceId(): string {
  return `ws-${workspaceIdSuffix()}`;
}

export class WorkspaceError extends Error {
  override name = 'WorkspaceError';
  constructor(
    readonly code: 'INVALID_WORKSPACE_ID' | 'WORKSPACE_EXISTS',
    message: string,
  ) {
    super(message);
  }
}

export interface WorkspaceKeys {
  workspaceId: string;
  /** The only time the keys exist in clear: hand them to the caller now. */
  keys: Record<Role, string>;
}

export function workspaceIdProblem(workspaceId: string): string | undefined {
  return WORKSPACE_ID_PATTERN.test(workspaceId)
    ? undefined
    : `workspace id "${workspaceId}" is invalid: use 1–63 lower-case letters, digits, _ or -, starting with a letter or digit`;
}

/** Inserts the workspace document: the atomic "this id is taken" check. */
export async function insertWorkspace(conn: Connection, workspaceId: string, createdAt = new Date()): Promise<void> {
  const problem = workspaceIdProblem(workspaceId);
  if (problem) throw new WorkspaceError('INVALID_WORKSPACE_ID', problem);
  try {
    await workspaceModel(conn).create({ _id: workspaceId, createdAt, status: 'active' });
  } catch (err) {
    if (isDuplicateKey(err)) throw new WorkspaceError('WORKSPACE_EXISTS', `workspace "${workspaceId}" already exists`);
    throw err;
  }
}

/**
 * Creates a workspace and one key per role. Fails with WORKSPACE_EXISTS when the id
 * is taken (use `issueWorkspaceKeys` to add keys to an existing workspace).
 */
export async function createWorkspace(
  conn: Connection,
  workspaceId: string = newWorkspaceId(),
): Promise<WorkspaceKeys> {
  await insertWorkspace(conn, workspaceId);
  await writeKeyAudit(conn, { workspaceId, actor: 'system', action: 'WORKSPACE_CREATED' });
  return issueWorkspaceKeys(conn, workspaceId);
}

/** Issues a fresh admin, write and read key for a workspace (existing keys stay valid), audited as `system`. */
export async function issueWorkspaceKeys(conn: Connection, workspaceId: string): Promise<WorkspaceKeys> {
  const issued = await Promise.all(
    ROLES.map((role) => insertKey(conn, { workspaceId, role, label: `${role} key`, actor: 'system' })),
  );
  const keys = Object.fromEntries(issued.map(({ record, secret }) => [record.role, secret])) as Record<Role, string>;
  return { workspaceId, keys };
}

export interface NewKey {
  workspaceId: string;
  role: Role;
  label: string;
  /** Who asks (written to the record and the audit). */
  actor: string;
  expiresAt?: Date;
}

const keyIdSuffix = customAlphabet('0123456789abcdef', 16);

/** Creates a key: its record, its secret's credential document and the audit entry. */
export async function insertKey(
  conn: Connection,
  key: NewKey,
  now = new Date(),
): Promise<{ record: ApiKeyRecord; secret: string }> {
  const secret = newApiKey(key.role);
  const hash = hashApiKey(secret);
  const record: ApiKeyRecord = {
    _id: `key_${keyIdSuffix()}`,
    workspaceId: key.workspaceId,
    label: key.label,
    role: key.role,
    prefix: secret.slice(0, `cei_${key.role}_`.length + 4),
    createdAt: now,
    createdBy: key.actor,
    ...(key.expiresAt ? { expiresAt: key.expiresAt } : {}),
    secrets: [{ hash }],
    version: 0,
  };
  // The record first: a credential never exists without the record that can revoke it.
  await apiKeyRecordModel(conn).create(record);
  await apiKeyModel(conn).create({
    _id: hash,
    workspaceId: key.workspaceId,
    role: key.role,
    createdAt: now,
    keyId: record._id,
    version: 0,
    ...(key.expiresAt ? { expiresAt: key.expiresAt } : {}),
  });
  await writeKeyAudit(conn, {
    workspaceId: key.workspaceId,
    actor: key.actor,
    action: 'KEY_CREATED',
    keyId: record._id,
    label: record.label,
    role: record.role,
    ...(key.expiresAt ? { detail: `expires ${key.expiresAt.toISOString()}` } : {}),
  });
  return { record, secret };
}

export async function writeKeyAudit(
  conn: Connection,
  entry: Omit<KeyAuditDocument, '_id' | 'at'>,
  at = new Date(),
): Promise<KeyAuditDocument> {
  const doc: KeyAuditDocument = { _id: randomUUID(), at, ...entry };
  await keyAuditModel(conn).create(doc);
  return doc;
}

/**
 * Deletes one secret's credential (tests, tools). Gateways that cached it accept it until
 * their cache entry expires (ttlMs): revoke keys with the `revokeApiKey` mutation, which
 * tells every gateway at once.
 */
export async function revokeApiKey(conn: Connection, key: string): Promise<boolean> {
  const result = await apiKeyModel(conn).deleteOne({ _id: hashApiKey(key) });
  return result.deletedCount === 1;
}

function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}

export type AuthenticationFailure = 'missing' | 'malformed' | 'unknown' | 'expired' | 'suspended';

export type Authentication =
  { ok: true; caller: CallerContext; keyId?: string } | { ok: false; failure: AuthenticationFailure; message: string };

/**
 * A change to who may call, as every gateway learns it (access/propagation.ts: NATS, and
 * the gateway that made it, at once): the secrets whose cached bindings are stale, or a
 * whole workspace (suspended or resumed).
 */
export type AccessChange =
  { kind: 'key'; workspaceId: string; keyId: string; hashes: string[] } | { kind: 'workspace'; workspaceId: string };

/** Why a watched credential stopped working. */
export type AccessLost = Exclude<AuthenticationFailure, 'missing' | 'malformed'>;

export interface Authenticator {
  /** Reads `Bearer <key>` (or a bare key, as graphql-ws clients send it). */
  authenticate(bearer: string | undefined): Promise<Authentication>;
  /**
   * Calls `onLost` once when an authenticated credential stops working (revoked, expired,
   * past a rotation's overlap, workspace suspended): within seconds of the change on ANY
   * gateway (the change arrives over NATS), and at the latest one sweep after its cache
   * entry expires should that message be missed. Long-lived transports (graphql-ws, SSE)
   * call it once they accepted a caller and close on `onLost`. Returns the release.
   */
  watch(bearer: string, onLost: (reason: AccessLost, message: string) => void): () => void;
  /** Drops what the change made stale, then re-checks the watched credentials it touches. */
  apply(change: AccessChange): Promise<void>;
  /** Every change applied on this gateway, after its cache and watchers were updated. */
  onAccessChanged(listener: (change: AccessChange) => void): () => void;
  /** Stops the periodic re-check of watched credentials. */
  stop(): void;
}

export interface AuthenticatorOptions {
  /**
   * How long a key found in the database is trusted without asking again: only the
   * fallback when a gateway misses a change on NATS; changes normally arrive at once.
   */
  ttlMs?: number;
  /** How long an unknown key is remembered, so guessing costs no database reads. */
  unknownTtlMs?: number;
  /** How often watched credentials are re-checked against the (ttlMs) cache. */
  sweepMs?: number;
  maxEntries?: number;
  now?: () => number;
}

interface CachedKey {
  /** Null for a key the database does not know. */
  binding: { workspaceId: string; role: Role; actor: string; keyId?: string; expiresAt?: number } | null;
}

interface CachedWorkspace {
  suspended: boolean;
}

interface Watcher {
  bearer: string;
  hash: string;
  workspaceId: string;
  onLost: (reason: AccessLost, message: string) => void;
}

const FAILURE_MESSAGES: Record<AccessLost, string> = {
  unknown: 'unknown or revoked API key',
  expired: 'this API key has expired: ask an admin of the workspace for a new one',
  suspended: 'this workspace is suspended: its API keys do not work until an operator resumes it',
};

export function createAuthenticator(conn: Connection, options: AuthenticatorOptions = {}): Authenticator {
  const { ttlMs = 5_000, unknownTtlMs = 5_000, sweepMs = 2_000, maxEntries = 10_000, now = Date.now } = options;
  const model = apiKeyModel(conn);
  const workspaces = workspaceModel(conn);
  // One database read per key and TTL, however many requests ask at once (`fetch` shares it).
  const cache = new LRUCache<string, CachedKey>({
    max: maxEntries,
    ttl: ttlMs,
    perf: { now },
    // Read the clock on every lookup, not once per millisecond: expiry exactly at the TTL.
    ttlResolution: 0,
    fetchMethod: async (hash, _stale, { options: entry }) => {
      const doc = await model.findById(hash).lean<ApiKeyDocument>().exec();
      if (!doc) {
        entry.ttl = unknownTtlMs;
        return { binding: null };
      }
      return {
        binding: {
          workspaceId: doc.workspaceId,
          role: doc.role,
          actor: actorOf(doc),
          ...(doc.keyId ? { keyId: doc.keyId } : {}),
          ...(doc.expiresAt ? { expiresAt: new Date(doc.expiresAt).getTime() } : {}),
        },
      };
    },
  });
  const workspaceCache = new LRUCache<string, CachedWorkspace>({
    max: maxEntries,
    ttl: ttlMs,
    perf: { now },
    ttlResolution: 0,
    fetchMethod: async (workspaceId) => {
      const doc = await workspaces.findById(workspaceId).lean<WorkspaceDocument>().exec();
      return { suspended: doc?.status === 'suspended' };
    },
  });
  const watchers = new Set<Watcher>();
  const changes = new EventEmitter();

  /** A change dropping the entry aborts a read in flight (its result may be stale): read again, once. */
  async function lookup(hash: string): Promise<CachedKey | undefined> {
    try {
      return await cache.fetch(hash);
    } catch {
      return cache.fetch(hash);
    }
  }

  async function authenticate(bearer: string | undefined): Promise<Authentication> {
    const value = bearer?.trim();
    if (!value) {
      return { ok: false, failure: 'missing', message: 'missing API key: send it as "Authorization: Bearer <key>"' };
    }
    const key = /^bearer\s+/i.test(value) ? value.replace(/^bearer\s+/i, '') : value;
    if (!API_KEY_PATTERN.test(key)) {
      return { ok: false, failure: 'malformed', message: 'malformed API key: expected cei_<role>_<32 characters>' };
    }
    const binding = (await lookup(hashApiKey(key)))?.binding;
    if (!binding) return { ok: false, failure: 'unknown', message: FAILURE_MESSAGES.unknown };
    if (binding.expiresAt !== undefined && binding.expiresAt <= now()) {
      return { ok: false, failure: 'expired', message: FAILURE_MESSAGES.expired };
    }
    if ((await workspaceCache.fetch(binding.workspaceId))?.suspended) {
      return { ok: false, failure: 'suspended', message: FAILURE_MESSAGES.suspended };
    }
    const { workspaceId, role, actor, keyId } = binding;
    return { ok: true, caller: { workspaceId, role, actor, traceId: randomUUID() }, ...(keyId ? { keyId } : {}) };
  }

  /** Re-authenticates the watchers given (each distinct credential once) and tells those that lost access. */
  async function recheck(subjects: Iterable<Watcher>): Promise<void> {
    const byBearer = new Map<string, Watcher[]>();
    for (const watcher of subjects) {
      const group = byBearer.get(watcher.bearer);
      if (group) group.push(watcher);
      else byBearer.set(watcher.bearer, [watcher]);
    }
    await Promise.all(
      [...byBearer].map(async ([bearer, group]) => {
        // A database outage is no reason to cut open sockets: the next sweep asks again.
        const result = await authenticate(bearer).catch(() => undefined);
        if (!result || result.ok) return;
        const reason = result.failure as AccessLost;
        for (const watcher of group) {
          if (!watchers.delete(watcher)) continue;
          watcher.onLost(reason, FAILURE_MESSAGES[reason]);
        }
      }),
    );
  }

  let sweeping = false;
  const sweep = setInterval(() => {
    if (sweeping || watchers.size === 0) return;
    sweeping = true;
    void recheck([...watchers]).finally(() => (sweeping = false));
  }, sweepMs);
  sweep.unref();

  return {
    authenticate,
    watch(bearer, onLost) {
      const key = bearer.trim().replace(/^bearer\s+/i, '');
      const watcher: Watcher = { bearer: key, hash: hashApiKey(key), workspaceId: '', onLost };
      const cached = cache.get(watcher.hash)?.binding;
      if (cached) watcher.workspaceId = cached.workspaceId;
      watchers.add(watcher);
      return () => {
        watchers.delete(watcher);
      };
    },
    async apply(change) {
      let touched: Watcher[];
      if (change.kind === 'key') {
        const hashes = new Set(change.hashes);
        for (const hash of hashes) cache.delete(hash);
        touched = [...watchers].filter((watcher) => hashes.has(watcher.hash));
      } else {
        workspaceCache.delete(change.workspaceId);
        touched = [...watchers].filter(
          (watcher) => watcher.workspaceId === change.workspaceId || watcher.workspaceId === '',
        );
      }
      await recheck(touched);
      changes.emit('change', change);
    },
    onAccessChanged(listener) {
      changes.on('change', listener);
      return () => changes.off('change', listener);
    },
    stop() {
      clearInterval(sweep);
      watchers.clear();
    },
  };
}

/**
 * The public name of a key in audit logs: its role and its key id (what `apiKeys` lists),
 * or for a secret issued before keys had ids, the start of its hash (the key itself is never stored).
 */
export function actorOf(doc: { _id: string; role: Role; keyId?: string }): string {
  return doc.keyId ? `${doc.role}-key:${doc.keyId}` : `${doc.role}-key:${doc._id.slice(0, 12)}`;
}
