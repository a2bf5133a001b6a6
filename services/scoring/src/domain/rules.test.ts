import {
  capPeriodOf,
  generalRuleFor,
  grantsFor,
  predicateHolds,
  ruleMatches,
  type CapLedger,
  type Predicate,
  type PredicateField,
  type PredicateOperator,
  type RuleInteraction,
  type ScoringRule,
} from './rules';
import { rule } from './rule-fixtures';
import { RULE_LIMITS } from './rule-limits';

// 2024-03-04 is a Monday; 2024-03-10 the Sunday of the same ISO week.
const MONDAY = '2024-03-04T10:00:00.000Z';

const generalRule = (ruleId: string, kind: ScoringRule['kind'], variant: string | null, points: number) =>
  rule({ ruleId, type: 'GENERAL', kind, variant, effect: { general: points, stage: 0, tags: [] } });

const interaction = (
  kind: string,
  properties: Record<string, unknown> = {},
  overrides: Partial<RuleInteraction> = {},
): RuleInteraction => ({ interactionId: 'i-1', kind, variant: null, occurredAt: MONDAY, properties, ...overrides });

const predicate = (
  field: PredicateField,
  operator: PredicateOperator,
  compared: string | number,
  property: string | null = null,
): Predicate => ({
  field,
  operator,
  value: typeof compared === 'string' ? compared : null,
  amount: typeof compared === 'number' ? compared : null,
  property,
});

