import {
  DEFAULT_QUALIFICATION_POLICY,
  highestTag,
  nextOwner,
  qualificationPolicyProblems,
  qualificationStep,
  reaches,
  routingRuleProblems,
  teamFor,
} from './qualification';

describe('qualification steps', () => {
  it('takes a lead MQL → SAL → SQL, back to NURTURE when rejected or disqualified, and MQL again from there', () => {
    expect(qualificationStep('NONE', 'MARKETING_QUALIFY')).toEqual({ to: 'MQL' });
    expect(qualificationStep('NURTURE', 'MARKETING_QUALIFY')).toEqual({ to: 'MQL' });
    expect(qualificationStep('MQL', 'ACCEPT')).toEqual({ to: 'SAL' });
    expect(qualificationStep('SAL', 'QUALIFY')).toEqual({ to: 'SQL' });
    expect(qualificationStep('SAL', 'REJECT')).toEqual({ to: 'NURTURE' });
    expect(qualificationStep('SQL', 'DISQUALIFY')).toEqual({ to: 'NURTURE' });
    expect(qualificationStep('MQL', 'DISQUALIFY')).toEqual({ to: 'NURTURE' });
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
    expect(qualificationStep('NURTURE', 'DISQUALIFY')).toHaveProperty('refused');
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
      qualificationPolicyProblems({ marketingQualifiedScore: 50, salesAssignScore: 40, fallbackTeamId: 't' }).map(
        (p) => p.path,
      ),
    ).toEqual(['input.salesAssignScore']);
    expect(qualificationPolicyProblems({ salesAssignScore: 60 }).map((p) => p.path)).toEqual(['input.fallbackTeamId']);
    expect(
      qualificationPolicyProblems({ marketingQualifiedScore: 40, salesAssignScore: 60, fallbackTeamId: 't' }),
    ).toEqual([]);
  });
});

describe('routing rules', () => {
  const policy = {
    ...DEFAULT_QUALIFICATION_POLICY,
    routingRules: [
      { teamId: 'enterprise', tag: 'enterprise', minTagScore: 30 },
      { teamId: 'france', property: 'country' as const, values: ['FR', 'BE'] },
      { teamId: 'smb', highestTag: 'smb' },
    ],
    fallbackTeamId: 'inside',
  };
  it('takes the first rule that holds, else the fallback team', () => {
    const lead = (tags: Record<string, number>, properties: Record<string, string> = {}) =>
      teamFor(policy, { tags, properties });
    expect(lead({ enterprise: 30, smb: 50 }, { country: 'FR' })).toBe('enterprise');
    expect(lead({ enterprise: 29 }, { country: 'fr' })).toBe('france');
    expect(lead({ smb: 5, enterprise: 4 }, { country: 'DE' })).toBe('smb');
    expect(lead({ smb: 5, web: 6 })).toBe('inside');
    expect(lead({})).toBe('inside');
  });
  it('breaks a tie for the highest tag by name', () => {
    expect(highestTag({ web: 5, smb: 5 })).toBe('smb');
    expect(highestTag({})).toBeNull();
  });
  it('names each wrong field of a rule', () => {
    expect(
      routingRuleProblems([
        { teamId: 't', tag: 'a', highestTag: 'b' },
        { teamId: 't', tag: 'a' },
        { teamId: 't', property: 'planet' as never, values: [] },
        { teamId: 't', highestTag: 'x', minTagScore: 3 },
      ]).map((p) => p.path),
    ).toEqual([
      'input.routingRules[0]',
      'input.routingRules[1].minTagScore',
      'input.routingRules[2].property',
      'input.routingRules[2].values',
      'input.routingRules[3].minTagScore',
    ]);
  });
});
