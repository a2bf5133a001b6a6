// Owners, teams and the qualification policy: admin-edited config, one document each,
// written only by these mutations (whole replaces, last writer wins), read by _id.
import { randomUUID } from 'node:crypto';
import { ERRORS, invalidFields, messageIds, type FieldProblem, type OwnerRecord } from '@cei/contracts';
import { loadByIds, type Database } from '@cei/mongo';
import { publishEventWithRetry, workspaceConfig, type ConfigChanges } from '@cei/nats';
import {
  DEFAULT_QUALIFICATION_POLICY,
  qualificationPolicyProblems,
  type QualificationPolicy,
  type QualificationPolicyInput,
} from '../domain/qualification';
import type { OwnerDoc, QualificationPolicyDoc, SalesModels, TeamDoc } from './models';

export interface OwnerInput {
  name?: string | null;
  email?: string | null;
}
export interface TeamInput {
  name?: string | null;
  memberIds?: readonly string[] | null;
}

export type StoredQualificationPolicy = QualificationPolicy & { updatedAt: Date | null };

const MAX_NAME = 200;
const MAX_MEMBERS = 100;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const ownerKey = (ws: string, ownerId: string) => `${ws}:${ownerId}`;
export const teamKey = (ws: string, teamId: string) => `${ws}:${teamId}`;

const notFound = (what: string, path: string, id: string) => {
  const message = `no ${what} ${id} in this workspace`;
  return ERRORS.NOT_FOUND.err(`${path}: ${message}`, { fields: [{ path, message }] });
};

