// Dead letters, for operators: read and count what a consumer gave up on, and replay it
// once fixed. The letters live in NATS (packages/nats/src/dead-letters.ts), shared by
// every service's consumers; ingestion serves them. Admin keys only.
import { ERRORS, invalidFields } from '@cei/contracts';
import { isConsumerName, type DeadLetter } from '@cei/nats';
import { requireRole } from '@cei/subgraph';
import type { IngestionContext } from '../server';
import type {
  DeadLetter as DeadLetterResult,
  MutationResolvers,
  QueryResolvers,
} from '../__generated__/resolvers-types';

const MAX_PAGE = 100;
/** Letters one replayDeadLetters call replays (the rest: call again). */
const REPLAY_BATCH = 500;

const actorOf = (ctx: IngestionContext) => ctx.caller.actor ?? `${ctx.caller.role}-key`;

function checkConsumer(consumer: string | null | undefined, path = 'consumer'): string | undefined {
  if (consumer === null || consumer === undefined) return undefined;
  if (!isConsumerName(consumer)) {
    throw invalidFields([{ path, message: 'a consumer name: letters, digits, - and _ (e.g. scoring)' }]);
  }
  return consumer;
}

/** A letter's id, or a cursor (the id of the last letter of a page): a positive whole number. */
function letterId(value: string, path: string): number {
  const id = /^\d{1,15}$/.test(value) ? Number(value) : NaN;
  if (!(id >= 1)) throw invalidFields([{ path, message: 'not a dead letter id (a positive whole number)' }]);
  return id;
}

function toResult(letter: DeadLetter): DeadLetterResult {
  return {
    id: String(letter.id),
    consumer: letter.consumer,
    error: letter.error,
    deliveries: letter.deliveries,
    failedAt: letter.failedAt,
    stream: letter.stream,
    subject: letter.subject,
    sequence: letter.seq,
    member: letter.member,
    payload: Buffer.from(letter.payload).toString('utf8'),
    headers: letter.headers,
    replayedAt: letter.replay?.at ?? null,
    replayedBy: letter.replay?.actor ?? null,
  };
}

export const deadLetterQueries: Pick<QueryResolvers, 'deadLetters' | 'deadLetterCounts'> = {
  deadLetters: async (_, { consumer, first, after }, ctx) => {
    requireRole(ctx.caller, 'admin');
    const size = first ?? 20;
    if (!(size >= 1 && size <= MAX_PAGE)) {
      throw invalidFields([{ path: 'first', message: `between 1 and ${MAX_PAGE}` }]);
    }
    const page = await ctx.deadLetters.page(ctx.caller.workspaceId, {
      consumer: checkConsumer(consumer),
      first: size,
      after: after ? letterId(after, 'after') : undefined,
    });
    return {
      entries: page.letters.map(toResult),
      totalCount: page.totalCount,
      pendingCount: page.pendingCount,
      endCursor: page.letters.length > 0 ? String(page.letters[page.letters.length - 1]!.id) : null,
      hasNextPage: page.hasNextPage,
    };
  },
  deadLetterCounts: async (_, __, ctx) => {
    requireRole(ctx.caller, 'admin');
    return ctx.deadLetters.counts(ctx.caller.workspaceId);
  },
};

export const deadLetterMutations: Pick<MutationResolvers, 'replayDeadLetter' | 'replayDeadLetters'> = {
  replayDeadLetter: async (_, { id }, ctx) => {
    requireRole(ctx.caller, 'admin');
    const letter = await ctx.deadLetters.replay(ctx.caller.workspaceId, letterId(id, 'id'), actorOf(ctx));
    if (!letter) throw ERRORS.NOT_FOUND.err(`no dead letter ${id} in this workspace`);
    ctx.log.info({ deadLetter: letter.id, consumer: letter.consumer, seq: letter.seq }, 'dead letter replayed');
    return toResult(letter);
  },
  replayDeadLetters: async (_, { consumer }, ctx) => {
    requireRole(ctx.caller, 'admin');
    const name = checkConsumer(consumer)!;
    const result = await ctx.deadLetters.replayAll(ctx.caller.workspaceId, name, actorOf(ctx), REPLAY_BATCH);
    ctx.log.info({ consumer: name, ...result }, 'dead letters replayed');
    return result;
  },
};
