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
  /**
   * Instructions of a MATCHES pattern's compiled RE2 program (re2js `programSize()`).
   * Patterns a rule needs stay well under it (a URL prefix ~27, an alternation of
   * campaign names ~46, an email shape ~13); counted repetitions are what blow it up.
   */
  patternProgramSize: 250,
  /**
   * Instructions of all MATCHES patterns of a workspace's enabled advanced rules together.
   * Matching is linear in the text AND in the program: 1,000 patterns of 235 instructions
   * cost ~275 ms per 8 KiB interaction (9 s the first time), this budget ~1/60 of that.
   */
  patternProgramBudget: 4_000,
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
