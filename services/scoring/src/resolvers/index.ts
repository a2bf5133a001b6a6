// Scoring's resolvers: admin rule management and Contact.score (batched by DataLoader).
import { contactKey, type InteractionKind } from '@cei/contracts';
import { DateTimeScalar, requireRole } from '@cei/subgraph';
import type { ContactScoreDoc, ScoringRuleDoc } from '../models';
import { engagementIndex } from '../domain/scoring';
import type { ScoringContext } from '../server';

export const resolvers = {
  DateTime: DateTimeScalar,
  Query: {
    scoringRules: (_: unknown, __: unknown, ctx: ScoringContext) => {
      requireRole(ctx.caller, 'admin');
      return ctx.rules.list(ctx.caller.workspaceId);
    },
  },
  Mutation: {
    createScoringRule: async (
      _: unknown,
      {
        input,
      }: { input: { kind: InteractionKind; variant?: string | null; points: number; enabled?: boolean | null } },
      ctx: ScoringContext,
    ) => {
      requireRole(ctx.caller, 'admin');
      const rule = await ctx.rules.create(ctx.caller.workspaceId, input);
      ctx.log.info({ rule: rule.ruleId, points: rule.points }, 'scoring rule created');
      return rule;
    },
    updateScoringRule: async (
      _: unknown,
      { id, input }: { id: string; input: { points?: number | null; enabled?: boolean | null } },
      ctx: ScoringContext,
    ) => {
      requireRole(ctx.caller, 'admin');
      return ctx.rules.update(ctx.caller.workspaceId, id, input);
    },
    deleteScoringRule: async (_: unknown, { id }: { id: string }, ctx: ScoringContext) => {
      requireRole(ctx.caller, 'admin');
      return ctx.rules.remove(ctx.caller.workspaceId, id);
    },
  },
  ScoringRule: {
    id: (rule: ScoringRuleDoc) => rule.ruleId,
  },
  Contact: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    score: async (contact: { id: string }, _: unknown, ctx: ScoringContext) => {
      const doc = await ctx.loaders.score.load(contactKey(ctx.caller.workspaceId, contact.id));
      return toScore(doc);
    },
  },
};

function toScore(doc: ContactScoreDoc | null) {
  const general = doc?.general ?? 0;
  return {
    general,
    engagementIndex: engagementIndex(general),
    scoredInteractions: doc?.scoredInteractions ?? 0,
    updatedAt: doc?.updatedAt ?? null,
  };
}
