// Ingestion's resolvers: thin; the work is in recording/ and the loaders.
import { contactKey } from '@cei/contracts';
import { DateTimeScalar, JSONScalar } from '@cei/subgraph';
import { trackInteractions } from '../recording/track-interactions';
import { deadLetterMutations, deadLetterQueries } from './dead-letters';
import type { Resolvers } from '../__generated__/resolvers-types';
import { contactResolvers } from './contacts';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  JSON: JSONScalar,
  Query: {
    ...contactResolvers.Query,
    ...deadLetterQueries,
  },
  Mutation: {
    trackInteractions: (_, { interactions }, ctx) =>
      trackInteractions(ctx.recording, ctx.caller, interactions, ctx.limits, ctx.log),
    ...deadLetterMutations,
    ...contactResolvers.Mutation,
  },
  Contact: {
    __resolveReference: async (ref, ctx) => ctx.loaders.contact.load(contactKey(ctx.caller.workspaceId, ref.id)),
    id: (contact) => contact.contactId,
    ...contactResolvers.Contact,
  },
  Account: contactResolvers.Account,
  TraitChange: contactResolvers.TraitChange,
  ContactMerge: contactResolvers.ContactMerge,
};
