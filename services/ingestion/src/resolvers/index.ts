// Ingestion's resolvers: thin; the work is in recording/ and the loaders.
import { contactKey, ERRORS } from '@cei/contracts';
import { DateTimeScalar, JSONScalar, requireRole } from '@cei/subgraph';
import type { ContactDoc } from '../models';
import type { InteractionInput } from '../domain/validate-interaction';
import type { IngestionContext } from '../server';
import { recordInteractions } from '../recording/record-interactions';

type ContactRef = { id: string };

export const resolvers = {
  DateTime: DateTimeScalar,
  JSON: JSONScalar,
  Query: {
    contact: async (_: unknown, { id }: { id: string }, ctx: IngestionContext) =>
      ctx.loaders.contact.load(contactKey(ctx.caller.workspaceId, id)),
  },
  Mutation: {
    trackInteractions: async (
      _: unknown,
      { interactions }: { interactions: InteractionInput[] },
      ctx: IngestionContext,
    ) => {
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
  },
  Contact: {
    __resolveReference: async (ref: ContactRef, ctx: IngestionContext) =>
      ctx.loaders.contact.load(contactKey(ctx.caller.workspaceId, ref.id)),
    id: (contact: ContactDoc) => contact.contactId,
  },
};
