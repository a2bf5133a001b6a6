// Resolvers of the gateway's own part of the graph (schema.graphql beside this file),
// executed in-process by the Apollo gateway (LocalGraphQLDataSource) with the gateway's
// request context: the operator for workspaces, a workspace's admin key for its keys.
// Every call is scoped to the caller's own workspace; nothing takes a workspace id
// from a key holder.
import { ERRORS, type CallerContext } from '@cei/contracts';
import { requireRole } from '@cei/subgraph';
import type { ApiKeyRecord, KeyAuditDocument, WorkspaceDocument } from '../auth/api-keys';
import type { GatewayContext } from '../auth/operation-access';
import type {
  ApiKey,
  ApiKeyAuditAction,
  ApiKeyAuditEntry,
  ApiKeyRole,
  ApiKeyStatus,
  Resolvers,
  Workspace,
  WorkspaceStatus,
} from './__generated__/resolvers-types';
import { keyStatus, type KeyStore } from './key-store';

const upper = <T extends string>(value: string) => value.toUpperCase() as T;

function operatorOnly(context: GatewayContext): string {
  if (!context.operator) {
    throw ERRORS.FORBIDDEN.err('only the operator credential (CEI_OPERATOR_KEY) manages workspaces');
  }
  return context.operator.actor;
}

function adminOf(context: GatewayContext): CallerContext {
  if (!context.caller) {
    throw ERRORS.FORBIDDEN.err(
      "the operator credential does not manage a workspace's keys: use the workspace's admin key",
    );
  }
  requireRole(context.caller, 'admin');
  return context.caller;
}

/** Who an audit entry names: the key's actor (role and key id). */
function actorOf(caller: CallerContext): string {
  return caller.actor ?? `${caller.role}-key`;
}

function workspaceShape(doc: Pick<WorkspaceDocument, '_id' | 'createdAt' | 'status' | 'suspendedAt'>): Workspace {
  return {
    id: doc._id,
    status: upper<WorkspaceStatus>(doc.status ?? 'active'),
    createdAt: doc.createdAt,
    suspendedAt: doc.suspendedAt ?? null,
  };
}

function keyShape(record: ApiKeyRecord, now = new Date()): ApiKey {
  const previous = record.revokedAt ? undefined : record.secrets[1];
  return {
    id: record._id,
    label: record.label,
    role: upper<ApiKeyRole>(record.role),
    status: upper<ApiKeyStatus>(keyStatus(record, now)),
    prefix: record.prefix,
    createdAt: record.createdAt,
    createdBy: record.createdBy,
    expiresAt: record.expiresAt ?? null,
    rotatedAt: record.rotatedAt ?? null,
    previousSecretValidUntil: previous?.validUntil && previous.validUntil > now ? previous.validUntil : null,
    revokedAt: record.revokedAt ?? null,
  };
}

function auditShape(entry: KeyAuditDocument): ApiKeyAuditEntry {
  return {
    id: entry._id,
    at: entry.at,
    actor: entry.actor,
    action: entry.action satisfies ApiKeyAuditAction,
    keyId: entry.keyId ?? null,
    label: entry.label ?? null,
    role: entry.role ? upper<ApiKeyRole>(entry.role) : null,
    detail: entry.detail ?? null,
  };
}

export function accessResolvers(store: KeyStore): Resolvers {
  return {
    Query: {
      workspaces: async (_: unknown, _args: unknown, context: GatewayContext) => {
        operatorOnly(context);
        return (await store.listWorkspaces()).map(workspaceShape);
      },
      apiKeys: async (_: unknown, args: { includeRevoked?: boolean | null }, context: GatewayContext) => {
        const caller = adminOf(context);
        return (await store.listKeys(caller.workspaceId, args.includeRevoked ?? false)).map((record) =>
          keyShape(record),
        );
      },
      apiKeyAudit: async (
        _: unknown,
        args: { first?: number | null; after?: string | null },
        context: GatewayContext,
      ) => {
        const caller = adminOf(context);
        const page = await store.auditPage(caller.workspaceId, args.first ?? 50, args.after);
        return { entries: page.entries.map(auditShape), nextCursor: page.nextCursor };
      },
    },
    Mutation: {
      createWorkspace: async (
        _: unknown,
        args: { input: { id?: string | null; adminKeyLabel?: string | null } },
        context: GatewayContext,
      ) => {
        const actor = operatorOnly(context);
        const created = await store.createWorkspace(args.input, actor);
        return {
          workspace: workspaceShape(created.workspace),
          adminKey: { apiKey: keyShape(created.adminKey.record), secret: created.adminKey.secret },
        };
      },
      suspendWorkspace: async (_: unknown, args: { id: string; reason?: string | null }, context: GatewayContext) =>
        workspaceShape(await store.setWorkspaceStatus(args.id, true, operatorOnly(context), args.reason)),
      resumeWorkspace: async (_: unknown, args: { id: string }, context: GatewayContext) =>
        workspaceShape(await store.setWorkspaceStatus(args.id, false, operatorOnly(context))),
      createApiKey: async (
        _: unknown,
        args: { input: { label: string; role: string; expiresAt?: Date | null } },
        context: GatewayContext,
      ) => {
        const caller = adminOf(context);
        const { record, secret } = await store.createKey(caller.workspaceId, args.input, actorOf(caller));
        return { apiKey: keyShape(record), secret };
      },
      rotateApiKey: async (
        _: unknown,
        args: { id: string; overlapSeconds?: number | null },
        context: GatewayContext,
      ) => {
        const caller = adminOf(context);
        const { record, secret } = await store.rotateKey(
          caller.workspaceId,
          args.id,
          args.overlapSeconds ?? 0,
          actorOf(caller),
        );
        return { apiKey: keyShape(record), secret };
      },
      revokeApiKey: async (_: unknown, args: { id: string }, context: GatewayContext) => {
        const caller = adminOf(context);
        return keyShape(await store.revokeKey(caller.workspaceId, args.id, actorOf(caller)));
      },
    },
  };
}
