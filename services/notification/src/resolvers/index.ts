// Notification's resolvers: Contact.notifications (batched by DataLoader), messages and webhooks.
import { contactKey } from '@cei/contracts';
import { DateTimeScalar } from '@cei/subgraph';
import type { Resolvers } from '../__generated__/resolvers-types';
import { messageResolvers } from '../messages/resolvers';
import { webhookMutations, webhookQueries } from '../webhooks/resolvers';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  ...messageResolvers,
  Query: { ...messageResolvers.Query, ...webhookQueries },
  Mutation: { ...messageResolvers.Mutation, ...webhookMutations },
  Contact: {
    __resolveReference: (ref) => ({ id: ref.id }),
    notifications: async (contact, _, ctx) => {
      const doc = await ctx.loaders.notifications.load(contactKey(ctx.caller.workspaceId, contact.id));
      return doc?.notifications ?? [];
    },
  },
};
