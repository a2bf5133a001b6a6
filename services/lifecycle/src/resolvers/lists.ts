// Query.contacts, phaseDistribution and funnel: lists and figures for front ends, read from
// lifecycle's own documents (any role may read). Each contact of a page resolves its other
// fields through federation; its lifecycle fields come from the document the page read.
import { contactPage } from '../lists/contact-list';
import { funnel, phaseDistribution } from '../reports/phase-figures';
import type { QueryResolvers } from '../__generated__/resolvers-types';

export const listQueries: Pick<QueryResolvers, 'contacts' | 'phaseDistribution' | 'funnel'> = {
  contacts: async (_, args, ctx) => {
    const page = await contactPage(ctx.models, ctx.caller.workspaceId, args);
    for (const { doc } of page.edges) ctx.loaders.lifecycle.prime(doc._id, doc);
    return {
      edges: page.edges.map(({ cursor, doc }) => ({ cursor, node: { id: doc.contactId } })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.edges.at(-1)?.cursor ?? null },
    };
  },
  phaseDistribution: (_, { from, to }, ctx) => phaseDistribution(ctx, ctx.caller.workspaceId, { from, to }, ctx.now()),
  funnel: (_, { from, to }, ctx) => funnel(ctx, ctx.caller.workspaceId, from, to, ctx.now()),
};
