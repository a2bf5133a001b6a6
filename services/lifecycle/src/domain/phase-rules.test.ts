// The policy's optional rules (stage score, likelihoods, cancellation, return to the
// prospects) and when a rule of time comes due (nextPhaseCheck).
import type { Phase } from '@cei/contracts';
import { evaluatePhase, nextPhaseCheck, type PhaseRule, type PhaseState } from './phases';
import { DEFAULT_POLICY, type LifecyclePolicy } from './policy';

const policy: LifecyclePolicy = { ...DEFAULT_POLICY, newCustomerGraceDays: 0 };
const T0 = new Date('2026-03-01T12:00:00Z');
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const later = (ms: number) => new Date(T0.getTime() + ms);
const state = (phase: Phase, entered: PhaseState['entered'] = null, extra: Partial<PhaseState> = {}): PhaseState => ({
  phase,
  half: phase === 'NURTURE' || phase === 'PURCHASE' ? 'PROSPECT' : 'CUSTOMER',
  entered,
  customerEnteredAt: null,
  ...extra,
});
const from = (phase: Phase, rule?: PhaseRule, at = T0) => ({ from: phase, at, ...(rule ? { rule } : {}) });
const likely = (churn: number, purchase = 0) => ({ churn, purchase });

describe('the stage-score and purchase-likelihood rules', () => {
  it('move a NURTURE contact on to PURCHASE when its stage score or purchase likelihood reaches the policy', () => {
    const rules = { ...policy, stageEnterPurchaseScore: 30, purchaseEnterLikelihood: 0.6 };
    const nurture = state('NURTURE');
    expect(evaluatePhase(nurture, rules, { general: 10, stage: 29, kind: 'PAGE_VISIT', at: T0 })).toBeNull();
    expect(evaluatePhase(nurture, rules, { general: 10, stage: 30, kind: 'PAGE_VISIT', at: T0 })).toMatchObject({
      to: 'PURCHASE',
      rule: 'STAGE_SCORE',
      reason: 'stage score 30 reached 30',
    });
    expect(
      evaluatePhase(nurture, rules, { general: 10, stage: 0, likelihoods: likely(0.1, 0.6), kind: null, at: T0 }),
    ).toMatchObject({ to: 'PURCHASE', rule: 'PURCHASE_LIKELIHOOD', reason: 'purchase likelihood 0.6 reached 0.6' });
    // Off by default: the same figures move nothing
    expect(
      evaluatePhase(nurture, policy, { general: 10, stage: 99, likelihoods: likely(0, 1), kind: null, at: T0 }),
    ).toBeNull();
  });

  it('keeps a contact they moved on in PURCHASE although its general score is below the leave threshold', () => {
    const rules = { ...policy, stageEnterPurchaseScore: 30 };
    // The stage score restarts in PURCHASE (0): a score-based fall back would bounce it at once
    const byStage = state('PURCHASE', from('NURTURE', 'STAGE_SCORE'));
    expect(evaluatePhase(byStage, rules, { general: 10, stage: 0, kind: null, at: later(DAY) })).toBeNull();
    const byScore = state('PURCHASE', from('NURTURE', 'SCORE'));
    expect(evaluatePhase(byScore, rules, { general: 10, stage: 0, kind: null, at: T0 })?.to).toBe('NURTURE');
  });
});

describe('the churn-likelihood rule', () => {
  const churnRule = { ...policy, churnExitLikelihood: 0.7 };
  it('sends a customer in RETENTION to EXIT when churn reaches the policy, whatever the score', () => {
    const retention = state('RETENTION', from('NURTURE', 'CUSTOMER_KIND'));
    expect(evaluatePhase(retention, churnRule, { general: 80, likelihoods: likely(0.69), kind: null, at: T0 })).toBe(
      null,
    );
    expect(
      evaluatePhase(retention, churnRule, { general: 80, likelihoods: likely(0.7), kind: null, at: T0 }),
    ).toMatchObject({ to: 'EXIT', rule: 'CHURN_LIKELIHOOD', reason: 'churn likelihood 0.7 reached 0.7' });
  });

  it('respects the new customer grace and the minimum dwell', () => {
    const graced = { ...churnRule, newCustomerGraceDays: 30 };
    const newCustomer = state('RETENTION', from('NURTURE', 'CUSTOMER_KIND'), { customerEnteredAt: T0 });
    const signal = { general: 80, likelihoods: likely(0.9), kind: null };
    expect(evaluatePhase(newCustomer, graced, { ...signal, at: later(30 * DAY - 1) })).toBeNull();
    expect(evaluatePhase(newCustomer, graced, { ...signal, at: later(30 * DAY) })?.rule).toBe('CHURN_LIKELIHOOD');
    const dwell = { ...churnRule, minDwellMinutes: 60 };
    const cameBack = state('RETENTION', from('EXIT', 'SCORE'));
    expect(evaluatePhase(cameBack, dwell, { ...signal, at: later(59 * MIN) })).toBeNull();
    expect(evaluatePhase(cameBack, dwell, { ...signal, at: later(60 * MIN) })?.to).toBe('EXIT');
  });

  it('holds a customer in EXIT while churn stays high, whatever the score', () => {
    const exited = state('EXIT', from('RETENTION', 'CHURN_LIKELIHOOD'));
    expect(evaluatePhase(exited, churnRule, { general: 90, likelihoods: likely(0.8), kind: null, at: T0 })).toBeNull();
    expect(evaluatePhase(exited, churnRule, { general: 90, likelihoods: likely(0.2), kind: null, at: T0 })?.to).toBe(
      'RETENTION',
    );
  });
});

