// The scoring rules of each workspace, for the consumer (read once per batch per
// workspace: the rules collection is small) and for the admin resolvers.
import { ceiError, KIND_VARIANTS, type InteractionKind } from '@cei/contracts';
import { appendNew, inWorkspace } from '@cei/mongo';
import type { ScoringModels, ScoringRuleDoc } from '../models';
import type { GeneralRule } from '../domain/scoring';

export interface RuleBook {
  forWorkspaces(workspaceIds: readonly string[]): Promise<(workspaceId: string) => GeneralRule[]>;
  list(workspaceId: string): Promise<ScoringRuleDoc[]>;
  create(
    workspaceId: string,
    input: { kind: InteractionKind; variant?: string | null; points: number; enabled?: boolean | null },
  ): Promise<ScoringRuleDoc>;
  update(
    workspaceId: string,
    ruleId: string,
    input: { points?: number | null; enabled?: boolean | null },
  ): Promise<ScoringRuleDoc>;
  remove(workspaceId: string, ruleId: string): Promise<boolean>;
}

export function createRuleBook(models: ScoringModels, now: () => Date = () => new Date()): RuleBook {
  const { ScoringRule } = models;
  const key = (workspaceId: string, ruleId: string) => `${workspaceId}:${ruleId}`;

  return {
    async forWorkspaces(workspaceIds) {
      const unique = [...new Set(workspaceIds)];
      const lists = await Promise.all(unique.map((ws) => ScoringRule.find(inWorkspace(ws)).lean().exec()));
      const byWorkspace = new Map(unique.map((ws, i) => [ws, lists[i]!]));
      return (workspaceId) => byWorkspace.get(workspaceId) ?? [];
    },

    list: (workspaceId) => ScoringRule.find(inWorkspace(workspaceId)).sort({ kind: 1, variant: 1 }).lean().exec(),

    async create(workspaceId, input) {
      const variant = input.variant ?? null;
      const allowed = KIND_VARIANTS[input.kind];
      if (variant !== null && !allowed?.includes(variant)) {
        throw ceiError(
          'BAD_USER_INPUT',
          allowed
            ? `input.variant: '${variant}' is not a variant of ${input.kind}; expected one of ${allowed.join(', ')}`
            : `input.variant: ${input.kind} has no variants; leave variant out`,
          { field: 'input.variant' },
        );
      }
      checkPoints(input.points);
      const ruleId = `${input.kind}:${variant ?? '*'}`;
      const at = now();
      const doc: ScoringRuleDoc = {
        _id: key(workspaceId, ruleId),
        workspaceId,
        ruleId,
        kind: input.kind,
        variant,
        points: input.points,
        enabled: input.enabled ?? true,
        createdAt: at,
        updatedAt: at,
      };
      // The id is deterministic, so the unique _id arbitrates concurrent creates.
      const duplicates = await appendNew(ScoringRule, [doc]);
      if (duplicates.size > 0) {
        throw ceiError(
          'BAD_USER_INPUT',
          `a rule for ${ruleId} exists already; use updateScoringRule(id: "${ruleId}")`,
          {
            field: 'input.kind',
          },
        );
      }
      return doc;
    },

    async update(workspaceId, ruleId, input) {
      const existing = await ScoringRule.findById(key(workspaceId, ruleId)).lean().exec();
      if (!existing) throw ceiError('NOT_FOUND', `no scoring rule '${ruleId}' in this workspace`, { field: 'id' });
      if (input.points != null) checkPoints(input.points);
      const next: ScoringRuleDoc = {
        ...existing,
        points: input.points ?? existing.points,
        enabled: input.enabled ?? existing.enabled,
        updatedAt: now(),
      };
      await ScoringRule.replaceOne({ _id: existing._id }, next).exec();
      return next;
    },

    async remove(workspaceId, ruleId) {
      const result = await ScoringRule.deleteOne({ _id: key(workspaceId, ruleId) }).exec();
      return result.deletedCount === 1;
    },
  };
}

function checkPoints(points: number): void {
  if (!Number.isFinite(points) || Math.abs(points) > 1_000_000) {
    throw ceiError('BAD_USER_INPUT', 'input.points: must be a finite number between -1000000 and 1000000', {
      field: 'input.points',
    });
  }
}
