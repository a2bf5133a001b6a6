// Query.contacts, phaseDistribution and funnel: lists and figures for front ends, read from
// lifecycle's own documents (any role may read). Each contact of a page resolves its other
// fields through federation; its lifecycle fields come from the document the page read.
import { invalidFields } from '@cei/contracts';
import { contactPage, listQuery } from '../lists/contact-list';
import { ownerKey } from '../sales/sales-config';
import { funnel, phaseDistribution } from '../reports/phase-figures';
import type { QueryResolvers } from '../__generated__/resolvers-types';

export const listQueries: Pick<QueryResolvers, 'contacts' | 'phaseDistribution' | 'funnel'> = {
  contacts: async (_, args, ctx) => {
    const ws = ctx.caller.workspaceId;
    const ownerId = args.filter?.ownerId;
    if (typeof ownerId === 'string') {
      listQuery(ws, args); // every problem of the request itself named first
      // Another workspace's owner is no owner here, as for assignOwner.
      if (!(await ctx.loaders.owners.load(ownerKey(ws, ownerId)))) {
        throw invalidFields([{ path: 'filter.ownerId', message: `no owner ${ownerId} in this workspace` }]);
      }
    }
    const page = await contactPage(ctx.models, ws, args);
    for (const { doc } of page.edges) ctx.loaders.lifecycle.prime(doc._id, doc);
    return {
      edges: page.edges.map(({ cursor, doc }) => ({ cursor, node: { id: doc.contactId } })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.edges.at(-1)?.cursor ?? null },
    };
  },
  phaseDistribution: (_, { from, to }, ctx) => phaseDistribution(ctx, ctx.caller.workspaceId, { from, to }, ctx.now()),
  funnel: (_, { from, to }, ctx) => funnel(ctx, ctx.caller.workspaceId, from, to, ctx.now()),
};