describe('predicateHolds: where each field is read', () => {
  it.each<[string, Predicate, RuleInteraction]>([
    ['URL from properties.url', predicate('URL', 'EQUALS', '/pricing'), interaction('PAGE_VISIT', { url: '/pricing' })],
    [
      'REFERRER_SOURCE from properties.referrer',
      predicate('REFERRER_SOURCE', 'EQUALS', 'google.com'),
      interaction('PAGE_VISIT', { referrer: 'google.com' }),
    ],
    ['SOURCE from the variant', predicate('SOURCE', 'EQUALS', 'AD'), interaction('PAGE_VISIT', {}, { variant: 'AD' })],
    [
      'EMAIL_ID from properties.emailId',
      predicate('EMAIL_ID', 'EQUALS', 'welcome-1'),
      interaction('EMAIL_OPEN', { emailId: 'welcome-1' }),
    ],
    [
      'CAMPAIGN_ID from properties.campaignId',
      predicate('CAMPAIGN_ID', 'EQUALS', 'spring-sale'),
      interaction('EMAIL_CLICK', { campaignId: 'spring-sale' }),
    ],
    [
      'ITEM_ID from properties.itemId',
      predicate('ITEM_ID', 'EQUALS', 'sku-1'),
      interaction('PURCHASE', { itemId: 'sku-1' }),
    ],
    [
      'ITEM_ID from an items array of strings',
      predicate('ITEM_ID', 'EQUALS', 'sku-2'),
      interaction('PURCHASE', { items: ['sku-1', 'sku-2'] }),
    ],
    [
      'ITEM_ID from an items array of {id} objects',
      predicate('ITEM_ID', 'EQUALS', 'sku-4'),
      interaction('ABANDONED_CART', { items: [{ id: 'sku-3' }, { id: 'sku-4', qty: 2 }] }),
    ],
    [
      'ITEM_ID from itemId next to items',
      predicate('ITEM_ID', 'EQUALS', 'sku-0'),
      interaction('PURCHASE', { itemId: 'sku-0', items: ['sku-1'] }),
    ],
    [
      'SEARCH_PHRASE from properties.searchPhrase',
      predicate('SEARCH_PHRASE', 'EQUALS', 'red boots'),
      interaction('PAGE_VISIT', { searchPhrase: 'red boots' }),
    ],
    ['AMOUNT from properties.amount', predicate('AMOUNT', 'EQUALS', 120.5), interaction('PURCHASE', { amount: 120.5 })],
    ['PROPERTY by name', predicate('PROPERTY', 'EQUALS', 'pro', 'plan'), interaction('FEATURE_USAGE', { plan: 'pro' })],
    [
      'PROPERTY by a dotted path',
      predicate('PROPERTY', 'EQUALS', 'ios', 'device.os.name'),
      interaction('MOBILE_APP_USAGE', { device: { os: { name: 'ios' } } }),
    ],
    [
      'PROPERTY holding a number, compared as text',
      predicate('PROPERTY', 'EQUALS', '5', 'seats'),
      interaction('CUSTOM', { seats: 5 }),
    ],
    [
      'PROPERTY holding a boolean, compared as text',
      predicate('PROPERTY', 'EQUALS', 'true', 'trial'),
      interaction('CUSTOM', { trial: true }),
    ],
  ])('reads %s', (_, given, on) => {
    expect(predicateHolds(given, on)).toBe(true);
  });

  it.each<[string, Predicate, RuleInteraction]>([
    [
      'URL does not read the referrer',
      predicate('URL', 'EQUALS', 'x.io'),
      interaction('PAGE_VISIT', { referrer: 'x.io' }),
    ],
    [
      'SOURCE does not read properties.source',
      predicate('SOURCE', 'EQUALS', 'AD'),
      interaction('PAGE_VISIT', { source: 'AD' }),
    ],
    [
      'ITEM_ID with no item among the basket',
      predicate('ITEM_ID', 'EQUALS', 'sku-9'),
      interaction('PURCHASE', { items: ['sku-1', { id: 'sku-2' }] }),
    ],
    [
      'ITEM_ID when items is not an array',
      predicate('ITEM_ID', 'EQUALS', 'sku-1'),
      interaction('PURCHASE', { items: 'sku-1' }),
    ],
    [
      'PROPERTY whose path goes through a non-object',
      predicate('PROPERTY', 'EQUALS', 'ios', 'device.os'),
      interaction('CUSTOM', { device: 'ios' }),
    ],
    ['PROPERTY that is missing', predicate('PROPERTY', 'EQUALS', 'pro', 'plan'), interaction('CUSTOM', {})],
    [
      'PROPERTY holding an object',
      predicate('PROPERTY', 'EQUALS', '[object Object]', 'device'),
      interaction('CUSTOM', { device: { os: 'ios' } }),
    ],
    ['a missing field', predicate('URL', 'CONTAINS', 'a'), interaction('PAGE_VISIT', {})],
    ['AMOUNT held as text', predicate('AMOUNT', 'GTE', 100), interaction('PURCHASE', { amount: '150' })],
  ])('does not hold: %s', (_, given, on) => {
    expect(predicateHolds(given, on)).toBe(false);
  });
});

describe('predicateHolds: operators', () => {
  const visit = interaction('PAGE_VISIT', { url: 'https://Shop.example/Pricing/Team' });

  it('EQUALS compares the whole text exactly, case included', () => {
    expect(predicateHolds(predicate('URL', 'EQUALS', 'https://Shop.example/Pricing/Team'), visit)).toBe(true);
    expect(predicateHolds(predicate('URL', 'EQUALS', 'https://shop.example/pricing/team'), visit)).toBe(false);
    expect(predicateHolds(predicate('URL', 'EQUALS', 'https://Shop.example/Pricing'), visit)).toBe(false);
  });

  it('CONTAINS finds a part of the text, ignoring case', () => {
    expect(predicateHolds(predicate('URL', 'CONTAINS', 'pricing'), visit)).toBe(true);
    expect(predicateHolds(predicate('URL', 'CONTAINS', 'PRICING/TEAM'), visit)).toBe(true);
    expect(predicateHolds(predicate('URL', 'CONTAINS', 'billing'), visit)).toBe(false);
  });

  it('MATCHES runs a regular expression, ignoring case', () => {
    expect(predicateHolds(predicate('URL', 'MATCHES', '^https://shop\\.example/pricing(/.*)?$'), visit)).toBe(true);
    expect(predicateHolds(predicate('URL', 'MATCHES', 'pric'), visit)).toBe(true);
    expect(predicateHolds(predicate('URL', 'MATCHES', '^/pricing'), visit)).toBe(false);
  });

  it('MATCHES gives the same answer when asked twice (no regex state kept between calls)', () => {
    const matches = predicate('URL', 'MATCHES', 'team$');
    expect([predicateHolds(matches, visit), predicateHolds(matches, visit)]).toEqual([true, true]);
  });

  it.each<[PredicateOperator, number, boolean]>([
    ['GTE', 100, true],
    ['GTE', 99.99, false],
    ['GTE', 250, true],
    ['LTE', 100, true],
    ['LTE', 100.01, false],
    ['LTE', 0, true],
    ['EQUALS', 100, true],
    ['EQUALS', 100.5, false],
  ])('AMOUNT %s 100 on an amount of %d: %s', (operator, amount, expected) => {
    expect(predicateHolds(predicate('AMOUNT', operator, 100), interaction('PURCHASE', { amount }))).toBe(expected);
  });
});

