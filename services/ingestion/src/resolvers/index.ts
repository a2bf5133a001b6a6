// Ingestion's resolvers: thin; the work is in recording/ and the loaders.
import { contactKey, ERRORS } from '@cei/contracts';
import { DateTimeScalar, JSONScalar, requireRole } from '@cei/subgraph';
import { recordInteractions } from '../recording/record-interactions';
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
    trackInteractions: async (_, { interactions }, ctx) => {
      requireRole(ctx.caller, 'write');
      if (interactions.length > ctx.limits.maxBatchSize) {
        throw ERRORS.BATCH_TOO_LARGE.err(
          `trackInteractions takes at most ${ctx.limits.maxBatchSize} interactions per call; got ${interactions.length}. Split the batch.`,
          { extensions: { limit: ctx.limits.maxBatchSize, size: interactions.length } },
        );
      }
      const items = await recordInteractions(ctx.recording, ctx.caller.workspaceId, interactions);
      const count = (status: string) => items.filter((item) => item.status === status).length;
      ctx.log.info(
        { accepted: count('ACCEPTED'), duplicates: count('DUPLICATE'), rejected: count('REJECTED') },
        'interactions tracked',
      );
      return { accepted: count('ACCEPTED'), duplicates: count('DUPLICATE'), rejected: count('REJECTED'), items };
    },
    ...deadLetterMutations,
  },
  Contact: {
    __resolveReference: async (ref, ctx) => ctx.loaders.contact.load(contactKey(ctx.caller.workspaceId, ref.id)),
    id: (contact) => contact.contactId,
  },
};
