import { GraphQLError } from 'graphql';
import { RULE_LIMITS } from '../domain/rule-limits';
import { validateRule, type PredicateInput, type ScoringRuleInput } from './validate-rule';

const generalInput = (overrides: Partial<ScoringRuleInput> = {}): ScoringRuleInput => ({
  type: 'GENERAL',
  kind: 'PAGE_VISIT',
  points: 5,
  ...overrides,
});
const advancedInput = (overrides: Partial<ScoringRuleInput> = {}): ScoringRuleInput => ({
  type: 'ADVANCED',
  kind: 'PAGE_VISIT',
  effect: { general: 5 },
  ...overrides,
});
const when = (predicates: PredicateInput[], match: 'ALL' | 'ANY' = 'ALL') => ({ match, predicates });

/** The error validating `input` throws (fails the test when it does not throw). */
function rejectionOf(input: ScoringRuleInput, at?: string): GraphQLError {
  try {
    validateRule(input, at);
  } catch (err) {
    expect(err).toBeInstanceOf(GraphQLError);
    const error = err as GraphQLError;
    expect(error.extensions['code']).toBe('BAD_USER_INPUT');
    return error;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused`);
}
/** The paths of `extensions.fields`, in order; each entry also carries its own message. */
function pathsOf(error: GraphQLError): string[] {
  const fields = error.extensions['fields'] as { path: string; message: string }[];
  for (const field of fields) expect(field.message).toEqual(expect.any(String));
  return fields.map((field) => field.path);
}
const fieldsOf = (input: ScoringRuleInput) => pathsOf(rejectionOf(input));

describe('validateRule: GENERAL rules', () => {
  it('turns a valid input into the rule the engine runs', () => {
    expect(validateRule(generalInput({ name: '  Ad visits ', variant: 'AD', points: 7, priority: 3 }))).toEqual({
      type: 'GENERAL',
      name: 'Ad visits',
      kind: 'PAGE_VISIT',
      variant: 'AD',
      condition: null,
      effect: { general: 7, stage: 0, tags: [] },
      cap: null,
      validFrom: null,
      validUntil: null,
      enabled: true,
      priority: 3,
      exclusive: false,
    });
  });

  it('is GENERAL when the type is left out', () => {
    expect(validateRule({ kind: 'PURCHASE', points: 50 }).type).toBe('GENERAL');
  });

  it('refuses an unknown kind, naming the kinds it knows', () => {
    const error = rejectionOf(generalInput({ kind: 'FAX' as never }));
    expect(error.extensions['fields']).toEqual([
      { path: 'input.kind', message: expect.stringMatching(/^unknown kind 'FAX'; expected one of PAGE_VISIT, /) },
    ]);
    expect(error.message).toMatch(/^input\.kind: unknown kind 'FAX'; expected one of PAGE_VISIT, LINK_CLICK, /);
  });

  it('needs a kind and points', () => {
    const error = rejectionOf({ type: 'GENERAL' });
    expect(pathsOf(error)).toEqual(['input.kind', 'input.points']);
    expect(error.message).toBe(
      'input.kind: a GENERAL rule scores one kind: give the kind; input.points: a GENERAL rule needs points',
    );
  });

  it('refuses a variant its kind does not have', () => {
    const wrong = rejectionOf(generalInput({ variant: 'TV' }));
    expect(pathsOf(wrong)).toEqual(['input.variant']);
    expect(wrong.message).toBe(
      "input.variant: 'TV' is not a variant of PAGE_VISIT; expected one of DIRECT, AD, SEARCH_ENGINE, SOCIAL, REFERRAL, EMAIL",
    );
    const none = rejectionOf(generalInput({ kind: 'PURCHASE', variant: 'AD' }));
    expect(pathsOf(none)).toEqual(['input.variant']);
    expect(none.message).toBe('input.variant: PURCHASE has no variants; leave variant out');
  });

  it('refuses 0 points without a variant, and allows them on a variant (it silences that variant)', () => {
    const error = rejectionOf(generalInput({ points: 0 }));
    expect(pathsOf(error)).toEqual(['input.points']);
    expect(error.message).toBe('input.points: a rule giving 0 points has no effect; delete the rule instead');

    expect(validateRule(generalInput({ variant: 'AD', points: 0 })).effect).toEqual({ general: 0, stage: 0, tags: [] });
  });

  it('allows negative points and refuses points beyond the limit', () => {
    expect(validateRule(generalInput({ points: -3 })).effect.general).toBe(-3);
    expect(fieldsOf(generalInput({ points: RULE_LIMITS.points + 1 }))).toEqual(['input.points']);
    expect(fieldsOf(generalInput({ points: Number.NaN }))).toEqual(['input.points']);
  });

  it('refuses the fields only ADVANCED rules have, each by name', () => {
    const error = rejectionOf(
      generalInput({
        when: when([{ field: 'URL', operator: 'CONTAINS', value: 'pricing' }]),
        effect: { general: 1 },
        cap: { points: 5, period: 'DAY' },
        validFrom: new Date('2024-01-01T00:00:00Z'),
        validUntil: new Date('2024-02-01T00:00:00Z'),
        exclusive: true,
      }),
    );
    expect(pathsOf(error)).toEqual([
      'input.when',
      'input.effect',
      'input.cap',
      'input.validFrom',
      'input.validUntil',
      'input.exclusive',
    ]);
    expect(error.message).toContain('input.cap: only ADVANCED rules have cap; set type: ADVANCED');
  });
});

describe('validateRule: ADVANCED rules', () => {
  it('turns a valid input into the rule the engine runs', () => {
    const validFrom = new Date('2024-03-01T00:00:00Z');
    const validUntil = new Date('2024-04-01T00:00:00Z');
    expect(
      validateRule(
        advancedInput({
          name: 'Pricing page',
          when: {
            predicates: [
              { field: 'URL', operator: 'MATCHES', value: '^/pricing(/.*)?$' },
              { field: 'PROPERTY', operator: 'EQUALS', value: 'ios', property: 'device.os' },
            ],
          },
          effect: {
            general: 5,
            stage: 2,
            tags: [
              { tag: ' pricing ', points: 3 },
              { tag: 'idle', points: 0 },
            ],
          },
          cap: { points: 20, period: 'WEEK' },
          validFrom,
          validUntil,
          priority: 10,
          exclusive: true,
        }),
      ),
    ).toEqual({
      type: 'ADVANCED',
      name: 'Pricing page',
      kind: 'PAGE_VISIT',
      variant: null,
      condition: {
        match: 'ALL',
        predicates: [
          { field: 'URL', operator: 'MATCHES', value: '^/pricing(/.*)?$', amount: null, property: null },
          { field: 'PROPERTY', operator: 'EQUALS', value: 'ios', amount: null, property: 'device.os' },
        ],
      },
      effect: { general: 5, stage: 2, tags: [{ tag: 'pricing', points: 3 }] },
      cap: { points: 20, period: 'WEEK' },
      validFrom,
      validUntil,
      enabled: true,
      priority: 10,
      exclusive: true,
    });
  });

  it('accepts a rule on any kind with a predicate, and one on a kind without predicates', () => {
    expect(
      validateRule(
        advancedInput({ kind: null, when: when([{ field: 'CAMPAIGN_ID', operator: 'EQUALS', value: 'x' }]) }),
      ).condition,
    ).toEqual({
      match: 'ALL',
      predicates: [{ field: 'CAMPAIGN_ID', operator: 'EQUALS', value: 'x', amount: null, property: null }],
    });
    expect(validateRule(advancedInput({ kind: 'WEBINAR_ATTENDED' })).condition).toBeNull();
  });

  it('needs a kind or a predicate', () => {
    const error = rejectionOf(advancedInput({ kind: null }));
    expect(pathsOf(error)).toEqual(['input.when']);
    expect(error.message).toBe(
      'input.when: an ADVANCED rule needs a kind or at least one predicate, or it matches everything',
    );
    expect(fieldsOf(advancedInput({ kind: null, when: when([]) }))).toEqual(['input.when']);
  });

  it('refuses a variant and points (they belong to GENERAL rules)', () => {
    const error = rejectionOf(advancedInput({ variant: 'AD', points: 3 }));
    expect(pathsOf(error)).toEqual(['input.variant', 'input.points']);
    expect(error.message).toBe(
      'input.variant: ADVANCED rules match a variant with a SOURCE predicate; ' +
        'input.points: ADVANCED rules give points through effect.general',
    );
  });

  describe('predicates', () => {
    it('refuses a field the kind never carries', () => {
      const error = rejectionOf(
        advancedInput({
          kind: 'PURCHASE',
          when: when([{ field: 'SEARCH_PHRASE', operator: 'CONTAINS', value: 'boots' }]),
        }),
      );
      expect(pathsOf(error)).toEqual(['input.when.predicates[0].field']);
      expect(error.message).toBe(
        'input.when.predicates[0].field: PURCHASE interactions never have SEARCH_PHRASE; it is on PAGE_VISIT',
      );
    });

    it('allows the fields any kind may carry (PROPERTY, CAMPAIGN_ID) on every kind', () => {
      expect(() =>
        validateRule(
          advancedInput({
            kind: 'SUPPORT_TICKET',
            when: when([
              { field: 'PROPERTY', operator: 'EQUALS', value: 'high', property: 'priority' },
              { field: 'CAMPAIGN_ID', operator: 'CONTAINS', value: 'spring' },
            ]),
          }),
        ),
      ).not.toThrow();
    });

    it('refuses an operator its field cannot use', () => {
      const error = rejectionOf(
        advancedInput({
          kind: 'PURCHASE',
          when: when([
            { field: 'AMOUNT', operator: 'CONTAINS', amount: 5 },
            { field: 'PROPERTY', operator: 'GTE', value: '3', property: 'seats' },
            { field: 'SOURCE', operator: 'CONTAINS', value: 'AD' },
          ]),
        }),
      );
      expect(pathsOf(error)).toEqual([
        'input.when.predicates[0].operator',
        'input.when.predicates[1].operator',
        'input.when.predicates[2].field',
        'input.when.predicates[2].operator',
        'input.when.predicates[2].value',
      ]);
      expect(error.message).toContain(
        'input.when.predicates[0].operator: AMOUNT cannot be compared with CONTAINS; use GTE, LTE, EQUALS',
      );
      expect(error.message).toContain(
        'input.when.predicates[1].operator: PROPERTY cannot be compared with GTE; use EQUALS',
      );
    });

    it('needs an amount for AMOUNT, and no value', () => {
      const missing = rejectionOf(
        advancedInput({ kind: 'PURCHASE', when: when([{ field: 'AMOUNT', operator: 'GTE' }]) }),
      );
      expect(pathsOf(missing)).toEqual(['input.when.predicates[0].amount']);
      expect(missing.message).toBe('input.when.predicates[0].amount: AMOUNT compares a number: give amount');
      expect(
        fieldsOf(
          advancedInput({
            kind: 'PURCHASE',
            when: when([{ field: 'AMOUNT', operator: 'GTE', amount: 5, value: '5' }]),
          }),
        ),
      ).toEqual(['input.when.predicates[0].value']);
    });

    it('needs a value for text fields, and no amount', () => {
      const error = rejectionOf(advancedInput({ when: when([{ field: 'URL', operator: 'EQUALS', amount: 3 }]) }));
      expect(pathsOf(error)).toEqual(['input.when.predicates[0].amount', 'input.when.predicates[0].value']);
      expect(error.message).toBe(
        'input.when.predicates[0].amount: URL compares text: give value, not amount; ' +
          'input.when.predicates[0].value: URL EQUALS needs a value to compare with',
      );
    });

    it('needs a well-formed property name for PROPERTY, and no property elsewhere', () => {
      for (const property of [null, '', 'a..b', '1st', 'a.b-c']) {
        expect(
          fieldsOf(advancedInput({ when: when([{ field: 'PROPERTY', operator: 'EQUALS', value: 'x', property }]) })),
        ).toEqual(['input.when.predicates[0].property']);
      }
      expect(
        fieldsOf(advancedInput({ when: when([{ field: 'URL', operator: 'EQUALS', value: '/x', property: 'url' }]) })),
      ).toEqual(['input.when.predicates[0].property']);
    });

    it('refuses a contradictory AMOUNT range under ALL and allows it under ANY', () => {
      const range: PredicateInput[] = [
        { field: 'AMOUNT', operator: 'GTE', amount: 200 },
        { field: 'AMOUNT', operator: 'LTE', amount: 100 },
      ];
      const error = rejectionOf(advancedInput({ kind: 'PURCHASE', when: when(range, 'ALL') }));
      expect(pathsOf(error)).toEqual(['input.when']);
      expect(error.message).toBe('input.when: no amount is at least 200 and at most 100: the rule could never match');
      expect(validateRule(advancedInput({ kind: 'PURCHASE', when: when(range, 'ANY') })).condition?.match).toBe('ANY');
    });

    it('refuses an AMOUNT that EQUALS a number outside its range, and accepts a range of one number', () => {
      expect(
        fieldsOf(
          advancedInput({
            kind: 'PURCHASE',
            when: when([
              { field: 'AMOUNT', operator: 'EQUALS', amount: 50 },
              { field: 'AMOUNT', operator: 'GTE', amount: 60 },
            ]),
          }),
        ),
      ).toEqual(['input.when']);
      expect(() =>
        validateRule(
          advancedInput({
            kind: 'PURCHASE',
            when: when([
              { field: 'AMOUNT', operator: 'GTE', amount: 100 },
              { field: 'AMOUNT', operator: 'LTE', amount: 100 },
            ]),
          }),
        ),
      ).not.toThrow();
    });

    it('refuses two different EQUALS on one field under ALL only', () => {
      const twoUrls: PredicateInput[] = [
        { field: 'URL', operator: 'EQUALS', value: '/a' },
        { field: 'URL', operator: 'EQUALS', value: '/b' },
      ];
      const error = rejectionOf(advancedInput({ when: when(twoUrls) }));
      expect(pathsOf(error)).toEqual(['input.when']);
      expect(error.message).toBe("input.when: URL cannot equal both '/a' and '/b'");
      expect(() => validateRule(advancedInput({ when: when(twoUrls, 'ANY') }))).not.toThrow();
    });

    it('allows EQUALS twice when both can hold: the same value, two items in a basket, two properties', () => {
      expect(() =>
        validateRule(
          advancedInput({
            kind: 'PURCHASE',
            when: when([
              { field: 'ITEM_ID', operator: 'EQUALS', value: 'sku-1' },
              { field: 'ITEM_ID', operator: 'EQUALS', value: 'sku-2' },
              { field: 'PROPERTY', operator: 'EQUALS', value: 'EUR', property: 'currency' },
              { field: 'PROPERTY', operator: 'EQUALS', value: 'web', property: 'channel' },
              { field: 'CAMPAIGN_ID', operator: 'EQUALS', value: 'c1' },
              { field: 'CAMPAIGN_ID', operator: 'EQUALS', value: 'c1' },
            ]),
          }),
        ),
      ).not.toThrow();
    });

    it('names the property when two EQUALS on one property contradict', () => {
      const error = rejectionOf(
        advancedInput({
          when: when([
            { field: 'PROPERTY', operator: 'EQUALS', value: 'pro', property: 'plan' },
            { field: 'PROPERTY', operator: 'EQUALS', value: 'free', property: 'plan' },
          ]),
        }),
      );
      expect(error.message).toBe("input.when: PROPERTY plan cannot equal both 'pro' and 'free'");
    });

    it('refuses a SOURCE that is not a variant of the kind (or of any kind)', () => {
      const error = rejectionOf(
        advancedInput({ when: when([{ field: 'SOURCE', operator: 'EQUALS', value: 'MAILING' }]) }),
      );
      expect(pathsOf(error)).toEqual(['input.when.predicates[0].value']);
      expect(error.message).toBe(
        "input.when.predicates[0].value: 'MAILING' is not a source; expected one of DIRECT, AD, SEARCH_ENGINE, SOCIAL, REFERRAL, EMAIL",
      );
      const anyKind = (value: string) =>
        advancedInput({ kind: null, when: when([{ field: 'SOURCE', operator: 'EQUALS', value }]) });
      expect(() => validateRule(anyKind('MAILING'))).not.toThrow();
      expect(fieldsOf(anyKind('TV'))).toEqual(['input.when.predicates[0].value']);
    });

    describe('patterns (MATCHES)', () => {
      const matching = (value: string) => advancedInput({ when: when([{ field: 'URL', operator: 'MATCHES', value }]) });

      it('refuses a pattern that is not RE2 syntax, saying what is wrong', () => {
        const error = rejectionOf(matching('/pricing('));
        expect(pathsOf(error)).toEqual(['input.when.predicates[0].value']);
        expect(error.message).toBe(
          'input.when.predicates[0].value: not valid RE2 syntax (missing closing ): /pricing()',
        );
      });

      it.each([
        ['^/pricing(?=/team)', 'lookahead (?=…)'],
        ['^/pricing(?!/free)', 'negative lookahead (?!…)'],
        ['(?<=/shop)/pricing', 'lookbehind (?<=…)'],
        ['(?<!/old)/pricing', 'negative lookbehind (?<!…)'],
        ['^/(en|es)/\\1/', 'backreference \\1'],
        ['^/(?<lang>en|es)/\\k<lang>/', 'backreference \\k<…>'],
      ])('refuses %s, naming the field and why', (value, feature) => {
        const error = rejectionOf(matching(value));
        expect(pathsOf(error)).toEqual(['input.when.predicates[0].value']);
        expect(error.message).toBe(
          `input.when.predicates[0].value: ${feature} is not supported: rules use RE2 syntax, which guarantees linear-time matching`,
        );
      });

      // A backtracking engine runs these for seconds to hours on 8 KiB (domain/patterns.test.ts
      // matches each one); RE2 runs them in linear time, so they are fine.
      it.each([
        '^.*.*.*.*x$',
        '(a+)+$',
        '(a|aa)+$',
        '(a|a?)+$',
        '(.*a){12}',
        '(x|x)*y',
        '(\\w+\\s?)*$',
        '^(([a-z])+.)+[A-Z]([a-z])+$',
      ])('accepts %s, which would freeze a backtracking engine', (value) => {
        expect(validateRule(matching(value)).condition?.predicates[0]?.value).toBe(value);
      });

      it.each([
        '^/pricing(/.*)?$',
        '^https?://(www\\.)?example\\.com/',
        '(\\.(jpg|png))+$',
        '^/(en|es|fr)/blog',
        '^/(?P<lang>en|es)/',
      ])('accepts %s', (value) => {
        expect(validateRule(matching(value)).condition?.predicates[0]?.value).toBe(value);
      });

      it(`refuses a pattern longer than ${RULE_LIMITS.patternLength} characters`, () => {
        const error = rejectionOf(matching('a'.repeat(RULE_LIMITS.patternLength + 1)));
        expect(pathsOf(error)).toEqual(['input.when.predicates[0].value']);
        expect(error.message).toBe(
          `input.when.predicates[0].value: a pattern is at most ${RULE_LIMITS.patternLength} characters`,
        );
        expect(() => validateRule(matching('a'.repeat(RULE_LIMITS.patternLength)))).not.toThrow();
      });

      it('does not check patterns of other operators', () => {
        expect(() =>
          validateRule(advancedInput({ when: when([{ field: 'URL', operator: 'CONTAINS', value: '(a+)+(' }]) })),
        ).not.toThrow();
      });
    });
  });

  describe('limits on the work one interaction may cause', () => {
    const url = (value: string): PredicateInput => ({ field: 'URL', operator: 'CONTAINS', value });

    it(`refuses more than ${RULE_LIMITS.predicatesPerRule} predicates`, () => {
      const predicates = (n: number) => Array.from({ length: n }, (_, i) => url(`/p${i}`));
      const error = rejectionOf(advancedInput({ when: when(predicates(RULE_LIMITS.predicatesPerRule + 1), 'ANY') }));
      expect(pathsOf(error)).toEqual(['input.when.predicates']);
      expect(error.message).toBe(`input.when.predicates: at most ${RULE_LIMITS.predicatesPerRule} predicates per rule`);
      expect(() =>
        validateRule(advancedInput({ when: when(predicates(RULE_LIMITS.predicatesPerRule), 'ANY') })),
      ).not.toThrow();
    });

    it(`refuses an EQUALS or CONTAINS value longer than ${RULE_LIMITS.valueLength} characters`, () => {
      const error = rejectionOf(advancedInput({ when: when([url('x'.repeat(RULE_LIMITS.valueLength + 1))]) }));
      expect(pathsOf(error)).toEqual(['input.when.predicates[0].value']);
      expect(error.message).toBe(
        `input.when.predicates[0].value: a value is at most ${RULE_LIMITS.valueLength} characters`,
      );
      expect(() =>
        validateRule(advancedInput({ when: when([url('x'.repeat(RULE_LIMITS.valueLength))]) })),
      ).not.toThrow();
    });

    it(`refuses a property path longer than ${RULE_LIMITS.propertyLength} characters`, () => {
      const property = (length: number) => `a.${'b'.repeat(length - 2)}`;
      const on = (length: number) =>
        advancedInput({
          when: when([{ field: 'PROPERTY', operator: 'EQUALS', value: 'x', property: property(length) }]),
        });
      const error = rejectionOf(on(RULE_LIMITS.propertyLength + 1));
      expect(pathsOf(error)).toEqual(['input.when.predicates[0].property']);
      expect(error.message).toBe(
        `input.when.predicates[0].property: a property path is at most ${RULE_LIMITS.propertyLength} characters`,
      );
      expect(() => validateRule(on(RULE_LIMITS.propertyLength))).not.toThrow();
    });
  });

  describe('effect', () => {
    it('refuses an effect that changes no score', () => {
      const error = rejectionOf(advancedInput({ effect: { general: 0, stage: 0, tags: [{ tag: 'vip', points: 0 }] } }));
      expect(pathsOf(error)).toEqual(['input.effect']);
      expect(error.message).toBe(
        'input.effect: the rule changes no score: give general, stage or tag points other than 0',
      );
      expect(fieldsOf(advancedInput({ effect: null }))).toEqual(['input.effect']);
    });

    it('accepts an effect on the stage or a tag alone', () => {
      expect(validateRule(advancedInput({ effect: { stage: -2 } })).effect).toEqual({
        general: 0,
        stage: -2,
        tags: [],
      });
      expect(validateRule(advancedInput({ effect: { tags: [{ tag: 'churn risk', points: 4 }] } })).effect).toEqual({
        general: 0,
        stage: 0,
        tags: [{ tag: 'churn risk', points: 4 }],
      });
    });

    it.each(['', '   ', '#vip', '-vip', 'x'.repeat(65)])('refuses the tag name %j', (tag) => {
      const error = rejectionOf(advancedInput({ effect: { tags: [{ tag, points: 1 }] } }));
      expect(pathsOf(error)).toContain('input.effect.tags[0].tag');
      expect(error.message).toContain('input.effect.tags[0].tag: a tag is 1–64 letters, digits, spaces or _ : / -');
    });

    it.each(['vip', 'Zürich', 'segment:b2b', 'plan/pro', 'x'.repeat(64)])('accepts the tag name %j', (tag) => {
      expect(validateRule(advancedInput({ effect: { tags: [{ tag, points: 1 }] } })).effect.tags).toEqual([
        { tag, points: 1 },
      ]);
    });

    it('refuses a tag twice (after trimming) and more than 10 tags', () => {
      const error = rejectionOf(
        advancedInput({
          effect: {
            tags: [
              { tag: 'vip', points: 1 },
              { tag: ' vip ', points: 2 },
            ],
          },
        }),
      );
      expect(pathsOf(error)).toEqual(['input.effect.tags']);
      expect(error.message).toBe('input.effect.tags: a tag appears twice');
      const eleven = Array.from({ length: 11 }, (_, i) => ({ tag: `t${i}`, points: 1 }));
      expect(rejectionOf(advancedInput({ effect: { tags: eleven } })).message).toBe(
        `input.effect.tags: at most ${RULE_LIMITS.tagsPerRule} tags per rule`,
      );
    });

    it('refuses tag, general and stage points beyond the limit', () => {
      expect(
        fieldsOf(
          advancedInput({
            effect: {
              general: RULE_LIMITS.points + 1,
              stage: -RULE_LIMITS.points - 1,
              tags: [{ tag: 'a', points: Infinity }],
            },
          }),
        ),
      ).toEqual(['input.effect.tags[0].points', 'input.effect.general', 'input.effect.stage', 'input.effect']);
    });
  });

  it.each([0, -5, Number.NaN, Infinity])('refuses a cap of %d points', (points) => {
    const error = rejectionOf(advancedInput({ cap: { points, period: 'DAY' } }));
    expect(pathsOf(error)).toEqual(['input.cap.points']);
    expect(error.message).toBe('input.cap.points: a cap is a number of points above 0');
  });

  it('refuses a validity window that ends before or when it starts', () => {
    const at = new Date('2024-03-01T00:00:00Z');
    const same = rejectionOf(advancedInput({ validFrom: at, validUntil: new Date(at) }));
    expect(pathsOf(same)).toEqual(['input.validUntil']);
    expect(same.message).toBe('input.validUntil: must be after validFrom');
    expect(fieldsOf(advancedInput({ validFrom: at, validUntil: new Date('2024-02-01T00:00:00Z') }))).toEqual([
      'input.validUntil',
    ]);
    expect(() =>
      validateRule(advancedInput({ validFrom: at, validUntil: new Date('2024-03-01T00:00:00.001Z') })),
    ).not.toThrow();
  });

  it.each([1001, -1001, 1.5])('refuses priority %d', (priority) => {
    const error = rejectionOf(advancedInput({ priority }));
    expect(pathsOf(error)).toEqual(['input.priority']);
    expect(error.message).toBe('input.priority: an integer between -1000 and 1000');
  });

  it.each([1000, -1000, 0])('accepts priority %d', (priority) => {
    expect(validateRule(advancedInput({ priority })).priority).toBe(priority);
  });
});

describe('validateRule: reporting', () => {
  it('reports every problem at once in extensions.fields, each with its path and message', () => {
    // Given a rule wrong in four places
    const input = advancedInput({
      kind: 'PURCHASE',
      when: when([
        { field: 'SEARCH_PHRASE', operator: 'CONTAINS', value: 'boots' },
        { field: 'AMOUNT', operator: 'GTE' },
      ]),
      effect: { general: 0 },
      priority: 5000,
    });

    // When it is validated
    const error = rejectionOf(input);

    // Then each problem is named, in the order of the form
    expect(pathsOf(error)).toEqual([
      'input.when.predicates[0].field',
      'input.when.predicates[1].amount',
      'input.effect',
      'input.priority',
    ]);
    expect(error.message.match(/(^|; )input\.[^:]+: /g)).toHaveLength(4);
    const fields = error.extensions['fields'] as { path: string; message: string }[];
    expect(error.message).toBe(fields.map((field) => `${field.path}: ${field.message}`).join('; '));
  });

  it('prefixes the fields with where the rule sits in the input', () => {
    const error = rejectionOf(generalInput({ points: null }), 'input.rules[2]');
    expect(pathsOf(error)).toEqual(['input.rules[2].points']);
    expect(error.message).toBe('input.rules[2].points: a GENERAL rule needs points');
  });
});
