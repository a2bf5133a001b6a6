// A workspace's lifecycle policy: an enter and a leave threshold per boundary, the
// minimum dwell before a contact may move back, and a new customer's grace before
// EXIT. What an admin sends (`LifecyclePolicyInput`) is read here: the four
// thresholds, or the older shorthand (purchaseScore, exitScore, hysteresis) mapped
// onto them; every problem is named by its field.
import type { FieldProblem } from '@cei/contracts';
import { RULE_FIELDS, ruleProblems, rulesOf, type PolicyRules } from './policy-rules';

/** The thresholds, dwell and grace, and the optional rules (policy-rules.ts). */
export interface LifecyclePolicy extends PolicyRules {
  /** NURTURE → PURCHASE when the general score reaches this. */
  purchaseEnterScore: number;
  /** PURCHASE → NURTURE when the score falls below this (≤ purchaseEnterScore). */
  purchaseLeaveScore: number;
  /** RETENTION → EXIT when the score falls below this. */
  exitEnterScore: number;
  /** EXIT → RETENTION when the score reaches this (≥ exitEnterScore). */
  exitLeaveScore: number;
  /** Minutes in a phase before a score change may move the contact back to the phase it came from. */
  minDwellMinutes: number;
  /** Days after a purchase or subscription moved a contact into RETENTION before EXIT can apply. */
  newCustomerGraceDays: number;
}

export const DEFAULT_POLICY: LifecyclePolicy = {
  purchaseEnterScore: 50,
  purchaseLeaveScore: 45,
  exitEnterScore: 20,
  exitLeaveScore: 25,
  minDwellMinutes: 0,
  newCustomerGraceDays: 30,
};

const THRESHOLDS = ['purchaseEnterScore', 'purchaseLeaveScore', 'exitEnterScore', 'exitLeaveScore'] as const;
const SHORTHAND = ['purchaseScore', 'exitScore', 'hysteresis'] as const;
const MAX_DWELL_MINUTES = 366 * 24 * 60;
const MAX_GRACE_DAYS = 3660;

/** What `updateLifecyclePolicy` takes: every field optional (GraphQL nulls count as left out). */
export type LifecyclePolicyInput = {
  [
    K in
      | (typeof THRESHOLDS)[number]
      | (typeof SHORTHAND)[number]
      | (typeof RULE_FIELDS)[number]
      | 'minDwellMinutes'
      | 'newCustomerGraceDays'
  ]?: number | null;
};

/** The shorthand's reading of a policy: purchaseEnterScore, exitEnterScore and the purchase band. */
export function shorthandOf(policy: LifecyclePolicy) {
  return {
    purchaseScore: policy.purchaseEnterScore,
    exitScore: policy.exitEnterScore,
    hysteresis: policy.purchaseEnterScore - policy.purchaseLeaveScore,
  };
}

/**
 * The whole policy an input sets (fields left out take their defaults), or the problems with it.
 * The thresholds come as all four, or as all three of the shorthand: purchaseScore enters
 * PURCHASE and purchaseScore − hysteresis leaves it; exitScore enters EXIT and
 * exitScore + hysteresis leaves it.
 */
export function policyFromInput(
  input: LifecyclePolicyInput,
): { policy: LifecyclePolicy; problems: [] } | { policy: null; problems: FieldProblem[] } {
  const given = (field: keyof LifecyclePolicyInput) => input[field] !== undefined && input[field] !== null;
  const value = (field: keyof LifecyclePolicyInput) => input[field] as number;
  const problems: FieldProblem[] = [];
  const shorthand = SHORTHAND.filter(given);
  const thresholds = THRESHOLDS.filter(given);
  if (shorthand.length > 0 && thresholds.length > 0) {
    for (const field of thresholds) {
      problems.push({
        path: `input.${field}`,
        message: `give the thresholds one way: this field, or ${shorthand.join(', ')} (not both)`,
      });
    }
    return { policy: null, problems };
  }
  const missing = (group: readonly string[], present: readonly string[], what: string) => {
    for (const field of group.filter((f) => !present.includes(f))) {
      problems.push({ path: `input.${field}`, message: `required with ${what}` });
    }
  };
  if (shorthand.length > 0) missing(SHORTHAND, shorthand, 'purchaseScore, exitScore and hysteresis (all three)');
  if (thresholds.length > 0) missing(THRESHOLDS, thresholds, 'the other thresholds (all four)');
  for (const field of [...shorthand, ...thresholds, ...(['minDwellMinutes', 'newCustomerGraceDays'] as const)]) {
    if (given(field) && !Number.isFinite(value(field))) {
      problems.push({ path: `input.${field}`, message: 'must be a finite number' });
    }
  }
  if (problems.length > 0) return { policy: null, problems };

  let policy: LifecyclePolicy = { ...DEFAULT_POLICY };
  if (shorthand.length > 0) {
    const [purchaseScore, exitScore, hysteresis] = SHORTHAND.map(value) as [number, number, number];
    if (hysteresis < 0) problems.push({ path: 'input.hysteresis', message: 'must be 0 or more' });
    else if (purchaseScore - hysteresis < 0) {
      problems.push({
        path: 'input.hysteresis',
        message: 'purchaseScore − hysteresis must not be negative (contacts could never fall back)',
      });
    }
    if (problems.length > 0) return { policy: null, problems };
    policy = {
      ...policy,
      purchaseEnterScore: purchaseScore,
      purchaseLeaveScore: purchaseScore - hysteresis,
      exitEnterScore: exitScore,
      exitLeaveScore: exitScore + hysteresis,
    };
  }
  for (const field of thresholds) policy[field] = value(field);
  if (given('minDwellMinutes')) policy.minDwellMinutes = value('minDwellMinutes');
  if (given('newCustomerGraceDays')) policy.newCustomerGraceDays = value('newCustomerGraceDays');
  policy = { ...policy, ...rulesOf(input) };
  const invalid = policyProblems(policy);
  return invalid.length > 0 ? { policy: null, problems: invalid } : { policy, problems: [] };
}

/** Problems with a whole policy, each naming its input field; empty when valid. */
export function policyProblems(policy: LifecyclePolicy): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const problem = (field: keyof LifecyclePolicy, message: string) => problems.push({ path: `input.${field}`, message });
  for (const field of Object.keys(DEFAULT_POLICY) as (keyof LifecyclePolicy)[]) {
    if (!Number.isFinite(policy[field])) problem(field, 'must be a finite number');
  }
  if (problems.length > 0) return [...problems, ...ruleProblems(policy)];
  // A leave threshold on the wrong side of its enter threshold would move a contact back and
  // forth on every score change between the two.
  if (policy.purchaseLeaveScore > policy.purchaseEnterScore) {
    problem(
      'purchaseLeaveScore',
      `must not be above purchaseEnterScore (${policy.purchaseLeaveScore} > ${policy.purchaseEnterScore})`,
    );
  }
  if (policy.exitLeaveScore < policy.exitEnterScore) {
    problem('exitLeaveScore', `must not be below exitEnterScore (${policy.exitLeaveScore} < ${policy.exitEnterScore})`);
  }
  if (policy.minDwellMinutes < 0 || policy.minDwellMinutes > MAX_DWELL_MINUTES) {
    problem('minDwellMinutes', `must be between 0 and ${MAX_DWELL_MINUTES} (a year)`);
  }
  if (policy.newCustomerGraceDays < 0 || policy.newCustomerGraceDays > MAX_GRACE_DAYS) {
    problem('newCustomerGraceDays', `must be between 0 and ${MAX_GRACE_DAYS}`);
  }
  return [...problems, ...ruleProblems(policy)];
}
