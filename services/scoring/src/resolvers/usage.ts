// Product usage: the declared features (admin), a contact's usage, the workspace's statistics
// and lists. Thin: the feature book validates, usage/workspace-usage reads and ranks.
import { contactKey, type ContactRef } from '@cei/contracts';
import { requireRole } from '@cei/subgraph';
import { emptyUsage, usageProfile } from '../domain/product-usage';
import { powerUsers, upsellOpportunities, usageReport } from '../usage/workspace-usage';
import type { ScoringContext } from '../server';
import type { ContactResolvers, MutationResolvers, QueryResolvers } from '../__generated__/resolvers-types';

/** The contact's usage and the workspace's catalog, batched per request. */
export async function contactUsage(contact: ContactRef, ctx: ScoringContext) {
  const { workspaceId } = ctx.caller;
  const [doc, catalog] = await Promise.all([
    ctx.loaders.usage.load(contactKey(workspaceId, contact.id)),
    ctx.loaders.catalog.load(workspaceId),
  ]);
  return { usage: doc?.usage ?? emptyUsage(), catalog };
}

export const usageContactFields: Pick<ContactResolvers, 'productUsage'> = {
  productUsage: async (contact, _, ctx) => {
    const { usage, catalog } = await contactUsage(contact, ctx);
    const profile = usageProfile(usage, catalog, ctx.now());
    return {
      ...profile,
      usesLast30Days: profile.usesRecent,
      errorsLast30Days: profile.errorsRecent,
    };
  },
};

export const usageQueries: QueryResolvers = {
  productFeatures: (_, __, ctx) => ctx.features.list(ctx.caller.workspaceId),
  productUsage: async (_, { from, to, granularity, first }, ctx) => {
    const { workspaceId } = ctx.caller;
    const catalog = await ctx.loaders.catalog.load(workspaceId);
    return usageReport(ctx, workspaceId, catalog, { from, to, granularity: granularity ?? 'DAY', first: first ?? 5 });
  },
  powerUsers: async (_, { first }, ctx) => {
    const { workspaceId } = ctx.caller;
    const users = await powerUsers(ctx, workspaceId, await ctx.loaders.catalog.load(workspaceId), first ?? 10);
    return users.map(({ contactId, ...figures }) => ({ ...figures, contact: { id: contactId } }));
  },
  upsellOpportunities: async (_, { first }, ctx) => {
    const { workspaceId } = ctx.caller;
    const found = await upsellOpportunities(ctx, workspaceId, await ctx.loaders.catalog.load(workspaceId), first ?? 10);
    return found.map(({ contactId, ...figures }) => ({ ...figures, contact: { id: contactId } }));
  },
};

export const usageMutations: MutationResolvers = {
  createProductFeature: async (_, { input }, ctx) => {
    requireRole(ctx.caller, 'admin');
    const feature = await ctx.features.create(ctx.caller.workspaceId, input);
    ctx.log.info({ feature: feature.key, highValue: feature.highValue }, 'product feature declared');
    return feature;
  },
  updateProductFeature: async (_, { key, input }, ctx) => {
    requireRole(ctx.caller, 'admin');
    return ctx.features.update(ctx.caller.workspaceId, key, input);
  },
  deleteProductFeature: async (_, { key }, ctx) => {
    requireRole(ctx.caller, 'admin');
    return ctx.features.remove(ctx.caller.workspaceId, key);
  },
};
