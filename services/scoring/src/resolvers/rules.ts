// Admin rule management: thin resolvers over the rule book, which validates and audits.
import { requireRole } from '@cei/subgraph';
import type { ScoringRuleDoc, RuleAuditDoc } from '../models';
import type { ScoringRule } from '../domain/rules';
import type { RulePatch } from '../rules/rule-book';
import type { ScoringRuleInput } from '../rules/validate-rule';
import type { ScoringContext } from '../server';

const actorOf = (ctx: ScoringContext) => ctx.caller.actor ?? `${ctx.caller.role}-key`;

export const ruleQueries = {
  scoringRules: (_: unknown, __: unknown, ctx: ScoringContext) => {
    requireRole(ctx.caller, 'admin');
    return ctx.rules.list(ctx.caller.workspaceId);
  },
  scoringRuleAudit: (
    _: unknown,
    args: { ruleId?: string | null; first: number; after?: string | null },
    ctx: ScoringContext,
  ) => {
    requireRole(ctx.caller, 'admin');
    return ctx.rules.audit(ctx.caller.workspaceId, { ...args, first: Math.min(Math.max(args.first, 1), 200) });
  },
  scoringSettings: (_: unknown, __: unknown, ctx: ScoringContext) => ctx.rules.settings(ctx.caller.workspaceId),
};

export const ruleMutations = {
  createScoringRule: async (_: unknown, { input }: { input: ScoringRuleInput }, ctx: ScoringContext) => {
    requireRole(ctx.caller, 'admin');
    const rule = await ctx.rules.create(ctx.caller.workspaceId, input, actorOf(ctx));
    ctx.log.info({ rule: rule.ruleId, type: rule.type }, 'scoring rule created');
    return rule;
  },
  updateScoringRule: async (_: unknown, { id, input }: { id: string; input: RulePatch }, ctx: ScoringContext) => {
    requireRole(ctx.caller, 'admin');
    return ctx.rules.update(ctx.caller.workspaceId, id, input, actorOf(ctx));
  },
  setScoringRuleEnabled: async (_: unknown, { id, enabled }: { id: string; enabled: boolean }, ctx: ScoringContext) => {
    requireRole(ctx.caller, 'admin');
    return ctx.rules.update(ctx.caller.workspaceId, id, { enabled }, actorOf(ctx));
  },
  deleteScoringRule: async (_: unknown, { id }: { id: string }, ctx: ScoringContext) => {
    requireRole(ctx.caller, 'admin');
    return ctx.rules.remove(ctx.caller.workspaceId, id, actorOf(ctx));
  },
  updateScoringSettings: async (
    _: unknown,
    { input }: { input: { halfLifeDays?: number | null } },
    ctx: ScoringContext,
  ) => {
    requireRole(ctx.caller, 'admin');
    return ctx.rules.updateSettings(ctx.caller.workspaceId, { halfLifeDays: input.halfLifeDays ?? null });
  },
};

const tagList = (tags: Record<string, number>) =>
  Object.entries(tags)
    .map(([tag, points]) => ({ tag, points }))
    .sort((a, b) => b.points - a.points || a.tag.localeCompare(b.tag));

export const ruleTypes = {
  ScoringRule: {
    id: (rule: ScoringRule) => rule.ruleId,
    points: (rule: ScoringRule) => rule.effect.general,
    when: (rule: ScoringRule) => rule.condition,
    revision: (rule: ScoringRule & Partial<Pick<ScoringRuleDoc, 'revision'>>) => rule.revision ?? 0,
    createdAt: (rule: ScoringRule & Partial<Pick<ScoringRuleDoc, 'createdAt'>>) => rule.createdAt ?? new Date(0),
    updatedAt: (rule: ScoringRule & Partial<Pick<ScoringRuleDoc, 'updatedAt'>>) => rule.updatedAt ?? new Date(0),
    exclusive: (rule: ScoringRule) => rule.exclusive ?? false,
  },
  ScoringRuleAuditEntry: {
    // The audit keeps the rule as it was; the API shows it with the entry's revision and time.
    before: (entry: RuleAuditDoc) =>
      entry.before && { ...entry.before, revision: entry.revision - 1, createdAt: entry.at, updatedAt: entry.at },
    after: (entry: RuleAuditDoc) =>
      entry.after && { ...entry.after, revision: entry.revision, createdAt: entry.at, updatedAt: entry.at },
  },
  ScoreValues: {
    tags: (values: { tags: Record<string, number> }) => tagList(values.tags),
  },
};

export { tagList };