describe('ruleMatches', () => {
  const bigPricingPurchase = interaction('PURCHASE', { amount: 500, url: '/pricing' });
  const condition = (match: 'ALL' | 'ANY') => ({
    match,
    predicates: [predicate('AMOUNT', 'GTE', 100), predicate('URL', 'CONTAINS', 'checkout')],
  });

  it('under ALL needs every predicate, under ANY one of them', () => {
    expect(ruleMatches(rule({ condition: condition('ALL') }), bigPricingPurchase)).toBe(false);
    expect(ruleMatches(rule({ condition: condition('ANY') }), bigPricingPurchase)).toBe(true);
    expect(ruleMatches(rule({ condition: condition('ANY') }), interaction('PURCHASE', { amount: 5 }))).toBe(false);
    expect(
      ruleMatches(rule({ condition: condition('ALL') }), interaction('PURCHASE', { amount: 100, url: '/checkout' })),
    ).toBe(true);
  });

  it('restricts to its kind when it has one', () => {
    const onPurchases = rule({ kind: 'PURCHASE', condition: condition('ANY') });
    expect(ruleMatches(onPurchases, bigPricingPurchase)).toBe(true);
    expect(ruleMatches(onPurchases, interaction('ABANDONED_CART', { amount: 500 }))).toBe(false);
    expect(ruleMatches(rule({ condition: condition('ANY') }), interaction('ABANDONED_CART', { amount: 500 }))).toBe(
      true,
    );
  });

  it('with a kind and no predicates matches every interaction of the kind', () => {
    expect(ruleMatches(rule({ kind: 'WEBINAR_ATTENDED' }), interaction('WEBINAR_ATTENDED'))).toBe(true);
    expect(ruleMatches(rule({ kind: 'WEBINAR_ATTENDED' }), interaction('WEBINAR_QUESTION'))).toBe(false);
  });

  it('holds from validFrom (inclusive) until validUntil (exclusive), by when the interaction occurred', () => {
    const campaign = rule({
      kind: 'PAGE_VISIT',
      validFrom: new Date('2024-03-01T00:00:00.000Z'),
      validUntil: new Date('2024-04-01T00:00:00.000Z'),
    });
    const at = (occurredAt: string) => ruleMatches(campaign, interaction('PAGE_VISIT', {}, { occurredAt }));
    expect(at('2024-02-29T23:59:59.999Z')).toBe(false);
    expect(at('2024-03-01T00:00:00.000Z')).toBe(true);
    expect(at('2024-03-31T23:59:59.999Z')).toBe(true);
    expect(at('2024-04-01T00:00:00.000Z')).toBe(false);
    // The same instant written with an offset.
    expect(at('2024-04-01T02:00:00.000+02:00')).toBe(false);
    expect(at('2024-04-01T01:59:59.999+02:00')).toBe(true);
  });

  it('with only one end of the window is open on the other', () => {
    const from = rule({ validFrom: new Date('2024-03-01T00:00:00.000Z'), kind: 'PAGE_VISIT' });
    const until = rule({ validUntil: new Date('2024-03-01T00:00:00.000Z'), kind: 'PAGE_VISIT' });
    const late = interaction('PAGE_VISIT', {}, { occurredAt: '2030-01-01T00:00:00.000Z' });
    const early = interaction('PAGE_VISIT', {}, { occurredAt: '2000-01-01T00:00:00.000Z' });
    expect([ruleMatches(from, late), ruleMatches(from, early)]).toEqual([true, false]);
    expect([ruleMatches(until, late), ruleMatches(until, early)]).toEqual([false, true]);
  });
});

