import { DEFAULT_POLICY, evaluatePhase, policyProblems } from './phases';

const policy = { purchaseScore: 50, exitScore: 20, hysteresis: 5 };
const prospect = (phase: 'NURTURE' | 'PURCHASE') => ({ phase, half: 'PROSPECT' as const });
const customer = (phase: 'RETENTION' | 'EXIT') => ({ phase, half: 'CUSTOMER' as const });

describe('evaluatePhase', () => {
  it('moves a prospect to PURCHASE when the score reaches the threshold', () => {
    expect(evaluatePhase(prospect('NURTURE'), policy, { general: 49, kind: 'PAGE_VISIT' })).toBeNull();
    expect(evaluatePhase(prospect('NURTURE'), policy, { general: 50, kind: 'PAGE_VISIT' })).toEqual({
      from: 'NURTURE',
      to: 'PURCHASE',
      half: 'PROSPECT',
      reason: 'score 50 reached the purchase threshold 50',
    });
  });

  it('does not flap inside the hysteresis band', () => {
    expect(evaluatePhase(prospect('PURCHASE'), policy, { general: 46, kind: 'PAGE_VISIT' })).toBeNull();
    expect(evaluatePhase(prospect('PURCHASE'), policy, { general: 44.9, kind: 'PAGE_VISIT' })?.to).toBe('NURTURE');
    expect(evaluatePhase(customer('EXIT'), policy, { general: 24, kind: 'PAGE_VISIT' })).toBeNull();
    expect(evaluatePhase(customer('EXIT'), policy, { general: 25, kind: 'PAGE_VISIT' })?.to).toBe('RETENTION');
  });

  it('moves into the customer half on a first purchase or subscription, whatever the score', () => {
    expect(evaluatePhase(prospect('NURTURE'), policy, { general: 3, kind: 'PURCHASE' })).toMatchObject({
      to: 'RETENTION',
      half: 'CUSTOMER',
      reason: 'first purchase',
    });
    expect(evaluatePhase(prospect('PURCHASE'), policy, { general: 60, kind: 'SUBSCRIPTION_STARTED' })?.reason).toBe(
      'first subscription',
    );
  });

  it('moves a customer to EXIT when the score falls below the exit threshold, and back on a purchase', () => {
    expect(evaluatePhase(customer('RETENTION'), policy, { general: 19, kind: 'SOCIAL_DISLIKE' })?.to).toBe('EXIT');
    expect(evaluatePhase(customer('RETENTION'), policy, { general: 19, kind: 'PURCHASE' })).toBeNull();
    expect(evaluatePhase(customer('EXIT'), policy, { general: 0, kind: 'PURCHASE' })?.to).toBe('RETENTION');
  });
});

describe('policyProblems', () => {
  it('accepts the default and names the field of a bad one', () => {
    expect(policyProblems(DEFAULT_POLICY)).toEqual([]);
    expect(policyProblems({ purchaseScore: 10, exitScore: 5, hysteresis: -1 })).toEqual([
      { path: 'input.hysteresis', message: 'must be 0 or more' },
    ]);
  });
});
