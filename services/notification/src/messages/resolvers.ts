// The resolvers of phase-tailored messages (spread into the service's resolvers).
// Reads: any key of the workspace; marks on feeds: write; rules and settings: admin.
import { requireRole } from '@cei/subgraph';
import type { Resolvers } from '../__generated__/resolvers-types';
import type { RuleDoc } from './models';
import type { RuleInput } from './service';

const ruleOut = (r: RuleDoc) => ({ ...r, id: r._id });
const asInput = (input: unknown) => input as RuleInput;

export const messageResolvers: Pick<Resolvers, 'Query' | 'Mutation' | 'MessageAuditEntry'> = {
  MessageAuditEntry: {
    contact: (entry) => ({ id: entry.contactId }),
  },
  Query: {
    notificationRules: async (_, __, ctx) => (await ctx.messages.rules(ctx.caller.workspaceId)).map(ruleOut),
    notificationRule: async (_, { id }, ctx) => {
      const rule = await ctx.messages.rule(ctx.caller.workspaceId, id);
      return rule && ruleOut(rule);
    },
    previewNotificationRule: (_, { ruleId, input, contactId }, ctx) =>
      ctx.messages.preview(ctx.caller.workspaceId, ruleId, input && asInput(input), contactId),
    contactMessages: (_, { contactId, first, after, includeDismissed }, ctx) =>
      ctx.messages.contactMessages(ctx.caller.workspaceId, contactId, first, after, includeDismissed),
    ownerTasks: (_, { ownerId, first, after, includeCompleted }, ctx) =>
      ctx.messages.ownerTasks(ctx.caller.workspaceId, ownerId, first, after, includeCompleted),
    messageAudit: (_, { contactId, ruleId, first, after }, ctx) =>
      ctx.messages.audit(ctx.caller.workspaceId, contactId, ruleId, first, after),
    messageSettings: (_, __, ctx) => ctx.messages.settings(ctx.caller.workspaceId),
    ruleMessage: (_, { id }, ctx) => ctx.messages.message(ctx.caller.workspaceId, id),
  },
  Mutation: {
    createNotificationRule: async (_, { input }, ctx) => {
      requireRole(ctx.caller, 'admin');
      const rule = await ctx.messages.createRule(ctx.caller.workspaceId, asInput(input));
      ctx.log.info({ ruleId: rule._id }, 'notification rule created');
      return ruleOut(rule);
    },
    updateNotificationRule: async (_, { id, input }, ctx) => {
      requireRole(ctx.caller, 'admin');
      return ruleOut(await ctx.messages.updateRule(ctx.caller.workspaceId, id, asInput(input)));
    },
    deleteNotificationRule: (_, { id }, ctx) => {
      requireRole(ctx.caller, 'admin');
      return ctx.messages.deleteRule(ctx.caller.workspaceId, id);
    },
    setQuietHours: (_, { input }, ctx) => {
      requireRole(ctx.caller, 'admin');
      return ctx.messages.setQuietHours(ctx.caller.workspaceId, input);
    },
    markMessageRead: (_, { id }, ctx) => {
      requireRole(ctx.caller, 'write');
      return ctx.messages.markRead(ctx.caller.workspaceId, id);
    },
    dismissMessage: (_, { id }, ctx) => {
      requireRole(ctx.caller, 'write');
      return ctx.messages.dismiss(ctx.caller.workspaceId, id);
    },
    completeTask: (_, { id }, ctx) => {
      requireRole(ctx.caller, 'write');
      return ctx.messages.completeTask(ctx.caller.workspaceId, id);
    },
  },
};