describe('generalRuleFor', () => {
  const kindRule = generalRule('visit', 'PAGE_VISIT', null, 1);
  const adRule = generalRule('visit-ad', 'PAGE_VISIT', 'AD', 5);

  it("prefers the rule of the interaction's variant over the kind's rule, in any order", () => {
    const fromAd = interaction('PAGE_VISIT', {}, { variant: 'AD' });
    expect(generalRuleFor([kindRule, adRule], fromAd)?.ruleId).toBe('visit-ad');
    expect(generalRuleFor([adRule, kindRule], fromAd)?.ruleId).toBe('visit-ad');
  });

  it("falls back to the kind's rule for other variants and for no variant", () => {
    expect(generalRuleFor([adRule, kindRule], interaction('PAGE_VISIT', {}, { variant: 'DIRECT' }))?.ruleId).toBe(
      'visit',
    );
    expect(generalRuleFor([adRule, kindRule], interaction('PAGE_VISIT'))?.ruleId).toBe('visit');
    expect(generalRuleFor([adRule], interaction('PAGE_VISIT', {}, { variant: 'DIRECT' }))).toBeNull();
  });

  it('ignores disabled rules, rules of other kinds and advanced rules', () => {
    const fromAd = interaction('PAGE_VISIT', {}, { variant: 'AD' });
    expect(generalRuleFor([{ ...adRule, enabled: false }, kindRule], fromAd)?.ruleId).toBe('visit');
    expect(generalRuleFor([{ ...kindRule, enabled: false }], fromAd)).toBeNull();
    expect(generalRuleFor([generalRule('buy', 'PURCHASE', null, 50)], fromAd)).toBeNull();
    expect(
      generalRuleFor([rule({ kind: 'PAGE_VISIT', effect: { general: 3, stage: 0, tags: [] } })], fromAd),
    ).toBeNull();
  });
});

describe('capPeriodOf', () => {
  it.each([
    ['2024-03-06T00:00:00.000Z', '2024-03-06'],
    ['2024-03-06T23:59:59.999Z', '2024-03-06'],
    // 23:30 at UTC−2 is already the next day in UTC.
    ['2024-03-06T23:30:00-02:00', '2024-03-07'],
  ])('DAY of %s is the UTC day %s', (at, period) => {
    expect(capPeriodOf('DAY', at)).toBe(period);
  });

  it.each([
    ['2024-03-04T00:00:00.000Z', '2024-03-04'], // Monday
    ['2024-03-06T12:00:00.000Z', '2024-03-04'], // Wednesday
    ['2024-03-10T23:59:59.999Z', '2024-03-04'], // Sunday
    ['2024-03-11T00:00:00.000Z', '2024-03-11'], // next Monday
    ['2024-03-11T01:00:00+02:00', '2024-03-04'], // Sunday 23:00 in UTC
    ['2025-01-01T08:00:00.000Z', '2024-12-30'], // a Wednesday whose Monday is in the year before
    ['2024-03-01T08:00:00.000Z', '2024-02-26'], // a Friday whose Monday is in the month before
  ])('WEEK of %s starts on Monday %s (UTC)', (at, period) => {
    expect(capPeriodOf('WEEK', at)).toBe(period);
  });

  it('EVER is one period', () => {
    expect(capPeriodOf('EVER', '2020-01-01T00:00:00.000Z')).toBe('ever');
    expect(capPeriodOf('EVER', '2030-06-15T00:00:00.000Z')).toBe('ever');
  });
});

