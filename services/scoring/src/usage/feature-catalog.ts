// The product's features as each workspace declared them: managed by admins, and read by the
// contact scorer for every batch from memory (cached until a change of the workspace's
// configuration is announced on NATS: see @cei/nats versionedConfig; every change announces
// itself after its write).
import { ERRORS, invalidFields, type FieldProblem } from '@cei/contracts';
import { appendNew, inWorkspace } from '@cei/mongo';
import { versionedConfig, type VersionedConfigOptions } from '@cei/nats';
import type { ProductFeatureDoc, ScoringModels } from '../models';
import { FEATURE_KEY_MAX, MAX_FEATURES, type FeatureCatalog, type ProductFeature } from '../domain/product-usage';

export interface ProductFeatureInput {
  key: string;
  name: string;
  highValue?: boolean | null;
}

export interface ProductFeaturePatch {
  name?: string | null;
  highValue?: boolean | null;
}

export interface FeatureBook {
  /** Each workspace's catalog as of now, for a batch of the scorer. */
  catalogs(workspaceIds: readonly string[]): Promise<(workspaceId: string) => FeatureCatalog>;
  /** Read from the database (resolvers: once per request). */
  catalog(workspaceId: string): Promise<FeatureCatalog>;
  list(workspaceId: string): Promise<ProductFeatureDoc[]>;
  create(workspaceId: string, input: ProductFeatureInput): Promise<ProductFeatureDoc>;
  update(workspaceId: string, key: string, patch: ProductFeaturePatch): Promise<ProductFeatureDoc>;
  remove(workspaceId: string, key: string): Promise<boolean>;
}

export const FEATURE_KEY_PATTERN = new RegExp(`^[A-Za-z0-9][A-Za-z0-9._:/-]{0,${FEATURE_KEY_MAX - 1}}$`);
const NAME_MAX = 200;

export type FeatureChanges = Pick<VersionedConfigOptions<FeatureCatalog>, 'nats' | 'topology' | 'log'>;

export function catalogOf(docs: readonly ProductFeatureDoc[]): FeatureCatalog {
  return new Map(docs.map((doc): [string, ProductFeature] => [doc.key, featureOf(doc)]));
}

const featureOf = ({ key, name, highValue }: ProductFeatureDoc): ProductFeature => ({ key, name, highValue });

export function createFeatureBook(models: ScoringModels, now: () => Date, changes: FeatureChanges): FeatureBook {
  const { ProductFeature } = models;
  const id = (workspaceId: string, key: string) => `${workspaceId}:${key}`;

  async function list(workspaceId: string): Promise<ProductFeatureDoc[]> {
    // A workspace declares at most MAX_FEATURES: read them all, order in code.
    const docs = await ProductFeature.find(inWorkspace<ProductFeatureDoc>(workspaceId))
      .lean<ProductFeatureDoc[]>()
      .exec();
    return docs.sort((a, b) => a.key.localeCompare(b.key));
  }
  const config = versionedConfig<FeatureCatalog>({
    ...changes,
    kind: 'product-features',
    load: async (workspaceId) => catalogOf(await list(workspaceId)),
  });

  async function existing(workspaceId: string, key: string): Promise<ProductFeatureDoc> {
    const doc = await ProductFeature.findById(id(workspaceId, key)).lean<ProductFeatureDoc>().exec();
    if (!doc) {
      const message = `no product feature '${key}' in this workspace`;
      throw ERRORS.NOT_FOUND.err(message, { fields: [{ path: 'key', message }] });
    }
    return doc;
  }

  return {
    catalogs: (workspaceIds) => config.forWorkspaces(workspaceIds),
    catalog: async (workspaceId) => catalogOf(await list(workspaceId)),
    list,

    async create(workspaceId, input) {
      const problems: FieldProblem[] = [];
      if (!FEATURE_KEY_PATTERN.test(input.key)) {
        problems.push({
          path: 'input.key',
          message: `1–${FEATURE_KEY_MAX} characters: letters, digits, and . _ - : / (not first); got '${input.key.slice(0, 40)}'`,
        });
      }
      problems.push(...nameProblems('input.name', input.name));
      if (problems.length > 0) throw invalidFields(problems);
      if ((await list(workspaceId)).length >= MAX_FEATURES) {
        throw invalidFields([{ path: 'input.key', message: `a workspace declares at most ${MAX_FEATURES} features` }]);
      }
      const at = now();
      const doc: ProductFeatureDoc = {
        _id: id(workspaceId, input.key),
        workspaceId,
        key: input.key,
        name: input.name.trim(),
        highValue: input.highValue ?? false,
        createdAt: at,
        updatedAt: at,
      };
      // The unique _id arbitrates two admins declaring the same key at once.
      const duplicates = await appendNew(ProductFeature, [doc]);
      if (duplicates.size > 0) {
        const message = `feature '${input.key}' is declared already; change it with updateProductFeature`;
        throw ERRORS.CONFLICT.err(message, { fields: [{ path: 'input.key', message }] });
      }
      await config.changed(workspaceId);
      return doc;
    },

    async update(workspaceId, key, patch) {
      if (patch.name != null) {
        const problems = nameProblems('input.name', patch.name);
        if (problems.length > 0) throw invalidFields(problems);
      }
      const current = await existing(workspaceId, key);
      const next: ProductFeatureDoc = {
        ...current,
        name: patch.name != null ? patch.name.trim() : current.name,
        highValue: patch.highValue ?? current.highValue,
        updatedAt: now(),
      };
      await ProductFeature.replaceOne({ _id: current._id }, next).exec();
      await config.changed(workspaceId);
      return next;
    },

    async remove(workspaceId, key) {
      const result = await ProductFeature.deleteOne({ _id: id(workspaceId, key) }).exec();
      if (result.deletedCount === 0) return false;
      await config.changed(workspaceId);
      return true;
    },
  };
}

function nameProblems(path: string, name: string): FieldProblem[] {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > NAME_MAX) return [{ path, message: `1–${NAME_MAX} characters` }];
  return [];
}
