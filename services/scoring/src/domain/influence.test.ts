import { applyIdentify, emptyProfile, influence, mergeProfiles } from './influence';

describe('influence (hand-computed)', () => {
  it('weighs seniority, buying role and engaged colleagues inside, followers, shares, mentions and reach outside', () => {
    const profile = {
      ...emptyProfile(),
      seniority: 'DIRECTOR' as const,
      buyingRole: 'CHAMPION' as const,
      socialFollowers: 999,
    };
    const result = influence({ profile, engagedColleagues: 2, shares: 4, mentions: 3, commentReach: 9_999 });
    // inside = 75 × 0.4 + 80 × 0.35 + (2/5 × 100) × 0.25 = 30 + 28 + 10 = 68
    // outside = (log10(1000)/6 × 100) × 0.4 + (4/20 × 100) × 0.25 + (3/10 × 100) × 0.2 + (log10(10000)/5 × 100) × 0.15
    //         = 50 × 0.4 + 20 × 0.25 + 30 × 0.2 + 80 × 0.15 = 20 + 5 + 6 + 12 = 43
    // score = 68 × 0.5 + 43 × 0.5 = 55.5
    expect(result).toEqual({
      score: 55.5,
      inside: 68,
      outside: 43,
      components: [
        { name: 'seniority', side: 'INSIDE', input: 'DIRECTOR', value: 75, weight: 0.2, contribution: 15 },
        { name: 'buyingRole', side: 'INSIDE', input: 'CHAMPION', value: 80, weight: 0.175, contribution: 14 },
        { name: 'engagedColleagues', side: 'INSIDE', input: '2', value: 40, weight: 0.125, contribution: 5 },
        { name: 'followers', side: 'OUTSIDE', input: '999', value: 50, weight: 0.2, contribution: 10 },
        { name: 'shares', side: 'OUTSIDE', input: '4', value: 20, weight: 0.125, contribution: 2.5 },
        { name: 'mentions', side: 'OUTSIDE', input: '3', value: 30, weight: 0.1, contribution: 3 },
        { name: 'commentReach', side: 'OUTSIDE', input: '9999', value: 80, weight: 0.075, contribution: 6 },
      ],
    });
  });

  it('caps each figure at 100 and gives an unknown contact 0', () => {
    const top = influence({
      profile: { ...emptyProfile(), seniority: 'EXECUTIVE', buyingRole: 'DECISION_MAKER', socialFollowers: 5_000_000 },
      engagedColleagues: 12,
      shares: 50,
      mentions: 40,
      commentReach: 1e7,
    });
    expect([top.score, top.inside, top.outside]).toEqual([100, 100, 100]);
    const none = influence({ profile: emptyProfile(), engagedColleagues: 0, shares: 0, mentions: 0, commentReach: 0 });
    expect([none.score, none.inside, none.outside]).toEqual([0, 0, 0]);
    expect(none.components.map((c) => c.input)).toEqual(['unknown', 'unknown', '0', '0', '0', '0', '0']);
  });
});

describe('the influence profile', () => {
  it('is last-write-wins per trait by time, in a merge too', () => {
    const march = applyIdentify(emptyProfile(), { seniority: 'VP', socialFollowers: 10 }, '2026-03-01T00:00:00.000Z');
    const lateOld = applyIdentify(march, { seniority: 'MID', buyingRole: 'USER' }, '2026-01-01T00:00:00.000Z');
    expect(lateOld).toMatchObject({ seniority: 'VP', buyingRole: 'USER', socialFollowers: 10 });
    const theirs = applyIdentify(
      emptyProfile(),
      { socialFollowers: 500, seniority: 'ENTRY' },
      '2026-02-01T00:00:00.000Z',
    );
    expect(mergeProfiles(lateOld, theirs)).toMatchObject({ seniority: 'VP', socialFollowers: 10, buyingRole: 'USER' });
    const newer = applyIdentify(emptyProfile(), { socialFollowers: 900 }, '2026-04-01T00:00:00.000Z');
    expect(mergeProfiles(lateOld, newer).socialFollowers).toBe(900);
  });
});
