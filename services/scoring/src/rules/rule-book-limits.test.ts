// The rule book against a real MongoDB-compatible server: the per-workspace limits that
// bound the work of one interaction are enforced when a rule is created or changed.
import { GraphQLError } from 'graphql';
import { connectDatabase, type Database } from '@cei/mongo';
import { testNamespace, testWorkspace } from '@cei/testing';
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
});
