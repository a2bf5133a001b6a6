// Recompute jobs: start one (admin), follow its progress, read a dry run's answers.
import { invalidFields } from '@cei/contracts';
import { requireRole } from '@cei/subgraph';
import type { RecomputeJob } from '../jobs/recompute-jobs';
import type { ScoringRuleInput } from '../rules/validate-rule';
import type { ScoringContext } from '../server';

export const jobQueries = {
  recomputeJob: (_: unknown, { id }: { id: string }, ctx: ScoringContext) => {
    requireRole(ctx.caller, 'admin');
    return ctx.jobs.get(ctx.caller.workspaceId, id);
  },
};

export const jobMutations = {
  recomputeScores: async (
    _: unknown,
    { input }: { input: { dryRun?: boolean | null; rules?: ScoringRuleInput[] | null } },
    ctx: ScoringContext,
  ) => {
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

export const jobTypes = {
  RecomputeJob: {
    id: (job: RecomputeJob) => job.jobId,
    progress: (job: RecomputeJob) =>
      job.total === null ? null : job.total === 0 ? 1 : Math.min(job.done / job.total, 1),
    largestChanges: (job: RecomputeJob) => job.largest,
    previews: (job: RecomputeJob, { contactIds }: { contactIds: string[] }, ctx: ScoringContext) => {
      if (contactIds.length > 100) throw invalidFields([{ path: 'contactIds', message: 'at most 100' }]);
      return ctx.jobs.previews(ctx.caller.workspaceId, job.jobId, contactIds);
    },
  },
};
