// Rules for the unit tests of the pure scoring modules: a complete ScoringRule with
// only what a test cares about overridden.
import type { ScoringRule } from './rules';

export const rule = (overrides: Partial<ScoringRule> = {}): ScoringRule => ({
  ruleId: 'rule',
  type: 'ADVANCED',
  name: null,
  kind: null,
  variant: null,
  condition: null,
  effect: { general: 0, stage: 0, tags: [] },
  cap: null,
  validFrom: null,
  validUntil: null,
  enabled: true,
  priority: 0,
  exclusive: false,
  ...overrides,
});
