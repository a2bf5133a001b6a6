// Notification's resolvers: Contact.notifications, batched by DataLoader.
import { contactKey } from '@cei/contracts';
import { DateTimeScalar } from '@cei/subgraph';
import type { Resolvers } from '../__generated__/resolvers-types';
import { messageResolvers } from '../messages/resolvers';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  ...messageResolvers,
  Contact: {
    __resolveReference: (ref) => ({ id: ref.id }),
    notifications: async (contact, _, ctx) => {
      const doc = await ctx.loaders.notifications.load(contactKey(ctx.caller.workspaceId, contact.id));
      return doc?.notifications ?? [];
    },
  },
};
