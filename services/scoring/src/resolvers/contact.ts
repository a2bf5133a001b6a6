// Contact fields scoring owns: scores as of now, the explanation, KPIs and likelihoods.
import { contactKey, type ContactRef } from '@cei/contracts';
import { scoreDoc, type ContactScoreDoc, type ContactScoreRow } from '../models';
import { decayedValues } from '../domain/score-state';
import { engagementIndex } from '../domain/engagement-index';
import { contactKpis, workspaceKpis } from '../domain/kpis';
import { likelihoods } from '../domain/likelihoods';
import { emptyProfile, ENGAGED_INDEX, influence } from '../domain/influence';
import { inWorkspace } from '@cei/mongo';
import { emptyActivity } from '../domain/activity';
import { likelihoodUsage } from '../domain/product-usage';
import { contactUsage } from './usage';
import { historyPage } from '../scores/history-page';
import type { ScoringContext } from '../server';
import type { ContactResolvers, QueryResolvers } from '../__generated__/resolvers-types';
import { tagList } from './rules';

/**
 * Influence as of now: the traits and social figures from the score document, the engaged
 * colleagues from a read of the account's contacts (one equality filter, off the event path).
 */
async function influenceOf(doc: ContactScoreDoc | null, ctx: ScoringContext) {
  const profile = doc?.state.profile ?? emptyProfile();
  let engagedColleagues = 0;
  if (doc && profile.accountId) {
    const colleagues = await ctx.models.ContactScore.find(
      inWorkspace<ContactScoreRow>(ctx.caller.workspaceId, { accountId: profile.accountId }),
      { contactId: 1, published: 1 },
    )
      .lean<Pick<ContactScoreRow, 'contactId' | 'published'>[]>()
      .exec();
    engagedColleagues = colleagues.filter(
      (c) => c.contactId !== doc.contactId && engagementIndex(c.published) >= ENGAGED_INDEX,
    ).length;
  }
  const social = doc?.state.activity.social;
  return influence({
    profile,
    engagedColleagues,
    shares: social?.shares ?? 0,
    mentions: social?.mentions ?? 0,
    commentReach: social?.commentReach ?? 0,
  });
}

async function scoreDocOf(contact: ContactRef, ctx: ScoringContext): Promise<ContactScoreDoc | null> {
  return ctx.loaders.score.load(contactKey(ctx.caller.workspaceId, contact.id));
}

export const contactFields: ContactResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  // Counted here, in the document scoring rewrites per batch anyway, so that ingestion's contact
  // projector writes a contact only when its identity changes (issue 9: a third of the drain's updates).
  interactionCount: async (contact, _, ctx) => (await scoreDocOf(contact, ctx))?.state.activity.interactions ?? 0,
  lastInteractionAt: async (contact, _, ctx) =>
    (await scoreDocOf(contact, ctx))?.state.activity.lastInteractionAt ?? null,
  score: async (contact, _, ctx) => {
    const doc = await scoreDocOf(contact, ctx);
    if (!doc) {
      return {
        general: 0,
        stage: 0,
        tags: [],
        engagementIndex: 0,
        scoredInteractions: 0,
        phase: null,
        updatedAt: null,
      };
    }
    const halfLifeDays = await ctx.loaders.halfLifeDays.load(ctx.caller.workspaceId);
    const now = decayedValues(doc.state, halfLifeDays, ctx.now().getTime());
    return {
      general: now.general,
      stage: now.stage,
      tags: tagList(now.tags),
      engagementIndex: engagementIndex(now.general),
      scoredInteractions: doc.state.scoredInteractions,
      phase: doc.state.phase,
      updatedAt: doc.updatedAt,
    };
  },
  scoreHistory: async (contact, { first, after }, ctx) => {
    const doc = await scoreDocOf(contact, ctx);
    const halfLifeDays = await ctx.loaders.halfLifeDays.load(ctx.caller.workspaceId);
    return historyPage(ctx.db, ctx.models, doc, {
      first: first ?? 20,
      after: after ?? null,
      halfLifeDays,
      now: ctx.now(),
    });
  },
  kpis: async (contact, _, ctx) => contactKpis((await scoreDocOf(contact, ctx))?.state.activity ?? emptyActivity()),
  influence: async (contact, _, ctx) => influenceOf(await scoreDocOf(contact, ctx), ctx),
  likelihoods: async (contact, _, ctx) => {
    const [doc, { usage, catalog }] = await Promise.all([scoreDocOf(contact, ctx), contactUsage(contact, ctx)]);
    const now = ctx.now();
    return likelihoods(doc?.state.activity ?? emptyActivity(), now, likelihoodUsage(usage, catalog, now));
  },
};

export const kpiQueries: QueryResolvers = {
  /** Reads every scored contact of the workspace (a scan, off the event path) and aggregates in code. */
  workspaceKpis: async (_, __, ctx) => {
    const rows = await ctx.models.ContactScore.find({ workspaceId: ctx.caller.workspaceId }, { body: 1 })
      .lean<Pick<ContactScoreRow, 'body'>[]>()
      .exec();
    return workspaceKpis(rows.flatMap((row) => (row.body ? [scoreDoc(row as ContactScoreRow).state.activity] : [])));
  },
};
