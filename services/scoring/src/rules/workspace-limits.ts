// The per-workspace limits of RULE_LIMITS, checked when a rule is created or changed:
// how many rules each batch loads, how many advanced rules each interaction is
// evaluated against, and how large their patterns are together. Two admins saving at the same moment can pass one over; the
// engine then evaluates the enabled advanced rules of highest priority only.
import type { Model } from 'mongoose';
import { inWorkspace } from '@cei/mongo';
import { RULE_LIMITS } from '../domain/rule-limits';
import { rulePatternProgramSize } from '../domain/patterns';
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
  const patterns = enabledAdvanced(rule) ? rulePatternProgramSize(rule) : 0;
  const morePatterns = patterns > (before && enabledAdvanced(before) ? rulePatternProgramSize(before) : 0);
  if (before !== null && !becomesEvaluated && !morePatterns) return null;
  const stored = await rules
    .find(inWorkspace<ScoringRuleDoc>(workspaceId))
    .select({ ruleId: 1, type: 1, enabled: 1, condition: 1 })
    .lean<Pick<ScoringRuleDoc, 'ruleId' | 'type' | 'enabled' | 'condition'>[]>()
    .exec();
  if (before === null && stored.length >= RULE_LIMITS.rules) {
    return { path: 'input', message: `a workspace keeps at most ${RULE_LIMITS.rules} rules; delete one first` };
  }
  const others = stored.filter((r) => enabledAdvanced(r) && r.ruleId !== before?.ruleId);
  if (becomesEvaluated && others.length >= RULE_LIMITS.enabledAdvancedRules) {
    return {
      path: 'input.enabled',
      message:
        `a workspace has at most ${RULE_LIMITS.enabledAdvancedRules} enabled advanced rules ` +
        '(each interaction is evaluated against all of them); disable or delete one first, or save this one disabled',
    };
  }
  const used = others.reduce((sum, r) => sum + rulePatternProgramSize(r), 0);
  if (morePatterns && used + patterns > RULE_LIMITS.patternProgramBudget) {
    return {
      path: 'input.when.predicates',
      message:
        `the MATCHES patterns of a workspace's enabled rules compile to at most ${RULE_LIMITS.patternProgramBudget} ` +
        `instructions together (each interaction runs them all); this rule's take ${patterns} and the others' ${used}: ` +
        'simplify a pattern, use CONTAINS or EQUALS, or disable a rule first',
    };
  }
  return null;
}
