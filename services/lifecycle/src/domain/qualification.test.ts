import { nextOwner, qualificationPolicyProblems, qualificationStep, reaches } from './qualification';

describe('qualification steps', () => {
  it('takes a lead MQL → SAL → SQL and back to NURTURE or NONE', () => {
    expect(qualificationStep('NONE', 'MARKETING_QUALIFY')).toEqual({ to: 'MQL' });
    expect(qualificationStep('NURTURE', 'MARKETING_QUALIFY')).toEqual({ to: 'MQL' });
    expect(qualificationStep('MQL', 'ACCEPT')).toEqual({ to: 'SAL' });
    expect(qualificationStep('SAL', 'QUALIFY')).toEqual({ to: 'SQL' });
    expect(qualificationStep('SAL', 'REJECT')).toEqual({ to: 'NURTURE' });
    expect(qualificationStep('SQL', 'DISQUALIFY')).toEqual({ to: 'NONE' });
  });

  it('refuses SQL before SAL, accepting a lead that is not MQL, and rejecting a lead sales qualified', () => {
    expect(qualificationStep('MQL', 'QUALIFY')).toEqual({
      refused: 'the lead is MQL; qualify needs a lead that is SAL',
    });
    expect(qualificationStep('NONE', 'ACCEPT')).toEqual({
      refused: 'the lead is NONE; accept needs a lead that is MQL',
    });
    expect(qualificationStep('SQL', 'REJECT')).toHaveProperty('refused');
    expect(qualificationStep('NONE', 'DISQUALIFY')).toHaveProperty('refused');
    expect(qualificationStep('MQL', 'MARKETING_QUALIFY')).toHaveProperty('refused');
  });

  it('counts a threshold as reached only from below', () => {
    expect(reaches(40, 39, 40)).toBe(true);
    expect(reaches(40, 40, 45)).toBe(false);
    expect(reaches(null, 0, 100)).toBe(false);
  });
});

describe('round-robin', () => {
  const members = ['ann', 'bob', 'cy'];
  it('goes around the team in order, skipping inactive owners', () => {
    const active = (id: string) => id !== 'bob';
    expect(nextOwner(members, () => true, null)).toBe('ann');
    expect(nextOwner(members, () => true, 'ann')).toBe('bob');
    expect(nextOwner(members, active, 'ann')).toBe('cy');
    expect(nextOwner(members, active, 'cy')).toBe('ann');
    expect(nextOwner(members, () => true, 'gone')).toBe('ann');
    expect(nextOwner(members, () => false, 'ann')).toBeNull();
    expect(nextOwner([], () => true, null)).toBeNull();
  });
});

describe('qualification policy', () => {
  it('names each wrong field', () => {
    expect(qualificationPolicyProblems({ marketingQualifiedScore: -1 }).map((p) => p.path)).toEqual([
      'input.marketingQualifiedScore',
    ]);
    expect(
      qualificationPolicyProblems({ marketingQualifiedScore: 50, salesAssignScore: 40, salesTeamId: 't' }).map(
        (p) => p.path,
      ),
    ).toEqual(['input.salesAssignScore']);
    expect(qualificationPolicyProblems({ salesAssignScore: 60 }).map((p) => p.path)).toEqual(['input.salesTeamId']);
    expect(
      qualificationPolicyProblems({ marketingQualifiedScore: 40, salesAssignScore: 60, salesTeamId: 't' }),
    ).toEqual([]);
  });
});
