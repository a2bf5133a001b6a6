// Resolvers of lead qualification and owners: the policy, owners and teams (admin keys),
// the lead steps and assignments (write keys, through the contact's owner: lead-desk.ts),
// Contact's qualification and owner fields, and the counts.
import { contactKey, type RoutingProperty } from '@cei/contracts';
import { requireRole } from '@cei/subgraph';
import type { AssignmentEntry, QualificationStepEntry } from '../domain/qualification';
import { assignmentId, stepId } from '../sales/contact-sales';
import { ownerKey, teamKey } from '../sales/sales-config';
import type { OwnerDoc } from '../sales/models';
import type { LifecycleContext } from '../server';
import type { Resolvers } from '../__generated__/resolvers-types';

export type QualificationStepParent = Omit<QualificationStepEntry, 'seq'> & { contactId: string };
export type OwnerAssignmentParent = AssignmentEntry & { contactId: string };

/** The contact's document, complete (the loader decodes it: lifecycleDoc). */
const lifecycleOf = (ctx: LifecycleContext, contactId: string) =>
  ctx.loaders.lifecycle.load(contactKey(ctx.caller.workspaceId, contactId));

const ownerOf = (ctx: LifecycleContext, ownerId: string | null) =>
  ownerId === null ? null : ctx.loaders.owners.load(ownerKey(ctx.caller.workspaceId, ownerId));
const teamOf = (ctx: LifecycleContext, teamId: string | null) =>
  teamId === null ? null : ctx.loaders.teams.load(teamKey(ctx.caller.workspaceId, teamId));

export const salesResolvers: Resolvers = {
  Query: {
    qualificationPolicy: (_, __, ctx) => ctx.sales.getPolicy(ctx.caller.workspaceId),
    owners: (_, __, ctx) => ctx.sales.listOwners(ctx.caller.workspaceId),
    owner: (_, { id }, ctx) => ownerOf(ctx, id),
    teams: (_, __, ctx) => ctx.sales.listTeams(ctx.caller.workspaceId),
    team: (_, { id }, ctx) => teamOf(ctx, id),
    qualificationStep: (_, { id }, ctx) => ctx.leads.stepById(ctx.caller.workspaceId, id),
    ownerAssignment: (_, { id }, ctx) => ctx.leads.assignmentById(ctx.caller.workspaceId, id),
    qualificationCounts: (_, { from, to }, ctx) => ctx.leads.qualificationCounts(ctx.caller.workspaceId, from, to),
  },
  Mutation: {
    updateQualificationPolicy: async (_, { input }, ctx) => {
      requireRole(ctx.caller, 'admin');
      const policy = await ctx.sales.updatePolicy(ctx.caller.workspaceId, {
        ...input,
        routingRules: input.routingRules?.map(({ property, ...rule }) => ({
          ...rule,
          property: property ? (property.toLowerCase() as RoutingProperty) : null,
        })),
      });
      ctx.log.info({ policy }, 'qualification policy updated');
      return policy;
    },
    createOwner: (_, { input }, ctx) => {
      requireRole(ctx.caller, 'admin');
      return ctx.sales.createOwner(ctx.caller.workspaceId, input);
    },
    updateOwner: (_, { id, input }, ctx) => {
      requireRole(ctx.caller, 'admin');
      return ctx.sales.updateOwner(ctx.caller.workspaceId, id, input);
    },
    deactivateOwner: (_, { id }, ctx) => {
      requireRole(ctx.caller, 'admin');
      return ctx.sales.updateOwner(ctx.caller.workspaceId, id, { active: false });
    },
    activateOwner: (_, { id }, ctx) => {
      requireRole(ctx.caller, 'admin');
      return ctx.sales.updateOwner(ctx.caller.workspaceId, id, { active: true });
    },
    createTeam: (_, { input }, ctx) => {
      requireRole(ctx.caller, 'admin');
      return ctx.sales.createTeam(ctx.caller.workspaceId, input);
    },
    updateTeam: (_, { id, input }, ctx) => {
      requireRole(ctx.caller, 'admin');
      return ctx.sales.updateTeam(ctx.caller.workspaceId, id, input);
    },
    deactivateTeam: (_, { id }, ctx) => {
      requireRole(ctx.caller, 'admin');
      return ctx.sales.updateTeam(ctx.caller.workspaceId, id, { active: false });
    },
    acceptLead: (_, { contactId }, ctx) => {
      requireRole(ctx.caller, 'write');
      return ctx.leads.step(ctx.caller, contactId, 'ACCEPT', null);
    },
    qualifyLead: (_, { contactId }, ctx) => {
      requireRole(ctx.caller, 'write');
      return ctx.leads.step(ctx.caller, contactId, 'QUALIFY', null);
    },
    rejectLead: (_, { contactId, reason }, ctx) => {
      requireRole(ctx.caller, 'write');
      return ctx.leads.step(ctx.caller, contactId, 'REJECT', reason);
    },
    disqualifyLead: (_, { contactId, reason }, ctx) => {
      requireRole(ctx.caller, 'write');
      return ctx.leads.step(ctx.caller, contactId, 'DISQUALIFY', reason);
    },
    assignOwner: (_, { contactId, ownerId }, ctx) => {
      requireRole(ctx.caller, 'write');
      return ctx.leads.assign(ctx.caller, contactId, ownerId);
    },
  },
  Contact: {
    qualification: async (contact, _, ctx) => (await lifecycleOf(ctx, contact.id))?.qualification ?? 'NONE',
    qualificationHistory: async (contact, _, ctx) =>
      ((await lifecycleOf(ctx, contact.id))?.sales.steps ?? []).map((entry) => ({ ...entry, contactId: contact.id })),
    owner: async (contact, _, ctx) => ownerOf(ctx, (await lifecycleOf(ctx, contact.id))?.ownerId ?? null),
    ownerHistory: async (contact, _, ctx) =>
      ((await lifecycleOf(ctx, contact.id))?.sales.assignments ?? []).map((entry) => ({
        ...entry,
        contactId: contact.id,
      })),
  },
  QualificationStep: {
    id: (step) => stepId(step.contactId, step.n),
    contact: (step) => ({ id: step.contactId }),
  },
  OwnerAssignment: {
    id: (assignment) => assignmentId(assignment.contactId, assignment.n),
    contact: (assignment) => ({ id: assignment.contactId }),
    owner: (assignment, _, ctx) => ownerOf(ctx, assignment.ownerId),
    previousOwner: (assignment, _, ctx) => ownerOf(ctx, assignment.previousOwnerId),
    team: (assignment, _, ctx) => teamOf(ctx, assignment.teamId),
  },
  Owner: {
    id: (owner) => owner.ownerId,
    contacts: (owner, { first, after }, ctx) =>
      ctx.leads.ownerContacts(ctx.caller.workspaceId, owner.ownerId, first ?? 50, after ?? null),
  },
  Team: {
    id: (team) => team.teamId,
    members: async (team, _, ctx) =>
      (await Promise.all(team.memberIds.map((id) => ownerOf(ctx, id)))).filter((o): o is OwnerDoc => o !== null),
  },
  QualificationPolicy: {
    fallbackTeam: (policy, _, ctx) => teamOf(ctx, policy.fallbackTeamId),
  },
  RoutingRule: {
    team: (rule, _, ctx) => teamOf(ctx, rule.teamId),
    property: (rule) => (rule.property ? (rule.property.toUpperCase() as Uppercase<RoutingProperty>) : null),
  },
};
