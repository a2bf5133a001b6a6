// Notification's resolvers: Contact.notifications, batched by DataLoader.
import { contactKey } from '@cei/contracts';
import { DateTimeScalar } from '@cei/subgraph';
import type { NotificationContext } from '../server';

export const resolvers = {
  DateTime: DateTimeScalar,
  Contact: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    notifications: async (contact: { id: string }, _: unknown, ctx: NotificationContext) => {
      const doc = await ctx.loaders.notifications.load(contactKey(ctx.caller.workspaceId, contact.id));
      return doc?.notifications ?? [];
    },
  },
};
