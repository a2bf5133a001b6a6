// Lifecycle's resolvers: policy, phase transitions and Contact's lifecycle fields
// (batched by DataLoader). Subscription.phaseChanged is served by the gateway from
// NATS; its payload is resolved through Query.phaseTransition.
import { contactKey, invalidFields } from '@cei/contracts';
import { DateTimeScalar, requireRole } from '@cei/subgraph';
import { phaseSince, type ContactLifecycleDoc, type TransitionEntry } from '../models';
import { bucketId, bucketOf, MAX_PAGE, noDurations, pageNumbers, timeInPhases } from '../domain/history';
import { shorthandOf } from '../domain/policy';
import { parseTransitionId, transitionId } from '../transition-id';
import type { LifecycleContext } from '../server';
import { listQueries } from './lists';
import type { Resolvers } from '../__generated__/resolvers-types';
import { salesResolvers } from './sales';
import { trendBucketFields } from './trends';

const toTransition = (contactId: string, entry: TransitionEntry) => ({
  id: transitionId(contactId, entry.n),
  from: entry.from,
  to: entry.to,
  at: entry.at,
  reason: entry.reason,
  score: entry.score,
  cause: entry.cause ?? null,
  interactionId: entry.interactionId ?? null,
  contact: { id: contactId },
});

/** The contact's document, complete (the loader decodes it: lifecycleDoc). */
const lifecycleOf = (ctx: LifecycleContext, contactId: string) =>
  ctx.loaders.lifecycle.load(contactKey(ctx.caller.workspaceId, contactId));

/** The transitions numbered `numbers`, in that order: from the document, or from their buckets by _id. */
async function transitionsOf(ctx: LifecycleContext, doc: ContactLifecycleDoc, numbers: number[]) {
  const byNumber = new Map(doc.transitions.map((t) => [t.n, t]));
  const buckets = [...new Set(numbers.filter((n) => n <= doc.archivedThrough).map(bucketOf))];
  for (const bucket of await Promise.all(buckets.map((b) => ctx.loaders.buckets.load(bucketId(doc._id, b))))) {
    for (const t of bucket?.transitions ?? []) byNumber.set(t.n, t);
  }
  // A document written before buckets existed kept only its last 100: older numbers may be missing.
  return numbers.flatMap((n) => byNumber.get(n) ?? []);
}

const lifecycleResolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query: {
    lifecyclePolicy: (_, __, ctx) => ctx.policies.get(ctx.caller.workspaceId),
    lifecyclePolicyJob: (_, { id }, ctx) => ctx.policyJobs.get(ctx.caller.workspaceId, id),
    phaseTransition: async (_, { id }, ctx) => {
      const parsed = parseTransitionId(id);
      if (!parsed) return null;
      const doc = await lifecycleOf(ctx, parsed.contactId);
      if (!doc || parsed.n > doc.transitionCount) return null;
      const [entry] = await transitionsOf(ctx, doc, [parsed.n]);
      return entry ? toTransition(parsed.contactId, entry) : null;
    },
    ...listQueries,
  },
  Mutation: {
    updateLifecyclePolicy: async (_, { input }, ctx) => {
      requireRole(ctx.caller, 'admin');
      const { workspaceId } = ctx.caller;
      // The policy records its job first: the job starts only once the policy is stored (valid).
      const jobId = ctx.policyJobs.newJobId();
      const policy = await ctx.policies.update(workspaceId, input, jobId);
      await ctx.policyJobs.start(workspaceId, jobId, ctx.caller.actor ?? `${ctx.caller.role}-key`);
      ctx.log.info({ policy, jobId }, 'lifecycle policy updated; its contacts are evaluated again');
      return policy;
    },
  },
  LifecyclePolicy: {
    purchaseScore: (policy) => shorthandOf(policy).purchaseScore,
    exitScore: (policy) => shorthandOf(policy).exitScore,
    hysteresis: (policy) => shorthandOf(policy).hysteresis,
    reevaluation: (policy, _, ctx) =>
      policy.reevaluationJobId ? ctx.policyJobs.get(ctx.caller.workspaceId, policy.reevaluationJobId) : null,
  },
  LifecyclePolicyJob: {
    id: (job) => job.jobId,
  },
  Contact: {
    __resolveReference: (ref) => ({ id: ref.id }),
    phase: async (contact, _, ctx) => (await lifecycleOf(ctx, contact.id))?.phase ?? 'NURTURE',
    half: async (contact, _, ctx) => (await lifecycleOf(ctx, contact.id))?.half ?? 'PROSPECT',
    phaseHistory: async (contact, { first, after }, ctx) => {
      const size = first ?? 100;
      if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) {
        throw invalidFields([{ path: 'first', message: `between 1 and ${MAX_PAGE}` }]);
      }
      let before: number | null = null;
      if (after !== null && after !== undefined) {
        const cursor = parseTransitionId(after);
        if (cursor?.contactId !== contact.id) {
          throw invalidFields([{ path: 'after', message: `not the id of a transition of contact ${contact.id}` }]);
        }
        before = cursor.n;
      }
      const doc = await lifecycleOf(ctx, contact.id);
      if (!doc) return [];
      const entries = await transitionsOf(ctx, doc, pageNumbers(doc.transitionCount, before, size));
      return entries.map((entry) => toTransition(contact.id, entry));
    },
    timeInPhases: async (contact, _, ctx) => {
      const doc = await lifecycleOf(ctx, contact.id);
      // A contact lifecycle has not seen yet has spent no time anywhere.
      if (!doc) return timeInPhases(noDurations(), 'NURTURE', ctx.now(), ctx.now());
      return timeInPhases(doc.msInPhases, doc.phase, phaseSince(doc), ctx.now());
    },
  },
};

/** Phases and policy (above), qualification and owners (./sales), trend buckets' phases (./trends). */
export const resolvers: Resolvers = {
  ...lifecycleResolvers,
  ...salesResolvers,
  Query: { ...lifecycleResolvers.Query, ...salesResolvers.Query },
  Mutation: { ...lifecycleResolvers.Mutation, ...salesResolvers.Mutation },
  Contact: { ...lifecycleResolvers.Contact, ...salesResolvers.Contact },
  TrendBucket: trendBucketFields,
};