export function createSalesConfig(
  db: Database,
  models: SalesModels,
  now: () => Date = () => new Date(),
  /** Configuration versions, and where owners' records are published after each write (notification emails owners from them). */
  changes?: ConfigChanges,
) {
  const { Owner, Team, QualificationPolicy } = models;

  const nameProblems = (name: string | null | undefined, required: boolean): FieldProblem[] => {
    if (name === undefined || name === null) return required ? [{ path: 'input.name', message: 'required' }] : [];
    const trimmed = name.trim();
    if (trimmed.length === 0 || trimmed.length > MAX_NAME) {
      return [{ path: 'input.name', message: `1 to ${MAX_NAME} characters, not blank` }];
    }
    return [];
  };

  async function memberProblems(ws: string, memberIds: readonly string[]): Promise<FieldProblem[]> {
    if (memberIds.length > MAX_MEMBERS) return [{ path: 'input.memberIds', message: `at most ${MAX_MEMBERS}` }];
    const found = await loadByIds(
      db,
      Owner,
      memberIds.map((id) => ownerKey(ws, id)),
    );
    return memberIds.flatMap((id, i): FieldProblem[] => {
      if (memberIds.indexOf(id) !== i) return [{ path: `input.memberIds[${i}]`, message: `${id} is listed twice` }];
      return found.has(ownerKey(ws, id))
        ? []
        : [{ path: `input.memberIds[${i}]`, message: `no owner ${id} in this workspace` }];
    });
  }

  const getOwner = (ws: string, ownerId: string) => Owner.findById(ownerKey(ws, ownerId)).lean<OwnerDoc>().exec();
  const getTeam = (ws: string, teamId: string) => Team.findById(teamKey(ws, teamId)).lean<TeamDoc>().exec();

  /**
   * Writes the owner, then publishes its record (write before publish). A failed publish fails the
   * mutation with the write done: saving the owner again publishes the record again.
   */
  async function saveOwner(doc: OwnerDoc): Promise<OwnerDoc> {
    await Owner.replaceOne({ _id: doc._id }, doc, { upsert: true }).exec();
    if (changes) {
      const record: OwnerRecord = {
        v: 1,
        workspaceId: doc.workspaceId,
        ownerId: doc.ownerId,
        name: doc.name,
        email: doc.email ?? null,
        active: doc.active,
        updatedAt: new Date(doc.updatedAt).toISOString(),
      };
      await publishEventWithRetry(
        changes.nats.js,
        changes.topology.subjects.ownerRecord(doc.workspaceId, doc.ownerId),
        record,
        messageIds.ownerRecord(doc.workspaceId, doc.ownerId, randomUUID()),
      );
    }
    return doc;
  }
  async function saveTeam(doc: TeamDoc): Promise<TeamDoc> {
    await Team.replaceOne({ _id: doc._id }, doc, { upsert: true }).exec();
    return doc;
  }

  async function getPolicy(ws: string): Promise<StoredQualificationPolicy> {
    const doc = await QualificationPolicy.findById(ws).lean<QualificationPolicyDoc>().exec();
    if (!doc) return { ...DEFAULT_QUALIFICATION_POLICY, updatedAt: null };
    return {
      marketingQualifiedScore: doc.marketingQualifiedScore ?? null,
      salesAssignScore: doc.salesAssignScore ?? null,
      routingRules: doc.routingRules ?? [],
      fallbackTeamId: doc.fallbackTeamId ?? null,
      updatedAt: doc.updatedAt,
    };
  }

  // Read by version for every consumer batch (a change applies to the next batch of every instance).
  const policies = workspaceConfig<QualificationPolicy>({ changes, kind: 'qualification', load: getPolicy });

  return {
    getOwner,
    getTeam,
    getPolicy,
    /** Every workspace's policy as it stands, once per consumer batch. */
    policiesFor: (workspaceIds: readonly string[]) => policies.forWorkspaces(workspaceIds),
    /** Lists scan the workspace's documents: admin screens, never the event path. */
    listOwners: (ws: string) => Owner.find({ workspaceId: ws }).lean<OwnerDoc[]>().exec(),
    listTeams: (ws: string) => Team.find({ workspaceId: ws }).lean<TeamDoc[]>().exec(),

    async updatePolicy(ws: string, input: QualificationPolicyInput): Promise<StoredQualificationPolicy> {
      const problems = qualificationPolicyProblems(input);
      const fallbackTeamId = input.fallbackTeamId ?? null;
      const routingRules = (input.routingRules ?? []).map((rule) => ({ ...rule }));
      // Every team named must be an active team of the workspace.
      const named = [
        ...(fallbackTeamId !== null ? [{ path: 'input.fallbackTeamId', teamId: fallbackTeamId }] : []),
        ...routingRules.map((rule, i) => ({ path: `input.routingRules[${i}].teamId`, teamId: rule.teamId })),
      ].filter(({ path }) => problems.every((p) => p.path !== path));
      const teams = await loadByIds(
        db,
        Team,
        named.map(({ teamId }) => teamKey(ws, teamId)),
      );
      for (const { path, teamId } of named) {
        const team = teams.get(teamKey(ws, teamId));
        if (!team) problems.push({ path, message: `no team ${teamId} in this workspace` });
        else if (!team.active) problems.push({ path, message: `team ${teamId} is deactivated` });
      }
      if (problems.length > 0) throw invalidFields(problems);
      const policy: QualificationPolicy = {
        marketingQualifiedScore:
          input.marketingQualifiedScore === undefined
            ? DEFAULT_QUALIFICATION_POLICY.marketingQualifiedScore
            : input.marketingQualifiedScore,
        salesAssignScore: input.salesAssignScore ?? null,
        routingRules,
        fallbackTeamId,
      };
      const doc: QualificationPolicyDoc = { _id: ws, ...policy, updatedAt: now() };
      await QualificationPolicy.replaceOne({ _id: ws }, doc, { upsert: true }).exec();
      await policies.changed(ws);
      return { ...policy, updatedAt: doc.updatedAt };
    },

    async createOwner(ws: string, input: OwnerInput): Promise<OwnerDoc> {
      const problems = [...nameProblems(input.name, true), ...emailProblems(input.email)];
      if (problems.length > 0) throw invalidFields(problems);
      const ownerId = randomUUID();
      return saveOwner({
        _id: ownerKey(ws, ownerId),
        workspaceId: ws,
        ownerId,
        name: input.name!.trim(),
        email: input.email ?? null,
        active: true,
        updatedAt: now(),
      });
    },
    async updateOwner(ws: string, ownerId: string, input: OwnerInput & { active?: boolean | null }): Promise<OwnerDoc> {
      const problems = [...nameProblems(input.name, false), ...emailProblems(input.email)];
      if (problems.length > 0) throw invalidFields(problems);
      const owner = await getOwner(ws, ownerId);
      if (!owner) throw notFound('owner', 'id', ownerId);
      return saveOwner({
        ...owner,
        name: input.name?.trim() ?? owner.name,
        email: input.email === undefined ? owner.email : input.email,
        active: input.active ?? owner.active,
        updatedAt: now(),
      });
    },
    async createTeam(ws: string, input: TeamInput): Promise<TeamDoc> {
      const memberIds = input.memberIds ?? [];
      const problems = [...nameProblems(input.name, true), ...(await memberProblems(ws, memberIds))];
      if (problems.length > 0) throw invalidFields(problems);
      const teamId = randomUUID();
      return saveTeam({
        _id: teamKey(ws, teamId),
        workspaceId: ws,
        teamId,
        name: input.name!.trim(),
        memberIds: [...memberIds],
        active: true,
        updatedAt: now(),
      });
    },
    async updateTeam(ws: string, teamId: string, input: TeamInput & { active?: boolean | null }): Promise<TeamDoc> {
      const problems = [
        ...nameProblems(input.name, false),
        ...(input.memberIds ? await memberProblems(ws, input.memberIds) : []),
      ];
      if (problems.length > 0) throw invalidFields(problems);
      const team = await getTeam(ws, teamId);
      if (!team) throw notFound('team', 'id', teamId);
      return saveTeam({
        ...team,
        name: input.name?.trim() ?? team.name,
        memberIds: input.memberIds ? [...input.memberIds] : team.memberIds,
        active: input.active ?? team.active,
        updatedAt: now(),
      });
    },
  };
}

function emailProblems(email: string | null | undefined): FieldProblem[] {
  if (email === undefined || email === null) return [];
  return email.length <= 320 && EMAIL.test(email) ? [] : [{ path: 'input.email', message: 'not an email address' }];
}

export type SalesConfig = ReturnType<typeof createSalesConfig>;