describe('grantsFor', () => {
  const visitRule = generalRule('visit', 'PAGE_VISIT', null, 10);
  const advanced = (ruleId: string, overrides: Partial<ScoringRule>) =>
    rule({ ruleId, kind: 'PAGE_VISIT', effect: { general: 1, stage: 0, tags: [] }, ...overrides });

  it('gives the general rule first, then the matching advanced rules by priority (ties by id)', () => {
    // Given three advanced rules out of order and one that does not match
    const rules = [
      advanced('b-low', { priority: 1, effect: { general: 1, stage: 0, tags: [] } }),
      advanced('z-high', { priority: 5, effect: { general: 0, stage: 2, tags: [] } }),
      advanced('a-low', { priority: 1, effect: { general: 0, stage: 0, tags: [{ tag: 'vip', points: 3 }] } }),
      advanced('no-match', {
        priority: 9,
        condition: { match: 'ALL', predicates: [predicate('URL', 'EQUALS', '/x')] },
      }),
      visitRule,
    ];

    // When a visit is scored
    const { grants } = grantsFor(rules, interaction('PAGE_VISIT', { url: '/home' }), {});

    // Then
    expect(grants).toEqual([
      { ruleId: 'visit', general: 10, stage: 0, tags: [] },
      { ruleId: 'z-high', general: 0, stage: 2, tags: [] },
      { ruleId: 'a-low', general: 0, stage: 0, tags: [{ tag: 'vip', points: 3 }] },
      { ruleId: 'b-low', general: 1, stage: 0, tags: [] },
    ]);
  });

  it('gives nothing for a general rule of 0 points (a variant silenced although its kind scores)', () => {
    const rules = [visitRule, generalRule('visit-ad', 'PAGE_VISIT', 'AD', 0)];
    expect(grantsFor(rules, interaction('PAGE_VISIT', {}, { variant: 'AD' }), {}).grants).toEqual([]);
    expect(grantsFor(rules, interaction('PAGE_VISIT', {}, { variant: 'SOCIAL' }), {}).grants).toEqual([
      { ruleId: 'visit', general: 10, stage: 0, tags: [] },
    ]);
  });

  it('skips disabled advanced rules', () => {
    const rules = [advanced('off', { enabled: false }), advanced('on', {})];
    expect(grantsFor(rules, interaction('PAGE_VISIT'), {}).grants.map((g) => g.ruleId)).toEqual(['on']);
  });

  it('stops at a matching exclusive rule: lower-priority advanced rules are skipped, the general rule is not', () => {
    const rules = [
      visitRule,
      advanced('top', { priority: 10 }),
      advanced('exclusive', { priority: 5, exclusive: true }),
      advanced('below', { priority: 1 }),
    ];
    expect(grantsFor(rules, interaction('PAGE_VISIT'), {}).grants.map((g) => g.ruleId)).toEqual([
      'visit',
      'top',
      'exclusive',
    ]);
  });

  it('does not stop at an exclusive rule that does not match', () => {
    const rules = [
      advanced('exclusive', {
        priority: 5,
        exclusive: true,
        condition: { match: 'ALL', predicates: [predicate('URL', 'CONTAINS', 'pricing')] },
      }),
      advanced('below', { priority: 1 }),
    ];
    expect(grantsFor(rules, interaction('PAGE_VISIT', { url: '/blog' }), {}).grants.map((g) => g.ruleId)).toEqual([
      'below',
    ]);
    expect(grantsFor(rules, interaction('PAGE_VISIT', { url: '/pricing' }), {}).grants.map((g) => g.ruleId)).toEqual([
      'exclusive',
    ]);
  });

  it('does not stop at an exclusive rule whose cap is used up: it gave nothing', () => {
    const rules = [
      advanced('exclusive', { priority: 5, exclusive: true, cap: { points: 1, period: 'EVER' } }),
      advanced('below', { priority: 1 }),
    ];
    const first = grantsFor(rules, interaction('PAGE_VISIT'), {});
    expect(first.grants.map((g) => g.ruleId)).toEqual(['exclusive']);
    expect(grantsFor(rules, interaction('PAGE_VISIT'), first.caps).grants.map((g) => g.ruleId)).toEqual(['below']);
  });

  it('leaves the cap ledger as it was when no rule has a cap', () => {
    const caps: CapLedger = { other: { period: 'ever', used: { GENERAL: 3 } } };
    expect(grantsFor([visitRule, advanced('free', {})], interaction('PAGE_VISIT'), caps).caps).toBe(caps);
  });

  describe('caps', () => {
    // At most 10 points per score per day: 4 general, 6 stage, 8 vip each time.
    const capped = advanced('capped', {
      effect: { general: 4, stage: 6, tags: [{ tag: 'vip', points: 8 }] },
      cap: { points: 10, period: 'DAY' },
    });
    const scoreAll = (rules: ScoringRule[], times: string[]) => {
      let caps: CapLedger = {};
      return times.map((occurredAt) => {
        const result = grantsFor(rules, interaction('PAGE_VISIT', {}, { occurredAt }), caps);
        caps = result.caps;
        return result;
      });
    };

    it('limits each score on its own and grants the part that is left', () => {
      // Given four visits on the same day
      const results = scoreAll(
        [capped],
        ['2024-03-04T08:00:00Z', '2024-03-04T09:00:00Z', '2024-03-04T10:00:00Z', '2024-03-04T23:00:00Z'],
      );

      // Then general 4+4+2, stage 6+4, vip 8+2, and nothing more that day
      expect(results.map((r) => r.grants)).toEqual([
        [{ ruleId: 'capped', general: 4, stage: 6, tags: [{ tag: 'vip', points: 8 }] }],
        [{ ruleId: 'capped', general: 4, stage: 4, tags: [{ tag: 'vip', points: 2 }] }],
        [{ ruleId: 'capped', general: 2, stage: 0, tags: [] }],
        [],
      ]);
      expect(results[3]!.caps).toEqual({
        capped: { period: '2024-03-04', used: { GENERAL: 10, STAGE: 10, 'TAG:vip': 10 } },
      });
    });

    it('starts again in a new day', () => {
      const results = scoreAll([capped], ['2024-03-04T20:00:00Z', '2024-03-04T21:00:00Z', '2024-03-05T00:00:00Z']);
      expect(results[2]!.grants).toEqual([
        { ruleId: 'capped', general: 4, stage: 6, tags: [{ tag: 'vip', points: 8 }] },
      ]);
      expect(results[2]!.caps).toEqual({
        capped: { period: '2024-03-05', used: { GENERAL: 4, STAGE: 6, 'TAG:vip': 8 } },
      });
    });

    it('per WEEK counts from Monday to Sunday (UTC) and starts again on Monday', () => {
      const weekly = { ...capped, cap: { points: 6, period: 'WEEK' as const } };
      const results = scoreAll(
        [weekly],
        ['2024-03-04T00:00:00Z', '2024-03-10T23:59:59Z', '2024-03-11T00:00:00Z'], // Mon, Sun, next Mon
      );
      expect(results.map((r) => r.grants[0]?.general ?? 0)).toEqual([4, 2, 4]);
      expect(results.map((r) => r.grants[0]?.stage ?? 0)).toEqual([6, 0, 6]);
      expect(results[1]!.caps['capped']!.period).toBe('2024-03-04');
      expect(results[2]!.caps['capped']!.period).toBe('2024-03-11');
    });

    it('EVER never starts again', () => {
      const once = { ...capped, cap: { points: 5, period: 'EVER' as const } };
      const results = scoreAll([once], ['2024-03-04T00:00:00Z', '2025-03-04T00:00:00Z', '2030-03-04T00:00:00Z']);
      expect(results.map((r) => r.grants)).toEqual([
        [{ ruleId: 'capped', general: 4, stage: 5, tags: [{ tag: 'vip', points: 5 }] }],
        [{ ruleId: 'capped', general: 1, stage: 0, tags: [] }],
        [],
      ]);
      expect(results[2]!.caps).toEqual({ capped: { period: 'ever', used: { GENERAL: 5, STAGE: 5, 'TAG:vip': 5 } } });
    });

    it('caps negative effects by their size', () => {
      const penalty = advanced('penalty', {
        effect: { general: -4, stage: 0, tags: [{ tag: 'risk', points: -3 }] },
        cap: { points: 10, period: 'DAY' },
      });
      const results = scoreAll([penalty], ['2024-03-04T08:00:00Z', '2024-03-04T09:00:00Z', '2024-03-04T10:00:00Z']);
      expect(results.map((r) => r.grants)).toEqual([
        [{ ruleId: 'penalty', general: -4, stage: 0, tags: [{ tag: 'risk', points: -3 }] }],
        [{ ruleId: 'penalty', general: -4, stage: 0, tags: [{ tag: 'risk', points: -3 }] }],
        [{ ruleId: 'penalty', general: -2, stage: 0, tags: [{ tag: 'risk', points: -3 }] }],
      ]);
      expect(results[2]!.caps['penalty']!.used).toEqual({ GENERAL: 10, STAGE: 0, 'TAG:risk': 9 });
    });

    it('keeps one ledger per rule and does not change the ledger it was given', () => {
      const other = advanced('other', {
        effect: { general: 3, stage: 0, tags: [] },
        cap: { points: 3, period: 'EVER' },
      });
      const given: CapLedger = { other: { period: 'ever', used: { GENERAL: 3, STAGE: 0 } } };
      const snapshot = structuredClone(given);

      const { grants, caps } = grantsFor([capped, other], interaction('PAGE_VISIT'), given);

      expect(grants.map((g) => g.ruleId)).toEqual(['capped']);
      expect(caps['other']).toEqual(snapshot['other']);
      expect(caps['capped']).toEqual({ period: '2024-03-04', used: { GENERAL: 4, STAGE: 6, 'TAG:vip': 8 } });
      expect(given).toEqual(snapshot);
    });

    it('ignores a ledger entry from an earlier period', () => {
      const stale: CapLedger = { capped: { period: '2024-03-03', used: { GENERAL: 10, STAGE: 10, 'TAG:vip': 10 } } };
      expect(grantsFor([capped], interaction('PAGE_VISIT'), stale).grants).toEqual([
        { ruleId: 'capped', general: 4, stage: 6, tags: [{ tag: 'vip', points: 8 }] },
      ]);
    });
  });
});

