// Each workspace's health policy (thresholds and weights of the health measures): changed by
// admins, read from memory by every health read (cached until a change of the workspace's
// configuration is announced on NATS: see @cei/nats versionedConfig; every change announces
// itself after its write). A workspace that never set one has the defaults (version 0).
import { invalidFields } from '@cei/contracts';
import { workspaceConfig, type ConfigChanges } from '@cei/nats';
import type { HealthPolicyDoc, ScoringModels } from '../models';
import {
  applyHealthPolicy,
  DEFAULT_HEALTH_POLICY,
  HEALTH_MEASURES,
  type HealthPolicy,
  type HealthPolicyInput,
} from '../domain/health';

export interface StoredHealthPolicy {
  measures: HealthPolicy;
  version: number;
  updatedAt: Date | null;
}

export interface HealthPolicies {
  /** The workspace's policy as of now (from memory until a change is announced). */
  current(workspaceId: string): Promise<StoredHealthPolicy>;
  /** Applies the input (left out: unchanged); every bad field is named, and nothing is written then. */
  update(workspaceId: string, input: HealthPolicyInput): Promise<StoredHealthPolicy>;
}

export function createHealthPolicies(models: ScoringModels, now: () => Date, changes?: ConfigChanges): HealthPolicies {
  const { HealthPolicy } = models;

  async function load(workspaceId: string): Promise<StoredHealthPolicy> {
    const doc = await HealthPolicy.findById(workspaceId).lean<HealthPolicyDoc>().exec();
    if (!doc) return { measures: DEFAULT_HEALTH_POLICY, version: 0, updatedAt: null };
    // A measure added after the policy was written starts from its default.
    const measures = Object.fromEntries(
      HEALTH_MEASURES.map((name) => [name, doc.measures[name] ?? DEFAULT_HEALTH_POLICY[name]]),
    ) as HealthPolicy;
    return { measures, version: doc.version, updatedAt: doc.updatedAt };
  }
  const config = workspaceConfig<StoredHealthPolicy>({ changes, kind: 'health', load });

  return {
    async current(workspaceId) {
      return (await config.forWorkspaces([workspaceId]))(workspaceId);
    },
    async update(workspaceId, input) {
      const stored = await load(workspaceId);
      const { policy, problems } = applyHealthPolicy(stored.measures, input);
      if (problems.length > 0) throw invalidFields(problems);
      const doc: HealthPolicyDoc = {
        _id: workspaceId,
        workspaceId,
        measures: policy,
        version: stored.version + 1,
        updatedAt: now(),
      };
      await HealthPolicy.replaceOne({ _id: workspaceId }, doc, { upsert: true }).exec();
      await config.changed(workspaceId);
      return { measures: doc.measures, version: doc.version, updatedAt: doc.updatedAt };
    },
  };
}
