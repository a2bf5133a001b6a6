// API keys: each binds a caller to one workspace and one role. Keys are stored only
// as their SHA-256 (the `_id`), so the hot path is one `_id` lookup — the only fast
// read on FerretDB v1 — and a leaked database does not leak usable keys.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';
import { customAlphabet } from 'nanoid';
import { ROLES, WORKSPACE_ID_PATTERN, type CallerContext, type Role } from '@cei/contracts';

export interface ApiKeyDocument {
  /** sha256-hex of the key. */
  _id: string;
  workspaceId: string;
  role: Role;
  createdAt: Date;
}

/** One per workspace: inserting it is the atomic "this workspace id is taken" check. */
export interface WorkspaceDocument {
  _id: string;
  createdAt: Date;
}

const apiKeySchema = new Schema<ApiKeyDocument>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    role: { type: String, enum: ROLES, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'api_keys' },
);

const workspaceSchema = new Schema<WorkspaceDocument>(
  { _id: { type: String, required: true }, createdAt: { type: Date, required: true } },
  { versionKey: false, collection: 'workspaces' },
);

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

function newApiKey(role: Role): string {
  // 24 random bytes are exactly 32 base64url characters.
  return `cei_${role}_${randomBytes(24).toString('base64url')}`;
}

const workspaceIdSuffix = customAlphabet('abcdefghijklmnopqrstuvwxyz0123456789', 10);

function newWorkspaceId(): string {
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

/**
 * Creates a workspace and one key per role. Fails with WORKSPACE_EXISTS when the id
 * is taken (use `issueWorkspaceKeys` to add keys to an existing workspace).
 */
export async function createWorkspace(
  conn: Connection,
  workspaceId: string = newWorkspaceId(),
): Promise<WorkspaceKeys> {
  if (!WORKSPACE_ID_PATTERN.test(workspaceId)) {
    throw new WorkspaceError(
      'INVALID_WORKSPACE_ID',
      `workspace id "${workspaceId}" is invalid: use 1–63 lower-case letters, digits, _ or -, starting with a letter or digit`,
    );
  }
  try {
    await workspaceModel(conn).create({ _id: workspaceId, createdAt: new Date() });
  } catch (err) {
    if (isDuplicateKey(err)) throw new WorkspaceError('WORKSPACE_EXISTS', `workspace "${workspaceId}" already exists`);
    throw err;
  }
  return issueWorkspaceKeys(conn, workspaceId);
}

/** Issues a fresh admin, write and read key for a workspace (existing keys stay valid). */
export async function issueWorkspaceKeys(conn: Connection, workspaceId: string): Promise<WorkspaceKeys> {
  const keys = { admin: newApiKey('admin'), write: newApiKey('write'), read: newApiKey('read') };
  const createdAt = new Date();
  await apiKeyModel(conn).insertMany(
    ROLES.map((role) => ({ _id: hashApiKey(keys[role]), workspaceId, role, createdAt })),
  );
  return { workspaceId, keys };
}

/** Revokes a key. Gateways that cached it accept it for up to the cache TTL more. */
export async function revokeApiKey(conn: Connection, key: string): Promise<boolean> {
  const result = await apiKeyModel(conn).deleteOne({ _id: hashApiKey(key) });
  return result.deletedCount === 1;
}

function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}

export type AuthenticationFailure = 'missing' | 'malformed' | 'unknown';

export type Authentication =
  { ok: true; caller: CallerContext } | { ok: false; failure: AuthenticationFailure; message: string };

export interface Authenticator {
  /** Reads `Bearer <key>` (or a bare key, as graphql-ws clients send it). */
  authenticate(bearer: string | undefined): Promise<Authentication>;
}

export interface AuthenticatorOptions {
  /** How long a key found in the database is trusted without asking again. */
  ttlMs?: number;
  /** How long an unknown key is remembered, so guessing costs no database reads. */
  unknownTtlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

interface CachedKey {
  /** Null for a key the database does not know. */
  binding: { workspaceId: string; role: Role; actor: string } | null;
}

export function createAuthenticator(conn: Connection, options: AuthenticatorOptions = {}): Authenticator {
  const { ttlMs = 30_000, unknownTtlMs = 5_000, maxEntries = 10_000, now = Date.now } = options;
  const model = apiKeyModel(conn);
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
      return { binding: { workspaceId: doc.workspaceId, role: doc.role, actor: actorOf(doc) } };
    },
  });

  return {
    async authenticate(bearer) {
      const value = bearer?.trim();
      if (!value) {
        return { ok: false, failure: 'missing', message: 'missing API key: send it as "Authorization: Bearer <key>"' };
      }
      const key = /^bearer\s+/i.test(value) ? value.replace(/^bearer\s+/i, '') : value;
      if (!API_KEY_PATTERN.test(key)) {
        return { ok: false, failure: 'malformed', message: 'malformed API key: expected cei_<role>_<32 characters>' };
      }
      const binding = (await cache.fetch(hashApiKey(key)))?.binding;
      if (!binding) return { ok: false, failure: 'unknown', message: 'unknown or revoked API key' };
      return { ok: true, caller: { ...binding, traceId: randomUUID() } };
    },
  };
}

/** The public name of a key in audit logs: its role and the start of its hash (the key itself is never stored). */
export function actorOf(doc: { _id: string; role: Role }): string {
  return `${doc.role}-key:${doc._id.slice(0, 12)}`;
}
