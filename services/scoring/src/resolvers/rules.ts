// Admin rule management: thin resolvers over the rule book, which validates and audits.
import { requireRole } from '@cei/subgraph';
import type { ScoreComparison, ScoringRuleDoc } from '../models';
import type { ScoringRule } from '../domain/rules';
import type { ScoringContext } from '../server';
import type { MutationResolvers, QueryResolvers, Resolvers } from '../__generated__/resolvers-types';

/** What ScoringRule fields resolve from: the rule the engine runs, with its document's fields when stored. */
export type RuleParent = ScoringRule & Partial<Pick<ScoringRuleDoc, 'revision' | 'createdAt' | 'updatedAt'>>;
/** What ScoreValues fields resolve from: scores with tags as a map, as a recompute compares them. */
export type ScoreValuesParent = ScoreComparison['before'];

const actorOf = (ctx: ScoringContext) => ctx.caller.actor ?? `${ctx.caller.role}-key`;

export const ruleQueries: QueryResolvers = {
  scoringRules: (_, __, ctx) => {
    requireRole(ctx.caller, 'admin');
    return ctx.rules.list(ctx.caller.workspaceId);
  },
  scoringRuleAudit: (_, args, ctx) => {
    requireRole(ctx.caller, 'admin');
    return ctx.rules.audit(ctx.caller.workspaceId, { ...args, first: Math.min(Math.max(args.first ?? 50, 1), 200) });
  },
  scoringSettings: (_, __, ctx) => ctx.rules.settings(ctx.caller.workspaceId),
};

export const ruleMutations: MutationResolvers = {
  createScoringRule: async (_, { input }, ctx) => {
    requireRole(ctx.caller, 'admin');
    const rule = await ctx.rules.create(ctx.caller.workspaceId, input, actorOf(ctx));
    ctx.log.info({ rule: rule.ruleId, type: rule.type }, 'scoring rule created');
    return rule;
  },
  updateScoringRule: async (_, { id, input }, ctx) => {
    requireRole(ctx.caller, 'admin');
    return ctx.rules.update(ctx.caller.workspaceId, id, input, actorOf(ctx));
  },
  setScoringRuleEnabled: async (_, { id, enabled }, ctx) => {
    requireRole(ctx.caller, 'admin');
    return ctx.rules.update(ctx.caller.workspaceId, id, { enabled }, actorOf(ctx));
  },
  deleteScoringRule: async (_, { id }, ctx) => {
    requireRole(ctx.caller, 'admin');
    return ctx.rules.remove(ctx.caller.workspaceId, id, actorOf(ctx));
  },
  updateScoringSettings: async (_, { input }, ctx) => {
    requireRole(ctx.caller, 'admin');
    return ctx.rules.updateSettings(ctx.caller.workspaceId, {
      halfLifeDays: input.halfLifeDays ?? null,
      ...(input.sentimentLanguage !== undefined ? { sentimentLanguage: input.sentimentLanguage } : {}),
    });
  },
};

const tagList = (tags: Record<string, number>) =>
  Object.entries(tags)
    .map(([tag, points]) => ({ tag, points }))
    .sort((a, b) => b.points - a.points || a.tag.localeCompare(b.tag));

export const ruleTypes: Pick<Resolvers, 'ScoringRule' | 'ScoringRuleAuditEntry' | 'ScoreValues'> = {
  ScoringRule: {
    id: (rule) => rule.ruleId,
    points: (rule) => rule.effect.general,
    when: (rule) => rule.condition,
    revision: (rule) => rule.revision ?? 0,
    createdAt: (rule) => rule.createdAt ?? new Date(0),
    updatedAt: (rule) => rule.updatedAt ?? new Date(0),
    exclusive: (rule) => rule.exclusive ?? false,
  },
  ScoringRuleAuditEntry: {
    // The audit keeps the rule as it was; the API shows it with the entry's revision and time.
    before: (entry) =>
      entry.before && { ...entry.before, revision: entry.revision - 1, createdAt: entry.at, updatedAt: entry.at },
    after: (entry) =>
      entry.after && { ...entry.after, revision: entry.revision, createdAt: entry.at, updatedAt: entry.at },
  },
  ScoreValues: {
    tags: (values) => tagList(values.tags),
  },
};

export { tagList };
