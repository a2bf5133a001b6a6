// What the access part of the graph does with workspaces and keys: create, list, rotate,
// revoke, suspend, each validated (errors name the field), audited, and announced to
// every gateway (`announce`, see propagation.ts) once the database holds it. Any gateway
// instance may change a key, so a change is first claimed by inserting its version's id
// (`<key>:<version>`) under the unique `_id`: the one atomic step FerretDB v1 offers
// (DESIGN.md: conditional updates there report several winners). The claim's winner
// writes the record; the loser answers CONFLICT. A claim a crash left unwritten is rolled
// forward by the next reader. No bulk updates.
import { Schema, type Connection, type Model } from 'mongoose';
import { ERRORS, ROLES, type Role } from '@cei/contracts';
import {
  apiKeyModel,
  apiKeyRecordModel,
  hashApiKey,
  insertKey,
  insertWorkspace,
  keyAuditModel,
  newApiKey,
  newWorkspaceId,
  workspaceIdProblem,
  workspaceModel,
  WorkspaceError,
  writeKeyAudit,
  type AccessChange,
  type ApiKeyRecord,
  type KeyAuditDocument,
  type WorkspaceDocument,
} from '../auth/api-keys';

/**
 * One per change of a key record (`<key id>:<version>`) or a workspace's status
 * (`workspace:<id>:<version>`): its `_id` makes the change exclusive.
 */
interface KeyChangeClaim {
  _id: string;
  record: ApiKeyRecord;
  at: Date;
}

