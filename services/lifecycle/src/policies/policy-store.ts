// Each workspace's lifecycle policy: one document by _id, the default until an
// admin sets one. Applied to every consumer batch as it stands then: cached until a change
// of the workspace's configuration is announced on NATS (@cei/nats versionedConfig), which
// every update does after its write, so a change applies at once on every instance.
import { invalidFields } from '@cei/contracts';
import { workspaceConfig, type ConfigChanges } from '@cei/nats';
import { policyOfDoc, type LifecycleModels } from '../models';
import { DEFAULT_POLICY, policyFromInput, type LifecyclePolicy, type LifecyclePolicyInput } from '../domain/policy';

export type StoredPolicy = LifecyclePolicy & { updatedAt: Date | null; reevaluationJobId: string | null };

export interface PolicyStore {
  get(workspaceId: string): Promise<StoredPolicy>;
  forWorkspaces(workspaceIds: readonly string[]): Promise<(workspaceId: string) => LifecyclePolicy>;
  /**
   * Replaces the workspace's policy with the one the input sets, recording the job that will
   * re-evaluate its contacts under it; throws BAD_USER_INPUT naming each field (nothing written).
   */
  update(workspaceId: string, input: LifecyclePolicyInput, reevaluationJobId: string): Promise<StoredPolicy>;
}

/** Where policy changes are announced, so that every instance's cache follows them. */
export type PolicyChanges = ConfigChanges;

export function createPolicyStore(
  models: LifecycleModels,
  now: () => Date = () => new Date(),
  changes?: PolicyChanges,
): PolicyStore {
  const { LifecyclePolicy } = models;
  const get = async (workspaceId: string): Promise<StoredPolicy> => {
    const doc = await LifecyclePolicy.findById(workspaceId).lean().exec();
    return doc
      ? { ...policyOfDoc(doc), updatedAt: doc.updatedAt, reevaluationJobId: doc.reevaluationJobId ?? null }
      : { ...DEFAULT_POLICY, updatedAt: null, reevaluationJobId: null };
  };
  const config = workspaceConfig<LifecyclePolicy>({ changes, kind: 'lifecycle', load: get });
  return {
    get,
    forWorkspaces: (workspaceIds) => config.forWorkspaces(workspaceIds),
    async update(workspaceId, input, reevaluationJobId) {
      const { policy, problems } = policyFromInput(input);
      if (!policy) throw invalidFields(problems);
      const doc = { _id: workspaceId, ...policy, reevaluationJobId, updatedAt: now() };
      // Admin edits are rare and whole: last writer wins, nothing is accumulated.
      await LifecyclePolicy.replaceOne({ _id: workspaceId }, doc, { upsert: true }).exec();
      await config.changed(workspaceId);
      return { ...policy, updatedAt: doc.updatedAt, reevaluationJobId };
    },
  };
}
