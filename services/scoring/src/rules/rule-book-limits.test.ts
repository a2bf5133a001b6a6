// The rule book against a real MongoDB-compatible server: the per-workspace limits that
// bound the work of one interaction are enforced when a rule is created or changed.
import { GraphQLError } from 'graphql';
import { connectDatabase, type Database } from '@cei/mongo';
import { testNamespace, testWorkspace } from '@cei/testing';
import { rulePatternProgramSize } from '../domain/patterns';
import { RULE_LIMITS } from '../domain/rule-limits';
import { scoringModels, type ScoringModels, type ScoringRuleDoc } from '../models';
import { createRuleBook, type RuleBook } from './rule-book';
import type { ScoringRuleInput } from './validate-rule';

const advanced = (enabled = true): ScoringRuleInput => ({
  type: 'ADVANCED',
  kind: 'PAGE_VISIT',
  effect: { general: 1 },
  enabled,
});

/** An advanced rule as stored, for the rules a workspace holds already. */
function storedRule(workspaceId: string, ruleId: string, enabled: boolean): ScoringRuleDoc {
  const at = new Date();
  return {
    _id: `${workspaceId}:${ruleId}`,
    workspaceId,
    ruleId,
    revision: 1,
    createdAt: at,
    updatedAt: at,
    type: 'ADVANCED',
    name: null,
    kind: 'PAGE_VISIT',
    variant: null,
    condition: null,
    effect: { general: 1, stage: 0, tags: [] },
    cap: null,
    validFrom: null,
    validUntil: null,
    enabled,
    priority: 0,
    exclusive: false,
  };
}

async function refusal(attempt: Promise<unknown>): Promise<GraphQLError> {
  const error = await attempt.then(
    () => {
      throw new Error('expected the rule book to refuse');
    },
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(GraphQLError);
  expect((error as GraphQLError).extensions['code']).toBe('BAD_USER_INPUT');
  return error as GraphQLError;
}

describe('rule book: per-workspace limits', () => {
  let db: Database;
  let models: ScoringModels;
  let book: RuleBook;
  beforeAll(async () => {
    db = await connectDatabase(process.env['MONGO_URL']!, testNamespace('rulelimits'));
    models = scoringModels(db.connection);
    await models.ScoringRule.init();
    await models.RuleAudit.init();
    book = createRuleBook(models);
  });
  afterAll(() => db?.close());

  /** A workspace holding `enabled` enabled and `disabled` disabled advanced rules. */
  async function workspaceWith(enabled: number, disabled = 0): Promise<string> {
    const ws = testWorkspace();
    await models.ScoringRule.insertMany([
      ...Array.from({ length: enabled }, (_, i) => storedRule(ws, `on-${i}`, true)),
      ...Array.from({ length: disabled }, (_, i) => storedRule(ws, `off-${i}`, false)),
    ]);
    return ws;
  }

  it(`refuses the enabled advanced rule past ${RULE_LIMITS.enabledAdvancedRules}, and takes it disabled`, async () => {
    const ws = await workspaceWith(RULE_LIMITS.enabledAdvancedRules - 1);
    await book.create(ws, advanced(), 'admin');

    const error = await refusal(book.create(ws, advanced(), 'admin'));
    expect(error.message).toBe(
      `input.enabled: a workspace has at most ${RULE_LIMITS.enabledAdvancedRules} enabled advanced rules ` +
        '(each interaction is evaluated against all of them); disable or delete one first, or save this one disabled',
    );
    const disabled = await book.create(ws, advanced(false), 'admin');
    expect(disabled.enabled).toBe(false);
    // Another workspace has limits of its own.
    await expect(book.create(await workspaceWith(0), advanced(), 'admin')).resolves.toMatchObject({ enabled: true });
  });

  it('refuses enabling a rule at the limit, and allows it once another is disabled', async () => {
    const ws = await workspaceWith(RULE_LIMITS.enabledAdvancedRules, 1);
    const refused = await refusal(book.update(ws, 'off-0', { enabled: true }, 'admin'));
    expect(refused.message).toMatch(/^input\.enabled: a workspace has at most /);
    // A rule that is evaluated already may still change.
    await expect(book.update(ws, 'on-0', { priority: 5 }, 'admin')).resolves.toMatchObject({ priority: 5 });

    await book.update(ws, 'on-1', { enabled: false }, 'admin');
    await expect(book.update(ws, 'off-0', { enabled: true }, 'admin')).resolves.toMatchObject({ enabled: true });
  });

  it(`refuses the rule past ${RULE_LIMITS.rules}, enabled or not`, async () => {
    const ws = await workspaceWith(0, RULE_LIMITS.rules - 1);
    await book.create(ws, advanced(false), 'admin');

    const error = await refusal(book.create(ws, advanced(false), 'admin'));
    expect(error.message).toBe(`input: a workspace keeps at most ${RULE_LIMITS.rules} rules; delete one first`);
    await book.remove(ws, 'off-0', 'admin');
    await expect(book.create(ws, advanced(false), 'admin')).resolves.toMatchObject({ enabled: false });
  });

  it(`refuses MATCHES patterns past the workspace budget of ${RULE_LIMITS.patternProgramBudget} instructions`, async () => {
    // Ten predicates of one pattern each: /pNxI/.{0,50}x.{50}y compiles to 160 instructions,
    // so a rule takes 1,600: two fit the budget and the third does not.
    const heavy = (n: number, repeat = 50): ScoringRuleInput => ({
      ...advanced(),
      when: {
        match: 'ANY',
        predicates: Array.from({ length: 10 }, (_, i) => ({
          field: 'URL' as const,
          operator: 'MATCHES' as const,
          value: `/p${n}x${i}/.{0,${repeat}}x.{${repeat}}y`,
        })),
      },
    });
    const ws = await workspaceWith(0);
    const first = await book.create(ws, heavy(1), 'admin');
    const size = rulePatternProgramSize(first);
    expect(size * 2).toBeLessThanOrEqual(RULE_LIMITS.patternProgramBudget);
    expect(size * 3).toBeGreaterThan(RULE_LIMITS.patternProgramBudget);
    await book.create(ws, heavy(2), 'admin');

    const error = await refusal(book.create(ws, heavy(3), 'admin'));
    expect(error.message).toBe(
      `input.when.predicates: the MATCHES patterns of a workspace's enabled rules compile to at most ` +
        `${RULE_LIMITS.patternProgramBudget} instructions together (each interaction runs them all); this rule's take ` +
        `${size} and the others' ${2 * size}: simplify a pattern, use CONTAINS or EQUALS, or disable a rule first`,
    );
    // Saved disabled it costs nothing; enabling it is refused the same way.
    const parked = await book.create(ws, { ...heavy(3), enabled: false }, 'admin');
    expect((await refusal(book.update(ws, parked.ruleId, { enabled: true }, 'admin'))).message).toMatch(
      /^input\.when\.predicates: the MATCHES patterns /,
    );
    // A rule evaluated already may change its patterns within the budget, but not grow past it
    // (ten of 244 instructions with the other rule's 1,600 are 4,040).
    await expect(book.update(ws, first.ruleId, { when: heavy(9).when }, 'admin')).resolves.toMatchObject({
      enabled: true,
    });
    expect((await refusal(book.update(ws, first.ruleId, { when: heavy(9, 78).when }, 'admin'))).message).toMatch(
      /^input\.when\.predicates: the MATCHES patterns /,
    );
  });
});
