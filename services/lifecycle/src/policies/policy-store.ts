// Each workspace's lifecycle policy: one document by _id, the default until an
// admin sets one. Read once per consumer batch, so a change applies at once.
import { invalidFields } from '@cei/contracts';
import type { LifecycleModels, LifecyclePolicyDoc } from '../models';
import { DEFAULT_POLICY, policyProblems, type LifecyclePolicy } from '../domain/phases';

export interface PolicyStore {
  get(workspaceId: string): Promise<LifecyclePolicy & { updatedAt: Date | null }>;
  forWorkspaces(workspaceIds: readonly string[]): Promise<(workspaceId: string) => LifecyclePolicy>;
  update(workspaceId: string, input: LifecyclePolicy): Promise<LifecyclePolicyDoc>;
}

export function createPolicyStore(models: LifecycleModels, now: () => Date = () => new Date()): PolicyStore {
  const { LifecyclePolicy } = models;
  const get = async (workspaceId: string) => {
    const doc = await LifecyclePolicy.findById(workspaceId).lean().exec();
    return doc ?? { ...DEFAULT_POLICY, updatedAt: null };
  };
  return {
    get,
    async forWorkspaces(workspaceIds) {
      const unique = [...new Set(workspaceIds)];
      const policies = await Promise.all(unique.map(get));
      const byWorkspace = new Map(unique.map((ws, i) => [ws, policies[i]!]));
      return (workspaceId) => byWorkspace.get(workspaceId) ?? DEFAULT_POLICY;
    },
    async update(workspaceId, input) {
      const problems = policyProblems(input);
      if (problems.length > 0) throw invalidFields(problems);
      const doc: LifecyclePolicyDoc = {
        _id: workspaceId,
        purchaseScore: input.purchaseScore,
        exitScore: input.exitScore,
        hysteresis: input.hysteresis,
        updatedAt: now(),
      };
      // Admin edits are rare and whole: last writer wins, nothing is accumulated.
      await LifecyclePolicy.replaceOne({ _id: workspaceId }, doc, { upsert: true }).exec();
      return doc;
    },
  };
}
