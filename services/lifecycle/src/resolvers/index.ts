// Lifecycle's resolvers: policy, phase transitions and Contact's lifecycle fields
// (batched by DataLoader). Subscription.phaseChanged is served by the gateway from
// NATS; its payload is resolved through Query.phaseTransition.
import { contactKey } from '@cei/contracts';
import { DateTimeScalar, requireRole } from '@cei/subgraph';
import type { TransitionEntry } from '../models';
import { parseTransitionId, transitionId } from '../transition-id';
import type { LifecycleContext } from '../server';
import type { Resolvers } from '../__generated__/resolvers-types';

const toTransition = (contactId: string, entry: TransitionEntry) => ({
  id: transitionId(contactId, entry.n),
  from: entry.from,
  to: entry.to,
  at: entry.at,
  reason: entry.reason,
  score: entry.score,
  contact: { id: contactId },
});

const lifecycleOf = (ctx: LifecycleContext, contactId: string) =>
  ctx.loaders.lifecycle.load(contactKey(ctx.caller.workspaceId, contactId));

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query: {
    lifecyclePolicy: (_, __, ctx) => ctx.policies.get(ctx.caller.workspaceId),
    phaseTransition: async (_, { id }, ctx) => {
      const parsed = parseTransitionId(id);
      if (!parsed) return null;
      const doc = await lifecycleOf(ctx, parsed.contactId);
      const entry = doc?.transitions.find((t) => t.n === parsed.n);
      return entry ? toTransition(parsed.contactId, entry) : null;
    },
  },
  Mutation: {
    updateLifecyclePolicy: async (_, { input }, ctx) => {
      requireRole(ctx.caller, 'admin');
      const policy = await ctx.policies.update(ctx.caller.workspaceId, input);
      ctx.log.info({ policy: input }, 'lifecycle policy updated');
      return policy;
    },
  },
  Contact: {
    __resolveReference: (ref) => ({ id: ref.id }),
    phase: async (contact, _, ctx) => (await lifecycleOf(ctx, contact.id))?.phase ?? 'NURTURE',
    half: async (contact, _, ctx) => (await lifecycleOf(ctx, contact.id))?.half ?? 'PROSPECT',
    phaseHistory: async (contact, _, ctx) => {
      const doc = await lifecycleOf(ctx, contact.id);
      return (doc?.transitions ?? []).map((entry) => toTransition(contact.id, entry));
    },
  },
};
