import { applyIdentify, checkIdentify, normalDomain, type TraitSlot } from './traits';

describe('checkIdentify', () => {
  it('normalises what it accepts and names an account by its domain', () => {
    expect(
      checkIdentify({
        country: 'de',
        accountDomain: 'https://www.Acme.example/about',
        name: ' Ana ',
        socialFollowers: 0,
      }),
    ).toEqual({
      ok: true,
      payload: {
        name: 'Ana',
        country: 'DE',
        socialFollowers: 0,
        accountDomain: 'acme.example',
        accountId: 'acme.example',
      },
    });
  });

  it('reports every wrong field at its path', () => {
    const checked = checkIdentify({
      seniority: 'BOSS',
      buyingRole: 'DECIDER',
      socialFollowers: 1.5,
      accountName: 'Acme',
      shoeSize: 44,
      custom: { ok: true, 'no spaces': 1, nested: { a: 1 } },
    });
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.problems.map((p) => p.path)).toEqual([
      'properties.shoeSize',
      'properties.seniority',
      'properties.buyingRole',
      'properties.socialFollowers',
      'properties.accountName',
      'properties.custom.no spaces',
      'properties.custom.nested',
    ]);
  });

  it('refuses an identify with no trait', () => {
    expect(checkIdentify({})).toEqual({ ok: false, problems: [{ path: 'properties', message: expect.any(String) }] });
  });

  it('reads domains as people write them', () => {
    expect(normalDomain('WWW.Example.co.uk')).toBe('example.co.uk');
    expect(normalDomain('not a domain')).toBeNull();
  });
});

describe('applyIdentify (last-write-wins by time)', () => {
  const jan = new Date('2026-01-01T00:00:00Z');
  const feb = new Date('2026-02-01T00:00:00Z');
  const mar = new Date('2026-03-01T00:00:00Z');

  it('keeps a newer value against an older identify, and records only the changes that won', () => {
    const first = applyIdentify({}, { jobTitle: 'Engineer', custom: { tier: 'gold' } }, jan, 'i1');
    const newer = applyIdentify(first.traits, { jobTitle: 'CTO' }, mar, 'i2');
    const older = applyIdentify(newer.traits, { jobTitle: 'Lead', department: 'R&D' }, feb, 'i3');
    expect(older.traits).toEqual<Record<string, TraitSlot>>({
      jobTitle: { value: 'CTO', at: mar },
      'custom.tier': { value: 'gold', at: jan },
      department: { value: 'R&D', at: feb },
    });
    expect(older.changes).toEqual([
      { trait: 'department', value: 'R&D', previous: null, at: feb, interactionId: 'i3' },
    ]);
  });

  it('clears a trait with null and keeps the time, so an older value cannot come back', () => {
    const set = applyIdentify({}, { country: 'DE' }, jan, 'i1');
    const cleared = applyIdentify(set.traits, { country: null }, feb, 'i2');
    const late = applyIdentify(cleared.traits, { country: 'FR' }, jan, 'i3');
    expect(late.traits.country).toEqual({ value: null, at: feb });
    expect(cleared.changes).toEqual([{ trait: 'country', value: null, previous: 'DE', at: feb, interactionId: 'i2' }]);
    expect(late.changes).toEqual([]);
  });
});
