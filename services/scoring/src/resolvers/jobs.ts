// Recompute jobs: start one (admin), follow its progress, read a dry run's answers.
import { invalidFields } from '@cei/contracts';
import { requireRole } from '@cei/subgraph';
import type { MutationResolvers, QueryResolvers, Resolvers } from '../__generated__/resolvers-types';

export const jobQueries: QueryResolvers = {
  recomputeJob: (_, { id }, ctx) => {
    requireRole(ctx.caller, 'admin');
    return ctx.jobs.get(ctx.caller.workspaceId, id);
  },
};

export const jobMutations: MutationResolvers = {
  recomputeScores: async (_, { input }, ctx) => {
    requireRole(ctx.caller, 'admin');
    const job = await ctx.jobs.start(
      ctx.caller.workspaceId,
      { dryRun: input.dryRun ?? false, rules: input.rules ?? null },
      ctx.caller.actor ?? `${ctx.caller.role}-key`,
    );
    ctx.log.info({ jobId: job.jobId, dryRun: job.dryRun }, 'recompute job started');
    return job;
  },
};

export const jobTypes: Pick<Resolvers, 'RecomputeJob'> = {
  RecomputeJob: {
    id: (job) => job.jobId,
    progress: (job) => (job.total === null ? null : job.total === 0 ? 1 : Math.min(job.done / job.total, 1)),
    largestChanges: (job) => job.largest,
    previews: (job, { contactIds }, ctx) => {
      if (contactIds.length > 100) throw invalidFields([{ path: 'contactIds', message: 'at most 100' }]);
      return ctx.jobs.previews(ctx.caller.workspaceId, job.jobId, contactIds);
    },
  },
};
