import { buildSchema, parse, printSchema, validate, type GraphQLSchema } from 'graphql';
import { planSubscription, PlanError, type PlanInput } from './plan';
import { testApiSchema } from './test-schema';

const schema: GraphQLSchema = testApiSchema;

function plan(query: string, variables?: Record<string, unknown>, operationName?: string) {
  const document = parse(query);
  const errors = validate(schema, document);
  if (errors.length > 0) throw new Error(`test query is invalid: ${errors.map((e) => e.message).join('; ')}`);
  const input: PlanInput = { schema, document, variables, operationName };
  return planSubscription(input);
}

/** Compares query text without caring about whitespace. */
const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('planSubscription', () => {
  it('turns the root field into a query by event id with the same selection', () => {
    const result = plan('subscription { phaseChanged { from to contact { email score { general } } } }');

    expect(result.source).toBe('phaseChanged');
    expect(result.responseKey).toBe('phaseChanged');
    expect(result.arguments).toEqual({});
    expect(result.variables).toEqual({});
    expect(squash(result.query)).toBe(
      squash(`query CEI_SubscriptionEvent($__eventId: ID!) {
        phaseTransition(id: $__eventId) { from to contact { email score { general } } }
      }`),
    );
    expect(validate(schema, parse(result.query))).toEqual([]);
  });

  it('keeps the alias as the response key, and the event query without one', () => {
    const result = plan('subscription Watch { changes: phaseChanged { to } }');

    expect(result.responseKey).toBe('changes');
    expect(result.payloadKey).toBe('phaseTransition');
    expect(squash(result.query)).toContain('{ phaseTransition(id: $__eventId) { to } }');
  });

  it('carries the fragments the selection uses, and only those', () => {
    const result = plan(`
      subscription { phaseChanged { ...Transition ... on PhaseTransition { reason } } }
      fragment Transition on PhaseTransition { to contact { ...Card } }
      fragment Card on Contact { email score { general } }
    `);

    expect(result.query).toContain('fragment Transition on PhaseTransition');
    expect(result.query).toContain('fragment Card on Contact');
    expect(result.query).toContain('... on PhaseTransition');
    expect(validate(schema, parse(result.query))).toEqual([]);
  });

  it('finds the root field behind a fragment on Subscription and drops that fragment', () => {
    const result = plan(`
      subscription { ...Root }
      fragment Root on Subscription { phaseChanged { to } }
    `);

    expect(result.responseKey).toBe('phaseChanged');
    expect(result.query).not.toContain('fragment Root');
    expect(validate(schema, parse(result.query))).toEqual([]);
  });

  it('evaluates the filter with variables and keeps only the variables the selection uses', () => {
    const result = plan(
      `subscription Hot($phases: [Phase!], $withEmail: Boolean!) {
        phaseChanged(filter: { phases: $phases, contactIds: ["c-1"] }) { to contact { email @include(if: $withEmail) } }
      }`,
      { phases: ['PURCHASE', 'EXIT'], withEmail: true },
    );

    expect(result.arguments).toEqual({ filter: { phases: ['PURCHASE', 'EXIT'], contactIds: ['c-1'] } });
    expect(result.variables).toEqual({ withEmail: true });
    expect(result.query).toContain('query CEI_SubscriptionEvent($__eventId: ID!, $withEmail: Boolean!)');
    expect(result.query).not.toContain('$phases');
    expect(validate(schema, parse(result.query))).toEqual([]);
  });

  it('evaluates a literal filter with enum values', () => {
    const result = plan('subscription { phaseChanged(filter: { phases: [EXIT] }) { id } }');

    expect(result.arguments).toEqual({ filter: { phases: ['EXIT'] } });
  });

  it('picks the named operation from a document with several', () => {
    const result = plan(
      'subscription A { phaseChanged { id } } subscription B { b: phaseChanged { to } }',
      undefined,
      'B',
    );

    expect(result.responseKey).toBe('b');
  });

  it('merges selections of the same root field', () => {
    const result = plan('subscription { phaseChanged { id } ... on Subscription { phaseChanged { to } } }');

    expect(squash(result.query)).toContain('{ phaseTransition(id: $__eventId) { id to } }');
  });

  it('rejects more than one root field, naming them', () => {
    const document = parse('subscription { a: phaseChanged { id } b: phaseChanged { to } }');

    expect(() => planSubscription({ schema, document })).toThrow(PlanError);
    expect(() => planSubscription({ schema, document })).toThrow(/exactly one root field.*\(a, b\)/);
  });

  it('rejects variables that do not coerce', () => {
    expect(() =>
      plan('subscription ($phases: [Phase!]) { phaseChanged(filter: { phases: $phases }) { id } }', {
        phases: ['SOON'],
      }),
    ).toThrow(/SOON/);
  });

  it('rejects an empty filter list that would never match', () => {
    expect(() => plan('subscription { phaseChanged(filter: { contactIds: [] }) { id } }')).toThrow(
      /filter.contactIds is empty/,
    );
  });

  it('rejects a root field whose payload the graph cannot look up by id', () => {
    // A schema with Subscription.scoreChanged but no Query.scoreChange.
    const schema = buildSchema(printSchema(testApiSchema).replace(/\n\s*scoreChange\(id: ID!\): ScoreChange/, ''));
    expect(schema.getQueryType()!.getFields()['scoreChange']).toBeUndefined();
    expect(() => planSubscription({ schema, document: parse('subscription { scoreChanged { id } }') })).toThrow(
      /needs Query.scoreChange\(id: ID!\)/,
    );
  });

  it('takes after as a resume position, and refuses what is not an event id', () => {
    expect(plan('subscription { phaseChanged(after: "42") { id } }').after).toBe(42);
    // A later event of a message that carries several: 1/1024 apart
    expect(plan('subscription { phaseChanged(after: "42.0029296875") { id } }').after).toBe(42 + 3 / 1024);
    expect(() => plan('subscription { phaseChanged(after: "42.5001") { id } }')).toThrow(/is not an event id/);
    expect(plan('subscription { phaseChanged { id } }').after).toBeNull();
    expect(() => plan('subscription { phaseChanged(after: "t-1") { id } }')).toThrow(
      /phaseChanged\(after: "t-1"\) is not an event id/,
    );
  });

  it('rejects the reserved $__eventId variable', () => {
    expect(() =>
      plan('subscription ($__eventId: ID!) { phaseChanged(filter: { contactIds: [$__eventId] }) { id } }', {
        __eventId: 'x',
      }),
    ).toThrow(/reserved/);
  });

  it('rejects operations that are not subscriptions', () => {
    expect(() => plan('query { contact(id: "c") { id } }')).toThrow(/query operations are not subscriptions/);
  });
});
