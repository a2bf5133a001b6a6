import type { Phase } from '@cei/contracts';
import { evaluatePhase, type PhaseState } from './phases';
import { DEFAULT_POLICY, type LifecyclePolicy } from './policy';

const policy: LifecyclePolicy = {
  purchaseEnterScore: 50,
  purchaseLeaveScore: 45,
  exitEnterScore: 20,
  exitLeaveScore: 25,
  minDwellMinutes: 0,
  newCustomerGraceDays: 0,
};
const T0 = new Date('2026-03-01T12:00:00Z');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const DAY = 24 * 60;
const prospect = (phase: 'NURTURE' | 'PURCHASE', entered: PhaseState['entered'] = null): PhaseState => ({
  phase,
  half: 'PROSPECT',
  entered,
  customerEnteredAt: null,
});
const customer = (
  phase: 'RETENTION' | 'EXIT',
  entered: PhaseState['entered'] = null,
  customerEnteredAt: Date | null = null,
): PhaseState => ({ phase, half: 'CUSTOMER', entered, customerEnteredAt });
const from = (phase: Phase, at = T0) => ({ from: phase, at });

describe('evaluatePhase', () => {
  it('moves a prospect to PURCHASE when the score reaches the enter threshold', () => {
    expect(evaluatePhase(prospect('NURTURE'), policy, { general: 49, kind: 'PAGE_VISIT', at: T0 })).toBeNull();
    expect(evaluatePhase(prospect('NURTURE'), policy, { general: 50, kind: 'PAGE_VISIT', at: T0 })).toEqual({
      from: 'NURTURE',
      to: 'PURCHASE',
      half: 'PROSPECT',
      reason: 'score 50 reached the purchase threshold 50',
      rule: 'SCORE',
      startsGrace: false,
    });
  });

  it('moves back only past the leave thresholds, which may differ per boundary', () => {
    const wide = { ...policy, purchaseLeaveScore: 30, exitLeaveScore: 40 };
    expect(evaluatePhase(prospect('PURCHASE'), wide, { general: 30, kind: null, at: T0 })).toBeNull();
    expect(evaluatePhase(prospect('PURCHASE'), wide, { general: 29.9, kind: null, at: T0 })).toMatchObject({
      to: 'NURTURE',
      reason: 'score 29.9 fell below 30',
    });
    expect(evaluatePhase(customer('EXIT'), wide, { general: 39, kind: 'PAGE_VISIT', at: T0 })).toBeNull();
    expect(evaluatePhase(customer('EXIT'), wide, { general: 40, kind: 'PAGE_VISIT', at: T0 })).toMatchObject({
      to: 'RETENTION',
      reason: 'score 40 recovered to 40',
    });
  });

  it('moves a contact back where it came from only after the minimum dwell in its phase', () => {
    const dwell = { ...policy, minDwellMinutes: 60 };
    const cameFromNurture = prospect('PURCHASE', from('NURTURE'));
    expect(evaluatePhase(cameFromNurture, dwell, { general: 10, kind: null, at: later(59) })).toBeNull();
    expect(evaluatePhase(cameFromNurture, dwell, { general: 10, kind: null, at: later(60) })?.to).toBe('NURTURE');
    const cameFromPurchase = prospect('NURTURE', from('PURCHASE'));
    expect(evaluatePhase(cameFromPurchase, dwell, { general: 90, kind: null, at: later(59) })).toBeNull();
    expect(evaluatePhase(cameFromPurchase, dwell, { general: 90, kind: null, at: later(60) })?.to).toBe('PURCHASE');
    const cameFromRetention = customer('EXIT', from('RETENTION'));
    expect(evaluatePhase(cameFromRetention, dwell, { general: 90, kind: null, at: later(1) })).toBeNull();
    expect(evaluatePhase(cameFromRetention, dwell, { general: 90, kind: null, at: later(60) })?.to).toBe('RETENTION');
    const cameFromExit = customer('RETENTION', from('EXIT'));
    expect(evaluatePhase(cameFromExit, dwell, { general: 0, kind: null, at: later(1) })).toBeNull();
    expect(evaluatePhase(cameFromExit, dwell, { general: 0, kind: null, at: later(60) })?.to).toBe('EXIT');
  });

  it('lets a contact move on (not back) at once, and a purchase out of EXIT whatever the dwell', () => {
    const dwell = { ...policy, minDwellMinutes: 60 };
    // RETENTION came from PURCHASE: EXIT is not a way back
    const newCustomer = customer('RETENTION', from('PURCHASE'));
    expect(evaluatePhase(newCustomer, dwell, { general: 0, kind: null, at: later(1) })?.to).toBe('EXIT');
    const justLeft = customer('EXIT', from('RETENTION'));
    expect(evaluatePhase(justLeft, dwell, { general: 0, kind: 'PURCHASE', at: later(1) })).toMatchObject({
      to: 'RETENTION',
      reason: 'purchase while in EXIT',
      startsGrace: true,
    });
  });

  it('moves into the customer half on a first purchase or subscription, whatever the score, starting the grace', () => {
    expect(evaluatePhase(prospect('NURTURE'), policy, { general: 3, kind: 'PURCHASE', at: T0 })).toEqual({
      from: 'NURTURE',
      to: 'RETENTION',
      half: 'CUSTOMER',
      reason: 'first purchase',
      rule: 'CUSTOMER_KIND',
      startsGrace: true,
    });
    expect(
      evaluatePhase(prospect('PURCHASE'), policy, { general: 60, kind: 'SUBSCRIPTION_STARTED', at: T0 })?.reason,
    ).toBe('first subscription');
  });

  it('keeps a first purchase worth few points in RETENTION through the score changes after it, until the grace ends', () => {
    const grace = { ...policy, newCustomerGraceDays: 30 };
    // Given a prospect whose first purchase leaves the score (3) below the exit threshold (20)
    const purchase = evaluatePhase(prospect('NURTURE'), grace, { general: 3, kind: 'PURCHASE', at: T0 })!;
    expect(purchase).toMatchObject({ to: 'RETENTION', startsGrace: true });
    const newCustomer = customer('RETENTION', from(purchase.from), T0);
    // When the stage reset that follows it (no interaction, same score) is evaluated: no EXIT
    expect(evaluatePhase(newCustomer, grace, { general: 3, kind: null, at: later(0) })).toBeNull();
    // nor on a dislike or decay within the grace period
    expect(
      evaluatePhase(newCustomer, grace, { general: -10, kind: 'SOCIAL_DISLIKE', at: later(30 * DAY - 1) }),
    ).toBeNull();
    // Then, once the grace is over, a score below the threshold sends the customer to EXIT
    expect(evaluatePhase(newCustomer, grace, { general: 3, kind: null, at: later(30 * DAY) })).toMatchObject({
      from: 'RETENTION',
      to: 'EXIT',
      reason: 'score 3 fell below the exit threshold 20',
    });
  });

  it('has a grace period by default', () => {
    const newCustomer = customer('RETENTION', from('NURTURE'), T0);
    expect(DEFAULT_POLICY.newCustomerGraceDays).toBeGreaterThan(0);
    expect(evaluatePhase(newCustomer, DEFAULT_POLICY, { general: 0, kind: null, at: later(60) })).toBeNull();
  });

  it('moves a customer to EXIT below the exit threshold, never on a purchase, and back on a purchase', () => {
    expect(evaluatePhase(customer('RETENTION'), policy, { general: 19, kind: 'SOCIAL_DISLIKE', at: T0 })?.to).toBe(
      'EXIT',
    );
    expect(evaluatePhase(customer('RETENTION'), policy, { general: 19, kind: 'PURCHASE', at: T0 })).toBeNull();
    expect(evaluatePhase(customer('EXIT'), policy, { general: 0, kind: 'PURCHASE', at: T0 })?.to).toBe('RETENTION');
  });
});
