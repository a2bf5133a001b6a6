import { DEFAULT_POLICY, policyFromInput, policyProblems, shorthandOf } from './policy';

describe('policyFromInput', () => {
  it('maps the shorthand onto the four thresholds, keeping the defaults of dwell and grace', () => {
    expect(policyFromInput({ purchaseScore: 5, exitScore: 1, hysteresis: 1 })).toEqual({
      policy: {
        purchaseEnterScore: 5,
        purchaseLeaveScore: 4,
        exitEnterScore: 1,
        exitLeaveScore: 2,
        minDwellMinutes: DEFAULT_POLICY.minDwellMinutes,
        newCustomerGraceDays: DEFAULT_POLICY.newCustomerGraceDays,
      },
      problems: [],
    });
    expect(shorthandOf(policyFromInput({ purchaseScore: 12, exitScore: 5, hysteresis: 2 }).policy!)).toEqual({
      purchaseScore: 12,
      exitScore: 5,
      hysteresis: 2,
    });
  });

  it('takes the four thresholds, dwell and grace; null or left out is the default', () => {
    const input = {
      purchaseEnterScore: 40,
      purchaseLeaveScore: 20,
      exitEnterScore: 10,
      exitLeaveScore: 30,
      minDwellMinutes: 90,
      newCustomerGraceDays: null,
    };
    expect(policyFromInput(input).policy).toEqual({ ...input, newCustomerGraceDays: 30 });
    expect(policyFromInput({}).policy).toEqual(DEFAULT_POLICY);
  });

  it('names every wrong field', () => {
    expect(policyFromInput({ purchaseScore: 10, exitScore: 5, hysteresis: -1 }).problems).toEqual([
      { path: 'input.hysteresis', message: 'must be 0 or more' },
    ]);
    expect(policyFromInput({ purchaseScore: 10, hysteresis: 1, exitEnterScore: 3 }).problems).toEqual([
      {
        path: 'input.exitEnterScore',
        message: 'give the thresholds one way: this field, or purchaseScore, hysteresis (not both)',
      },
    ]);
    expect(policyFromInput({ purchaseScore: 10 }).problems).toEqual([
      { path: 'input.exitScore', message: 'required with purchaseScore, exitScore and hysteresis (all three)' },
      { path: 'input.hysteresis', message: 'required with purchaseScore, exitScore and hysteresis (all three)' },
    ]);
    expect(policyFromInput({ purchaseEnterScore: 10, exitLeaveScore: 3 }).problems.map((p) => p.path)).toEqual([
      'input.purchaseLeaveScore',
      'input.exitEnterScore',
    ]);
    expect(
      policyFromInput({
        purchaseEnterScore: 10,
        purchaseLeaveScore: 11,
        exitEnterScore: 5,
        exitLeaveScore: 4,
        minDwellMinutes: -1,
        newCustomerGraceDays: 5000,
      }).problems,
    ).toEqual([
      { path: 'input.purchaseLeaveScore', message: 'must not be above purchaseEnterScore (11 > 10)' },
      { path: 'input.exitLeaveScore', message: 'must not be below exitEnterScore (4 < 5)' },
      { path: 'input.minDwellMinutes', message: 'must be between 0 and 527040 (a year)' },
      { path: 'input.newCustomerGraceDays', message: 'must be between 0 and 3660' },
    ]);
    expect(policyFromInput({ minDwellMinutes: Number.NaN }).problems).toEqual([
      { path: 'input.minDwellMinutes', message: 'must be a finite number' },
    ]);
  });

  it('accepts the default', () => {
    expect(policyProblems(DEFAULT_POLICY)).toEqual([]);
  });
});

describe('the optional rules of a policy', () => {
  it('are off unless set, and kept as given', () => {
    expect(policyFromInput({ churnExitLikelihood: null }).policy).toEqual(DEFAULT_POLICY);
    const rules = {
      stageEnterPurchaseScore: 30,
      purchaseEnterLikelihood: 0.8,
      churnExitLikelihood: 0.7,
      cancelledExitDays: 14,
      returnToProspectAfterDays: 180,
    };
    expect(policyFromInput(rules).policy).toEqual({ ...DEFAULT_POLICY, ...rules });
  });

  it('names every wrong field, with the thresholds problems', () => {
    expect(
      policyFromInput({
        purchaseEnterScore: 10,
        purchaseLeaveScore: 20,
        exitEnterScore: 1,
        exitLeaveScore: 2,
        stageEnterPurchaseScore: 0,
        purchaseEnterLikelihood: 1.5,
        churnExitLikelihood: -0.1,
        cancelledExitDays: -1,
        returnToProspectAfterDays: 0,
      }).problems,
    ).toEqual([
      { path: 'input.purchaseLeaveScore', message: 'must not be above purchaseEnterScore (20 > 10)' },
      { path: 'input.stageEnterPurchaseScore', message: 'must be above 0' },
      { path: 'input.purchaseEnterLikelihood', message: 'a likelihood: above 0, at most 1' },
      { path: 'input.churnExitLikelihood', message: 'a likelihood: above 0, at most 1' },
      { path: 'input.cancelledExitDays', message: 'between 0 and 3660' },
      { path: 'input.returnToProspectAfterDays', message: 'above 0, at most 3660' },
    ]);
    expect(policyProblems({ ...DEFAULT_POLICY, churnExitLikelihood: Number.NaN })).toEqual([
      { path: 'input.churnExitLikelihood', message: 'must be a finite number' },
    ]);
  });
});