const keyChangeSchema = new Schema<KeyChangeClaim>(
  {
    _id: { type: String, required: true },
    record: { type: Schema.Types.Mixed, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false, collection: 'api_key_changes' },
);

function keyChangeModel(conn: Connection): Model<KeyChangeClaim> {
  return (
    (conn.models.KeyChange as Model<KeyChangeClaim> | undefined) ??
    conn.model<KeyChangeClaim>('KeyChange', keyChangeSchema)
  );
}

export const MAX_LABEL_LENGTH = 100;
/** The longest a rotated-out secret may keep working. */
export const MAX_OVERLAP_SECONDS = 7 * 24 * 3600;
export const MAX_AUDIT_PAGE = 200;

export interface KeyStoreOptions {
  conn: Connection;
  /** Tells every gateway (this one included) what changed; called after the database write. */
  announce(change: AccessChange): Promise<void>;
  now?: () => Date;
}

export type KeyStatus = 'active' | 'expired' | 'revoked';

export function keyStatus(record: ApiKeyRecord, now: Date): KeyStatus {
  if (record.revokedAt) return 'revoked';
  if (record.expiresAt && record.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'active';
}

function badField(path: string, message: string): Error {
  return ERRORS.BAD_USER_INPUT.err(`${path}: ${message}`, { fields: [{ path, message }] });
}

function checkLabel(path: string, label: string): string {
  const trimmed = label.trim();
  if (trimmed.length === 0) throw badField(path, 'a label is required (what the key is for, e.g. "CRM sync")');
  if (trimmed.length > MAX_LABEL_LENGTH) throw badField(path, `at most ${MAX_LABEL_LENGTH} characters`);
  return trimmed;
}

export function createKeyStore({ conn, announce, now = () => new Date() }: KeyStoreOptions) {
  const records = apiKeyRecordModel(conn);
  const credentials = apiKeyModel(conn);
  const workspaces = workspaceModel(conn);
  const audit = keyAuditModel(conn);
  const claims = keyChangeModel(conn);

  /** A key of the caller's workspace, or NOT_FOUND (another workspace's key is as absent as a missing one). */
  async function ownKey(workspaceId: string, keyId: string): Promise<ApiKeyRecord> {
    let record = await records.findById(keyId).lean<ApiKeyRecord>().exec();
    if (!record || record.workspaceId !== workspaceId) {
      throw ERRORS.NOT_FOUND.err(`id: no API key "${keyId}" in this workspace`, {
        fields: [{ path: 'id', message: `no API key "${keyId}" in this workspace` }],
      });
    }
    // A change claimed but not written (its gateway stopped in between) is written now.
    for (;;) {
      const claim = await claims
        .findById(`${keyId}:${record.version + 1}`)
        .lean<KeyChangeClaim>()
        .exec();
      if (!claim) return record;
      record = claim.record;
      await records.replaceOne({ _id: keyId }, record).exec();
    }
  }

  /** Writes the next version of a record read by `ownKey`, or answers CONFLICT when another change claimed it first. */
  async function update(record: ApiKeyRecord, set: Partial<ApiKeyRecord>): Promise<ApiKeyRecord> {
    const next: ApiKeyRecord = { ...record, ...set, version: record.version + 1 };
    try {
      await claims.create({ _id: `${record._id}:${next.version}`, record: next, at: now() });
    } catch (err) {
      if ((err as { code?: unknown }).code === 11000) {
        throw ERRORS.CONFLICT.err(`API key "${record._id}" changed meanwhile: read it again and retry`);
      }
      throw err;
    }
    await records.replaceOne({ _id: record._id }, next).exec();
    return next;
  }

  /**
   * The hashes of a key's credentials but `except`, older than version `before` when given
   * (a scan on FerretDB v1: admin operations only, never the hot path).
   */
  async function secretsOf(keyId: string, except?: string, before?: number): Promise<string[]> {
    const docs = await credentials
      .find({ keyId }, { _id: 1, version: 1 })
      .lean<{ _id: string; version?: number }[]>()
      .exec();
    return docs
      .filter((doc) => doc._id !== except && (before === undefined || (doc.version ?? 0) < before))
      .map((doc) => doc._id);
  }

  async function workspace(id: string): Promise<WorkspaceDocument> {
    let doc = await workspaces.findById(id).lean<WorkspaceDocument>().exec();
    if (!doc) {
      throw ERRORS.NOT_FOUND.err(`id: no workspace "${id}"`, {
        fields: [{ path: 'id', message: `no workspace "${id}"` }],
      });
    }
    // As for keys: a status change claimed but not written is written now.
    for (;;) {
      const claim = await claims
        .findById(`workspace:${id}:${(doc.version ?? 0) + 1}`)
        .lean<{ record: WorkspaceDocument }>()
        .exec();
      if (!claim) return doc;
      doc = claim.record;
      await workspaces.replaceOne({ _id: id }, doc).exec();
    }
  }

  return {
    // ---- operator ----
    async createWorkspace(input: { id?: string | null; adminKeyLabel?: string | null }, actor: string) {
      const id = input.id ?? newWorkspaceId();
      const problem = workspaceIdProblem(id);
      if (problem) throw badField('input.id', problem);
      const label = checkLabel('input.adminKeyLabel', input.adminKeyLabel ?? 'admin key');
      const createdAt = now();
      try {
        await insertWorkspace(conn, id, createdAt);
      } catch (err) {
        if (err instanceof WorkspaceError && err.code === 'WORKSPACE_EXISTS') {
          throw ERRORS.CONFLICT.err(`input.id: workspace "${id}" already exists`, {
            fields: [{ path: 'input.id', message: `workspace "${id}" already exists` }],
          });
        }
        throw err;
      }
      await writeKeyAudit(conn, { workspaceId: id, actor, action: 'WORKSPACE_CREATED' }, createdAt);
      const adminKey = await insertKey(conn, { workspaceId: id, role: 'admin', label, actor }, createdAt);
      return { workspace: { _id: id, createdAt, status: 'active' as const }, adminKey };
    },

    async listWorkspaces(): Promise<WorkspaceDocument[]> {
      // Every workspace, sorted in code (a sort is a full scan on FerretDB v1 anyway).
      const all = await workspaces.find().lean<WorkspaceDocument[]>().exec();
      return all.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a._id.localeCompare(b._id));
    },

    async setWorkspaceStatus(id: string, suspend: boolean, actor: string, reason?: string | null) {
      if (reason !== undefined && reason !== null && reason.length > 500) {
        throw badField('reason', 'at most 500 characters');
      }
      const doc = await workspace(id);
      const at = now();
      const status = suspend ? ('suspended' as const) : ('active' as const);
      if ((doc.status ?? 'active') === status) return doc;
      const { suspendedAt: _previous, ...rest } = doc;
      const next: WorkspaceDocument = {
        ...rest,
        status,
        ...(suspend ? { suspendedAt: at } : {}),
        version: (doc.version ?? 0) + 1,
      };
      try {
        await claims.create({ _id: `workspace:${id}:${next.version}`, record: next, at });
      } catch (err) {
        if ((err as { code?: unknown }).code === 11000) {
          throw ERRORS.CONFLICT.err(`workspace "${id}" changed meanwhile: read it again and retry`);
        }
        throw err;
      }
      await workspaces.replaceOne({ _id: id }, next).exec();
      await writeKeyAudit(
        conn,
        {
          workspaceId: id,
          actor,
          action: suspend ? 'WORKSPACE_SUSPENDED' : 'WORKSPACE_RESUMED',
          ...(reason ? { detail: reason } : {}),
        },
        at,
      );
      await announce({ kind: 'workspace', workspaceId: id });
      return next;
    },

    // ---- a workspace's admins ----
    async createKey(
      workspaceId: string,
      input: { label: string; role: string; expiresAt?: Date | null },
      actor: string,
    ) {
      const label = checkLabel('input.label', input.label);
      const role = input.role.toLowerCase() as Role;
      if (!(ROLES as readonly string[]).includes(role)) throw badField('input.role', 'one of ADMIN, WRITE, READ');
      if (input.expiresAt && input.expiresAt.getTime() <= now().getTime()) {
        throw badField('input.expiresAt', 'must be in the future');
      }
      return insertKey(conn, {
        workspaceId,
        role,
        label,
        actor,
        ...(input.expiresAt ? { expiresAt: input.expiresAt } : {}),
      });
    },

    async listKeys(workspaceId: string, includeRevoked: boolean): Promise<ApiKeyRecord[]> {
      const all = await records.find({ workspaceId }).lean<ApiKeyRecord[]>().exec();
      return all
        .filter((record) => includeRevoked || !record.revokedAt)
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || a._id.localeCompare(b._id));
    },

    /**
     * A new secret for the same key (id, label, role, expiry). The previous secret keeps
     * working for `overlapSeconds` (0: stops now), so clients can switch without a gap.
     */
    async rotateKey(workspaceId: string, keyId: string, overlapSeconds: number, actor: string) {
      if (!Number.isInteger(overlapSeconds) || overlapSeconds < 0 || overlapSeconds > MAX_OVERLAP_SECONDS) {
        throw badField('overlapSeconds', `between 0 and ${MAX_OVERLAP_SECONDS} (7 days)`);
      }
      const record = await ownKey(workspaceId, keyId);
      const at = now();
      const status = keyStatus(record, at);
      if (status !== 'active') throw badField('id', `API key "${keyId}" is ${status}: create a new key instead`);
      const secret = newApiKey(record.role);
      const hash = hashApiKey(secret);
      const current = record.secrets[0]!;
      // The previous secret works until the overlap ends, never beyond the key's own expiry.
      const overlapEnd = new Date(at.getTime() + overlapSeconds * 1000);
      const validUntil = record.expiresAt && record.expiresAt < overlapEnd ? record.expiresAt : overlapEnd;
      // The new credential first, marked with the version this rotation claims: a rotation that
      // reads this one's record later always finds it, and drops it as older than its own.
      const version = record.version + 1;
      await credentials.create({
        _id: hash,
        workspaceId,
        role: record.role,
        createdAt: at,
        keyId,
        version,
        ...(record.expiresAt ? { expiresAt: record.expiresAt } : {}),
      });
      let updated: ApiKeyRecord;
      try {
        updated = await update(record, {
          secrets: [{ hash }, ...(overlapSeconds > 0 ? [{ hash: current.hash, validUntil }] : [])],
          prefix: secret.slice(0, `cei_${record.role}_`.length + 4),
          rotatedAt: at,
        });
      } catch (err) {
        // Another change won this version: this rotation leaves no secret behind.
        await credentials.deleteOne({ _id: hash }).exec();
        throw err;
      }
      // The key's older secrets, found by key id rather than by the record, so that one a crash
      // left behind is dropped too: the current one shortened to the overlap, the rest deleted.
      // Secrets of later rotations (a higher version) are theirs to keep.
      const others = await secretsOf(keyId, hash, version);
      for (const old of others) {
        if (overlapSeconds > 0 && old === current.hash) {
          await credentials.updateOne({ _id: old }, { $set: { expiresAt: validUntil } }).exec();
        } else {
          await credentials.deleteOne({ _id: old }).exec();
        }
      }
      await writeKeyAudit(
        conn,
        {
          workspaceId,
          actor,
          action: 'KEY_ROTATED',
          keyId,
          label: record.label,
          role: record.role,
          detail:
            overlapSeconds > 0
              ? `previous secret valid until ${validUntil.toISOString()}`
              : 'previous secret stopped working',
        },
        at,
      );
      await announce({ kind: 'key', workspaceId, keyId, hashes: others });
      return { record: updated, secret };
    },

    /**
     * Revokes a key: the record says so, then every credential with the key's id is deleted.
     * Revoking again deletes any a crash left behind (and writes no second audit entry).
     */
    async revokeKey(workspaceId: string, keyId: string, actor: string): Promise<ApiKeyRecord> {
      const record = await ownKey(workspaceId, keyId);
      const at = now();
      const updated = record.revokedAt ? record : await update(record, { revokedAt: at });
      const hashes = await secretsOf(keyId);
      for (const hash of hashes) await credentials.deleteOne({ _id: hash }).exec();
      if (!record.revokedAt) {
        await writeKeyAudit(
          conn,
          { workspaceId, actor, action: 'KEY_REVOKED', keyId, label: record.label, role: record.role },
          at,
        );
      }
      const announced = [...new Set([...hashes, ...record.secrets.map((secret) => secret.hash)])];
      await announce({ kind: 'key', workspaceId, keyId, hashes: announced });
      return updated;
    },

    /** The workspace's audit, newest first; `after` is the id of the last entry of the previous page. */
    async auditPage(workspaceId: string, first: number, after?: string | null) {
      if (!Number.isInteger(first) || first < 1 || first > MAX_AUDIT_PAGE) {
        throw badField('first', `between 1 and ${MAX_AUDIT_PAGE}`);
      }
      const all = (await audit.find({ workspaceId }).lean<KeyAuditDocument[]>().exec()).sort(
        (a, b) => b.at.getTime() - a.at.getTime() || b._id.localeCompare(a._id),
      );
      let start = 0;
      if (after) {
        const index = all.findIndex((entry) => entry._id === after);
        if (index < 0) throw badField('after', `no audit entry "${after}" in this workspace`);
        start = index + 1;
      }
      const entries = all.slice(start, start + first);
      const more = start + first < all.length;
      return { entries, nextCursor: more ? entries[entries.length - 1]!._id : null };
    },
  };
}

export type KeyStore = ReturnType<typeof createKeyStore>;
