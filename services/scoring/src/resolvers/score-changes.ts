// Score changes by id: the payload the gateway resolves for each scoreChanged event
// (Subscription.scoreChanged itself is served by the gateway from NATS). A change is in the
// document of its message, stored under the message's first change's id (models/score-changes).
import { contactKey, scoreChangeMessageOf } from '@cei/contracts';
import type { QueryResolvers } from '../__generated__/resolvers-types';

export const scoreChangeQueries: QueryResolvers = {
  scoreChange: async (_, { id }, ctx) => {
    const message = scoreChangeMessageOf(id);
    if (!message) return null;
    // The caller's workspace is part of the _id: another workspace's change is not found.
    const row = await ctx.loaders.scoreChange.load(contactKey(ctx.caller.workspaceId, message.firstId));
    const change = row?.changes[message.member];
    if (!row || change?.changeId !== id) return null;
    return { ...change, id, at: new Date(change.at), contact: { id: row.contactId } };
  },
};
