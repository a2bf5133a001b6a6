// The per-workspace limits of RULE_LIMITS, checked when a rule is created or changed:
// how many rules each batch loads, and how many advanced rules each interaction is
// evaluated against. Two admins saving at the same moment can pass one over; the
// engine then evaluates the enabled advanced rules of highest priority only.
import type { Model } from 'mongoose';
import { inWorkspace } from '@cei/mongo';
import { RULE_LIMITS } from '../domain/rule-limits';
import type { ScoringRule } from '../domain/rules';
import type { ScoringRuleDoc } from '../models';
import type { ValidRule } from './validate-rule';

/** What saving the rule would break, as the field to change and why; null when it fits. */
export async function workspaceLimitProblem(
  rules: Model<ScoringRuleDoc>,
  workspaceId: string,
  rule: ValidRule,
  before: ScoringRule | null,
): Promise<{ path: string; message: string } | null> {
  const enabledAdvanced = (r: Pick<ScoringRule, 'type' | 'enabled'>) => r.type === 'ADVANCED' && r.enabled;
  const becomesEvaluated = enabledAdvanced(rule) && !(before && enabledAdvanced(before));
  if (before !== null && !becomesEvaluated) return null;
  const stored = await rules
    .find(inWorkspace<ScoringRuleDoc>(workspaceId))
    .select({ ruleId: 1, type: 1, enabled: 1 })
    .lean<Pick<ScoringRuleDoc, 'ruleId' | 'type' | 'enabled'>[]>()
    .exec();
  if (before === null && stored.length >= RULE_LIMITS.rules) {
    return { path: 'input', message: `a workspace keeps at most ${RULE_LIMITS.rules} rules; delete one first` };
  }
  if (becomesEvaluated && stored.filter(enabledAdvanced).length >= RULE_LIMITS.enabledAdvancedRules) {
    return {
      path: 'input.enabled',
      message:
        `a workspace has at most ${RULE_LIMITS.enabledAdvancedRules} enabled advanced rules ` +
        '(each interaction is evaluated against all of them); disable or delete one first, or save this one disabled',
    };
  }
  return null;
}