describe('what ends the customer half', () => {
  const cancelRule = { ...policy, newCustomerGraceDays: 30, cancelledExitDays: 14 };
  it('sends a customer whose cancellation was followed by no interaction to EXIT once the window is over, grace or not', () => {
    const cancelled = state('RETENTION', from('NURTURE', 'CUSTOMER_KIND'), { customerEnteredAt: T0, cancelledAt: T0 });
    expect(evaluatePhase(cancelled, cancelRule, { general: 80, kind: null, at: later(14 * DAY - 1) })).toBeNull();
    expect(evaluatePhase(cancelled, cancelRule, { general: 80, kind: null, at: later(14 * DAY) })).toMatchObject({
      to: 'EXIT',
      rule: 'CANCELLED',
      reason: 'subscription cancelled with no interaction for 14 days',
    });
    // An interaction after it ends the rule (the owner clears cancelledAt)
    const active = { ...cancelled, cancelledAt: null };
    expect(evaluatePhase(active, cancelRule, { general: 80, kind: null, at: later(20 * DAY) })).toBeNull();
  });

  it('returns a customer returnToProspectAfterDays in EXIT to NURTURE, a prospect again', () => {
    const rules = { ...policy, returnToProspectAfterDays: 90 };
    const exited = state('EXIT', from('RETENTION', 'SCORE'));
    expect(evaluatePhase(exited, rules, { general: 0, kind: null, at: later(90 * DAY - 1) })).toBeNull();
    expect(evaluatePhase(exited, rules, { general: 0, kind: null, at: later(90 * DAY) })).toMatchObject({
      to: 'NURTURE',
      half: 'PROSPECT',
      rule: 'RETURN_TO_PROSPECT',
      reason: '90 days in EXIT: a prospect again',
    });
    expect(evaluatePhase(exited, policy, { general: 0, kind: null, at: later(900 * DAY) })).toBeNull();
  });
});

describe('nextPhaseCheck', () => {
  it("is the end of a new customer's grace when its score is already below the exit threshold", () => {
    const graced = { ...policy, newCustomerGraceDays: 30 };
    const newCustomer = state('RETENTION', from('NURTURE', 'CUSTOMER_KIND'), { customerEnteredAt: T0 });
    expect(nextPhaseCheck(newCustomer, graced, { general: 3 }, T0)).toEqual(later(30 * DAY));
    // A score above it: nothing is due (a later score change is evaluated when it comes)
    expect(nextPhaseCheck(newCustomer, graced, { general: 60 }, T0)).toBeNull();
  });

  it('is the end of the dwell when a move back is pending, and nothing when none is', () => {
    const dwell = { ...policy, minDwellMinutes: 60 };
    const purchase = state('PURCHASE', from('NURTURE', 'SCORE'));
    expect(nextPhaseCheck(purchase, dwell, { general: 10 }, later(10 * MIN))).toEqual(later(60 * MIN));
    expect(nextPhaseCheck(purchase, dwell, { general: 60 }, later(10 * MIN))).toBeNull();
  });

  it('is the end of a cancellation window, then the return to the prospects, whichever comes first', () => {
    const rules = { ...policy, cancelledExitDays: 14, returnToProspectAfterDays: 90 };
    const cancelled = state('RETENTION', from('NURTURE', 'CUSTOMER_KIND'), { cancelledAt: T0 });
    expect(nextPhaseCheck(cancelled, rules, { general: 80 }, T0)).toEqual(later(14 * DAY));
    const exited = state('EXIT', from('RETENTION', 'CANCELLED', later(14 * DAY)));
    expect(nextPhaseCheck(exited, rules, { general: 80 }, later(14 * DAY))).toEqual(later(104 * DAY));
  });
});