describe('grantsFor: the work one interaction may cause is bounded', () => {
  const advanced = (ruleId: string, overrides: Partial<ScoringRule> = {}) =>
    rule({ ruleId, kind: 'PAGE_VISIT', effect: { general: 1, stage: 0, tags: [] }, ...overrides });
  const onUrl = (...predicates: Predicate[]) => ({ condition: { match: 'ANY' as const, predicates } });
  const ruleIdsFor = (rules: ScoringRule[], on: RuleInteraction) =>
    grantsFor(rules, on, {}).grants.map((g) => g.ruleId);

  it(`evaluates the ${RULE_LIMITS.enabledAdvancedRules} enabled advanced rules of highest priority only`, () => {
    // Given one enabled advanced rule more than the limit (two admins raced past the count)
    const rules = Array.from({ length: RULE_LIMITS.enabledAdvancedRules + 1 }, (_, i) =>
      advanced(`r${String(i).padStart(3, '0')}`, { priority: i }),
    );
    const granted = ruleIdsFor(rules, interaction('PAGE_VISIT'));
    expect(granted).toHaveLength(RULE_LIMITS.enabledAdvancedRules);
    expect(granted).not.toContain('r000');
    expect(granted[0]).toBe(`r${RULE_LIMITS.enabledAdvancedRules}`);
  });

  it('skips a stored rule beyond the limits (one saved before them)', () => {
    // Each rule would match this visit, were it within the limits.
    const visit = interaction('PAGE_VISIT', { url: `/pricing/${'p'.repeat(RULE_LIMITS.valueLength + 1)}` });
    const url = predicate('URL', 'CONTAINS', 'pricing');
    const tags = (n: number) => Array.from({ length: n }, (_, i) => ({ tag: `t${i}`, points: 1 }));
    const rules = [
      advanced('too-many-predicates', onUrl(...Array.from({ length: RULE_LIMITS.predicatesPerRule + 1 }, () => url))),
      advanced('too-many-tags', { effect: { general: 1, stage: 0, tags: tags(RULE_LIMITS.tagsPerRule + 1) } }),
      advanced('pattern-too-long', onUrl(predicate('URL', 'MATCHES', 'p'.repeat(RULE_LIMITS.patternLength + 1)))),
      advanced('value-too-long', onUrl(predicate('URL', 'CONTAINS', 'p'.repeat(RULE_LIMITS.valueLength + 1)))),
      advanced('at-the-limits', {
        ...onUrl(...Array.from({ length: RULE_LIMITS.predicatesPerRule }, () => url)),
        effect: { general: 1, stage: 0, tags: tags(RULE_LIMITS.tagsPerRule) },
      }),
    ];
    expect(ruleIdsFor(rules, visit)).toEqual(['at-the-limits']);
  });

  it(`evaluates only the rules whose patterns fit the budget of ${RULE_LIMITS.patternProgramBudget} instructions`, () => {
    // Each rule: ten patterns of 160 instructions that all match this visit; the budget takes two
    // rules (highest priority first), a third no longer fits, a pattern-free rule still does.
    const visit = interaction('PAGE_VISIT', { url: `/shop/${'a'.repeat(50)}x${'b'.repeat(50)}y` });
    const heavy = (ruleId: string, priority: number) =>
      advanced(ruleId, {
        priority,
        ...onUrl(...Array.from({ length: 10 }, () => predicate('URL', 'MATCHES', '/shop/.{0,50}x.{50}y'))),
      });
    const rules = [heavy('third', 1), heavy('first', 3), heavy('second', 2), advanced('no-pattern', { priority: 0 })];
    expect(ruleIdsFor(rules, visit)).toEqual(['first', 'second', 'no-pattern']);
  });

  it(`compares the first ${RULE_LIMITS.itemsCompared} items of a basket with ITEM_ID`, () => {
    const basket = (position: number) =>
      interaction('PURCHASE', {
        items: Array.from({ length: position + 1 }, (_, i) => ({ id: i === position ? 'sku-wanted' : `sku-${i}` })),
      });
    const wanted = [advanced('wanted', { kind: 'PURCHASE', ...onUrl(predicate('ITEM_ID', 'EQUALS', 'sku-wanted')) })];
    expect(ruleIdsFor(wanted, basket(RULE_LIMITS.itemsCompared - 1))).toEqual(['wanted']);
    expect(ruleIdsFor(wanted, basket(RULE_LIMITS.itemsCompared))).toEqual([]);
  });

  it('scores an 8 KiB URL with a pattern that freezes a backtracking engine', () => {
    // `^.*.*.*.*x$` took 2–6 s on a 400-character URL with the engine before; 8 KiB, hours.
    const rules = [advanced('redos', onUrl(predicate('URL', 'MATCHES', '^.*.*.*.*x$')))];
    const url = (last: string) => interaction('PAGE_VISIT', { url: `https://shop.example/${'a'.repeat(8150)}${last}` });
    expect(ruleIdsFor(rules, url('x'))).toEqual(['redos']);
    expect(ruleIdsFor(rules, url('a'))).toEqual([]);
  });
});
