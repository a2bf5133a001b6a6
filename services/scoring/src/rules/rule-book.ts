// The scoring rules and settings of each workspace: read by the consumer for every batch
// (cached until a change of the workspace's configuration is announced on NATS: see @cei/nats
// versionedConfig; every change below announces itself after its write) and managed by
// admins, with every change written to the audit log (who, when, before, after).
import { ERRORS, invalidFields, type InteractionKind } from '@cei/contracts';
import { appendNew, inWorkspace } from '@cei/mongo';
import { workspaceConfig, type ConfigChanges } from '@cei/nats';
import { nanoid } from 'nanoid';
import type { AuditAction, RuleAuditDoc, ScoringModels, ScoringRuleDoc, ScoringSettingsDoc } from '../models';
import type { ScoringRule } from '../domain/rules';
import type { ScoringPolicy } from '../domain/score-state';
import { validateRule, type ScoringRuleInput } from './validate-rule';
import { workspaceLimitProblem } from './workspace-limits';
import { isSentimentLanguage, SENTIMENT_LANGUAGES, type SentimentLanguage } from '../sentiment/analyser';

export type RulePatch = Omit<ScoringRuleInput, 'type' | 'variant'>;

export interface AuditPage {
  entries: RuleAuditDoc[];
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface RuleBook {
  policies(workspaceIds: readonly string[]): Promise<(workspaceId: string) => ScoringPolicy>;
  list(workspaceId: string): Promise<ScoringRuleDoc[]>;
  create(workspaceId: string, input: ScoringRuleInput, actor: string): Promise<ScoringRuleDoc>;
  update(workspaceId: string, ruleId: string, patch: RulePatch, actor: string): Promise<ScoringRuleDoc>;
  remove(workspaceId: string, ruleId: string, actor: string): Promise<boolean>;
  audit(
    workspaceId: string,
    opts: { ruleId?: string | null; first: number; after?: string | null },
  ): Promise<AuditPage>;
  settings(workspaceId: string): Promise<ScoringSettingsDoc>;
  updateSettings(
    workspaceId: string,
    input: { halfLifeDays: number | null; sentimentLanguage?: string | null },
  ): Promise<ScoringSettingsDoc>;
}

/** The rule as the engine and the audit log see it (no storage fields). */
export function ruleOf(doc: ScoringRuleDoc): ScoringRule {
  const { _id, workspaceId, revision, createdAt, updatedAt, ...rule } = doc;
  void [_id, workspaceId, revision, createdAt, updatedAt];
  return rule;
}

/** The input that would create this rule: the base an update's patch applies to. */
function inputOf(rule: ScoringRule): ScoringRuleInput {
  return {
    type: rule.type,
    name: rule.name,
    kind: rule.kind,
    variant: rule.variant,
    points: rule.type === 'GENERAL' ? rule.effect.general : null,
    when: rule.condition,
    effect: rule.type === 'ADVANCED' ? rule.effect : null,
    cap: rule.cap,
    validFrom: rule.validFrom,
    validUntil: rule.validUntil,
    enabled: rule.enabled,
    priority: rule.priority,
    exclusive: rule.type === 'ADVANCED' ? rule.exclusive : null,
  };
}

/** Where rule changes are announced, so that every instance's cache of the policies follows them. */
export type RuleChanges = ConfigChanges;

export function createRuleBook(
  models: ScoringModels,
  now: () => Date = () => new Date(),
  changes?: RuleChanges,
): RuleBook {
  const { ScoringRule, RuleAudit, ScoringSettings } = models;
  const key = (workspaceId: string, ruleId: string) => `${workspaceId}:${ruleId}`;

  /**
   * The audit entry is inserted first under an id made of the rule's incarnation and
   * new revision: of two admins editing the same revision at once, exactly one
   * insert wins (unique _id), and the loser is told to retry.
   */
  async function audit(
    doc: ScoringRuleDoc,
    action: AuditAction,
    actor: string,
    before: ScoringRule | null,
    after: ScoringRule | null,
  ): Promise<void> {
    const entry: RuleAuditDoc = {
      _id: `${doc.workspaceId}:${doc.ruleId}:${doc.createdAt.getTime()}:${doc.revision}`,
      workspaceId: doc.workspaceId,
      ruleId: doc.ruleId,
      revision: doc.revision,
      action,
      actor,
      at: doc.updatedAt,
      before,
      after,
    };
    const duplicates = await appendNew(RuleAudit, [entry]);
    if (duplicates.size > 0) {
      throw ERRORS.CONFLICT.err(`rule '${doc.ruleId}' was changed by someone else meanwhile; read it again and retry`);
    }
  }

  async function existing(workspaceId: string, ruleId: string): Promise<ScoringRuleDoc> {
    const doc = await ScoringRule.findById(key(workspaceId, ruleId)).lean<ScoringRuleDoc>().exec();
    if (!doc) {
      const message = `no scoring rule '${ruleId}' in this workspace`;
      throw ERRORS.NOT_FOUND.err(message, { fields: [{ path: 'id', message }] });
    }
    return doc;
  }

  async function settings(workspaceId: string): Promise<ScoringSettingsDoc> {
    const doc = await ScoringSettings.findById(workspaceId).lean<ScoringSettingsDoc>().exec();
    return doc ?? { _id: workspaceId, workspaceId, halfLifeDays: null, updatedAt: new Date(0) };
  }

  async function loadPolicy(workspaceId: string): Promise<ScoringPolicy> {
    const [rules, setting] = await Promise.all([
      ScoringRule.find(inWorkspace(workspaceId)).lean<ScoringRuleDoc[]>().exec(),
      settings(workspaceId),
    ]);
    return {
      rules: rules.map(ruleOf),
      halfLifeDays: setting.halfLifeDays,
      sentimentLanguage: setting.sentimentLanguage ?? null,
    };
  }
  const config = workspaceConfig({ changes, kind: 'scoring', load: loadPolicy });
  /** After every change is written: the next batch of every instance reads the policy again. */
  const changed = (workspaceId: string) => config.changed(workspaceId);

  return {
    policies: (workspaceIds) => config.forWorkspaces(workspaceIds),

    async list(workspaceId) {
      const docs = await ScoringRule.find(inWorkspace(workspaceId)).lean<ScoringRuleDoc[]>().exec();
      // Sorted in code: general rules by kind and variant, then advanced rules by priority.
      return docs.sort(
        (a, b) =>
          a.type.localeCompare(b.type) ||
          b.priority - a.priority ||
          (a.kind ?? '').localeCompare(b.kind ?? '') ||
          (a.variant ?? '').localeCompare(b.variant ?? '') ||
          a.ruleId.localeCompare(b.ruleId),
      );
    },

    async create(workspaceId, input, actor) {
      const rule = validateRule(input);
      const overLimit = await workspaceLimitProblem(ScoringRule, workspaceId, rule, null);
      if (overLimit) throw invalidFields([overLimit]);
      const ruleId =
        rule.type === 'GENERAL' ? `${rule.kind as InteractionKind}:${rule.variant ?? '*'}` : `adv-${nanoid(10)}`;
      const at = now();
      const doc: ScoringRuleDoc = {
        ...rule,
        ruleId,
        _id: key(workspaceId, ruleId),
        workspaceId,
        revision: 1,
        createdAt: at,
        updatedAt: at,
      };
      // General rule ids are deterministic, so the unique _id arbitrates concurrent creates.
      const duplicates = await appendNew(ScoringRule, [doc]);
      if (duplicates.size > 0) {
        throw invalidFields([
          {
            path: 'input.kind',
            message: `a rule for ${ruleId} exists already; use updateScoringRule(id: "${ruleId}")`,
          },
        ]);
      }
      await audit(doc, 'CREATED', actor, null, ruleOf(doc));
      await changed(workspaceId);
      return doc;
    },

    async update(workspaceId, ruleId, patch, actor) {
      const current = await existing(workspaceId, ruleId);
      const before = ruleOf(current);
      const merged: ScoringRuleInput = { ...inputOf(before) };
      for (const [field, value] of Object.entries(patch)) {
        if (value !== undefined) (merged as Record<string, unknown>)[field] = value;
      }
      if (before.type === 'GENERAL' && patch.kind != null && patch.kind !== before.kind) {
        throw invalidFields([
          { path: 'input.kind', message: 'a GENERAL rule is the rule of its kind; create another rule instead' },
        ]);
      }
      const rule = validateRule(merged);
      const overLimit = await workspaceLimitProblem(ScoringRule, workspaceId, rule, before);
      if (overLimit) throw invalidFields([overLimit]);
      const next: ScoringRuleDoc = { ...current, ...rule, revision: current.revision + 1, updatedAt: now() };
      const onlyEnabled = Object.keys(patch).every((f) => f === 'enabled' || patch[f as keyof RulePatch] === undefined);
      const action: AuditAction =
        onlyEnabled && before.enabled !== next.enabled ? (next.enabled ? 'ENABLED' : 'DISABLED') : 'UPDATED';
      await audit(next, action, actor, before, ruleOf(next));
      await ScoringRule.replaceOne({ _id: current._id }, next).exec();
      await changed(workspaceId);
      return next;
    },

    async remove(workspaceId, ruleId, actor) {
      const current = await ScoringRule.findById(key(workspaceId, ruleId)).lean<ScoringRuleDoc>().exec();
      if (!current) return false;
      const gone = { ...current, revision: current.revision + 1, updatedAt: now() };
      await audit(gone, 'DELETED', actor, ruleOf(current), null);
      const result = await ScoringRule.deleteOne({ _id: current._id }).exec();
      await changed(workspaceId);
      return result.deletedCount === 1;
    },

    async audit(workspaceId, { ruleId, first, after }) {
      // The audit log of a workspace is small and read by admins: read it, order it in code.
      const filter = ruleId
        ? inWorkspace<RuleAuditDoc>(workspaceId, { ruleId })
        : inWorkspace<RuleAuditDoc>(workspaceId);
      const all = (await RuleAudit.find(filter).lean<RuleAuditDoc[]>().exec()).sort(
        (a, b) => b.at.getTime() - a.at.getTime() || b._id.localeCompare(a._id),
      );
      const start = after ? all.findIndex((e) => e._id === decodeCursor(after)) + 1 : 0;
      if (after && start === 0) throw invalidFields([{ path: 'after', message: 'not a cursor of this audit log' }]);
      const entries = all.slice(start, start + first);
      return {
        entries,
        endCursor: entries.length > 0 ? encodeCursor(entries[entries.length - 1]!._id) : null,
        hasNextPage: start + first < all.length,
      };
    },

    settings,

    async updateSettings(workspaceId, { halfLifeDays, sentimentLanguage }) {
      const problems = [];
      if (halfLifeDays !== null && !(Number.isFinite(halfLifeDays) && halfLifeDays >= 0.01 && halfLifeDays <= 3650)) {
        problems.push({ path: 'input.halfLifeDays', message: 'between 0.01 and 3650 days, or null for no decay' });
      }
      if (sentimentLanguage !== undefined && sentimentLanguage !== null && !isSentimentLanguage(sentimentLanguage)) {
        problems.push({
          path: 'input.sentimentLanguage',
          message: `one of ${SENTIMENT_LANGUAGES.join(', ')}, or null to detect the language`,
        });
      }
      if (problems.length > 0) throw invalidFields(problems);
      // Left out, the language stays as it was (the setting came after halfLifeDays, whose absence means none).
      const language =
        sentimentLanguage === undefined ? ((await settings(workspaceId)).sentimentLanguage ?? null) : sentimentLanguage;
      const doc: ScoringSettingsDoc = {
        _id: workspaceId,
        workspaceId,
        halfLifeDays,
        sentimentLanguage: language as SentimentLanguage | null,
        updatedAt: now(),
      };
      await ScoringSettings.replaceOne({ _id: workspaceId }, doc, { upsert: true }).exec();
      await changed(workspaceId);
      return doc;
    },
  };
}

const encodeCursor = (id: string) => Buffer.from(id).toString('base64url');
const decodeCursor = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8');
