// The optional rules of a lifecycle policy, beyond the thresholds of the general score:
// the stage score and the likelihoods that move a contact on, and what ends the customer
// half (a cancelled subscription left silent, a long stay in EXIT). Each is off unless set;
// every problem is named by its input field.
import type { FieldProblem } from '@cei/contracts';

export interface PolicyRules {
  /** NURTURE → PURCHASE when the stage score (points earned since the contact entered its phase) reaches this. */
  stageEnterPurchaseScore?: number;
  /** NURTURE → PURCHASE when the purchase likelihood (0–1) reaches this. */
  purchaseEnterLikelihood?: number;
  /** RETENTION → EXIT when the churn likelihood (0–1) reaches this (after the grace and the dwell). */
  churnExitLikelihood?: number;
  /** RETENTION → EXIT this many days after a SUBSCRIPTION_CANCELLED with no interaction since. */
  cancelledExitDays?: number;
  /** EXIT → NURTURE (a prospect again) after this many days in EXIT. */
  returnToProspectAfterDays?: number;
}

export const RULE_FIELDS = [
  'stageEnterPurchaseScore',
  'purchaseEnterLikelihood',
  'churnExitLikelihood',
  'cancelledExitDays',
  'returnToProspectAfterDays',
] as const satisfies readonly (keyof PolicyRules)[];

const MAX_DAYS = 3660;

/** What each rule field accepts, in words (the message of a problem) and as a test. */
const RANGES: Record<keyof PolicyRules, { message: string; accepts: (n: number) => boolean }> = {
  stageEnterPurchaseScore: { message: 'must be above 0', accepts: (n) => n > 0 },
  purchaseEnterLikelihood: { message: 'a likelihood: above 0, at most 1', accepts: (n) => n > 0 && n <= 1 },
  churnExitLikelihood: { message: 'a likelihood: above 0, at most 1', accepts: (n) => n > 0 && n <= 1 },
  cancelledExitDays: { message: `between 0 and ${MAX_DAYS}`, accepts: (n) => n >= 0 && n <= MAX_DAYS },
  returnToProspectAfterDays: { message: `above 0, at most ${MAX_DAYS}`, accepts: (n) => n > 0 && n <= MAX_DAYS },
};

/** Problems with the rules a policy sets, each naming its input field; empty when valid. */
export function ruleProblems(rules: PolicyRules): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const field of RULE_FIELDS) {
    const value = rules[field];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      problems.push({ path: `input.${field}`, message: 'must be a finite number' });
    } else if (!RANGES[field].accepts(value)) {
      problems.push({ path: `input.${field}`, message: RANGES[field].message });
    }
  }
  return problems;
}

/** The rules an input or a stored document sets: numbers only (null or absent: the rule is off). */
export function rulesOf(source: Partial<Record<keyof PolicyRules, unknown>>): PolicyRules {
  const rules: PolicyRules = {};
  for (const field of RULE_FIELDS) {
    const value = source[field];
    if (typeof value === 'number') rules[field] = value;
  }
  return rules;
}
