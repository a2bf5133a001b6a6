// Score changes by id: the payload the gateway resolves for each scoreChanged event
// (Subscription.scoreChanged itself is served by the gateway from NATS).
import { contactKey } from '@cei/contracts';
import type { QueryResolvers } from '../__generated__/resolvers-types';

export const scoreChangeQueries: QueryResolvers = {
  scoreChange: async (_, { id }, ctx) => {
    // The caller's workspace is part of the _id: another workspace's change is not found.
    const doc = await ctx.loaders.scoreChange.load(contactKey(ctx.caller.workspaceId, id));
    return doc && { ...doc, id: doc.changeId, contact: { id: doc.contactId } };
  },
};
