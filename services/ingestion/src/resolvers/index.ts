// Ingestion's resolvers: thin; the work is in recording/ and the loaders.
import { contactKey } from '@cei/contracts';
import { DateTimeScalar, JSONScalar } from '@cei/subgraph';
import { trackInteractions } from '../recording/track-interactions';
import { deadLetterMutations, deadLetterQueries } from './dead-letters';
import type { Resolvers } from '../__generated__/resolvers-types';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  JSON: JSONScalar,
  Query: {
    contact: async (_, { id }, ctx) => ctx.loaders.contact.load(contactKey(ctx.caller.workspaceId, id)),
    ...deadLetterQueries,
  },
  Mutation: {
    trackInteractions: (_, { interactions }, ctx) =>
      trackInteractions(ctx.recording, ctx.caller, interactions, ctx.limits, ctx.log),
    ...deadLetterMutations,
  },
  Contact: {
    __resolveReference: async (ref, ctx) => ctx.loaders.contact.load(contactKey(ctx.caller.workspaceId, ref.id)),
    id: (contact) => contact.contactId,
  },
};
