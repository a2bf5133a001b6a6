// How much work a workspace's rules may make for one interaction. Validation refuses a
// rule beyond these limits, naming the field; the engine skips a stored rule beyond
// them (one saved before a limit existed), so the bound holds whatever is stored.
import type { ScoringRule } from './rules';

export const RULE_LIMITS = {
  /** Enabled advanced rules per workspace: each interaction is evaluated against all of them. */
  enabledAdvancedRules: 100,
  /** Rules per workspace, enabled or not: each batch loads them all. */
  rules: 500,
  predicatesPerRule: 10,
  tagsPerRule: 10,
  /** Items of a basket (`properties.items`) an ITEM_ID predicate compares, first ones first. */
  itemsCompared: 100,
  /** Characters of a MATCHES pattern. */
  patternLength: 200,
  /** Characters of an EQUALS or CONTAINS value. */
  valueLength: 1000,
  /** Characters of a PROPERTY predicate's dotted path. */
  propertyLength: 200,
  nameLength: 120,
  /** Points of any one effect, either sign. */
  points: 1_000_000,
  /** Priority of an advanced rule, either sign. */
  priority: 1000,
} as const;

/** Whether a stored rule is within the limits that bound the work of one interaction. */
export function withinLimits(rule: ScoringRule): boolean {
  const predicates = rule.condition?.predicates ?? [];
  return (
    predicates.length <= RULE_LIMITS.predicatesPerRule &&
    rule.effect.tags.length <= RULE_LIMITS.tagsPerRule &&
    predicates.every(
      (p) =>
        (p.value ?? '').length <= (p.operator === 'MATCHES' ? RULE_LIMITS.patternLength : RULE_LIMITS.valueLength) &&
        (p.property ?? '').length <= RULE_LIMITS.propertyLength,
    )
  );
}
