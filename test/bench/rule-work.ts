// The work one interaction can cause at the rule limits, measured on the pure rule engine:
// the most expensive rule set a workspace can hold (100 enabled advanced rules × 10
// predicates) against an 8 KiB property. Prints one JSON object. `pnpm bench:rules`.
import { grantsFor, type Predicate, type RuleInteraction, type ScoringRule } from '@cei/scoring/src/domain/rules';
import { RULE_LIMITS } from '@cei/scoring/src/domain/rule-limits';

const KiB8 = 8 * 1024;

function ruleSet(field: Predicate['field'], operator: Predicate['operator'], value: (i: number, j: number) => string) {
  return Array.from({ length: RULE_LIMITS.enabledAdvancedRules }, (_, i): ScoringRule => ({
    ruleId: `r${i}`,
    type: 'ADVANCED',
    name: null,
    kind: null,
    variant: null,
    enabled: true,
    priority: 0,
    exclusive: false,
    cap: null,
    validFrom: null,
    validUntil: null,
    effect: { general: 1, stage: 0, tags: [] },
    condition: {
      match: 'ANY',
      predicates: Array.from({ length: RULE_LIMITS.predicatesPerRule }, (_, j) => ({
        field,
        operator,
        value: value(i, j),
        amount: null,
        property: null,
      })),
    },
  }));
}

function measure(rules: ScoringRule[], interaction: RuleInteraction) {
  let at = performance.now();
  grantsFor(rules, interaction, {});
  const firstMs = performance.now() - at;
  const runs = 20;
  at = performance.now();
  for (let i = 0; i < runs; i++) grantsFor(rules, interaction, {});
  return { firstMs: Math.round(firstMs), msPerInteraction: +((performance.now() - at) / runs).toFixed(2) };
}

const visit: RuleInteraction = {
  interactionId: 'i',
  kind: 'PAGE_VISIT',
  variant: null,
  occurredAt: new Date().toISOString(),
  properties: { url: ('x' + 'a'.repeat(100) + '\ny').repeat(82).slice(0, KiB8) },
};
const basket: RuleInteraction = {
  ...visit,
  kind: 'PURCHASE',
  properties: { items: Array.from({ length: 2000 }, (_, i) => String(i % 10)) },
};

// Patterns of 235 instructions each, just under the per-pattern bound: the workspace
// budget, not the number of rules, is what bounds them.
const heavy = (i: number, j: number) => `.{0,75}x.{75}y|r${i}x${j}`;
const contains = (i: number, j: number) => `needle-${i}-${j}`.padEnd(RULE_LIMITS.valueLength, 'q');

console.log(
  JSON.stringify(
    {
      limits: RULE_LIMITS,
      url8KiB: {
        matches: measure(ruleSet('URL', 'MATCHES', heavy), visit),
        contains: measure(ruleSet('URL', 'CONTAINS', contains), visit),
      },
      basket2000Items: {
        matches: measure(ruleSet('ITEM_ID', 'MATCHES', heavy), basket),
        contains: measure(ruleSet('ITEM_ID', 'CONTAINS', contains), basket),
      },
    },
    null,
    2,
  ),
);
