import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { depthLimitRule } from './depth-limit';

const schema = buildSchema(`
  type Contact { id: ID! phaseHistory: [PhaseTransition!]! }
  type PhaseTransition { id: ID! contact: Contact! }
  type Query { contact(id: ID!): Contact }
`);

function errorsAt(limit: number, query: string) {
  return validate(schema, parse(query), [...specifiedRules, depthLimitRule(limit)]);
}

describe('depthLimitRule', () => {
  it('accepts an operation exactly at the limit', () => {
    // contact(1) > phaseHistory(2) > contact(3) > id(4)
    expect(errorsAt(4, '{ contact(id: "c") { phaseHistory { contact { id } } } }')).toEqual([]);
  });

  it('rejects an operation one level deeper, naming the limit and the depth found', () => {
    const errors = errorsAt(3, 'query Card { contact(id: "c") { phaseHistory { contact { id } } } }');

    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/operation Card is nested 4 levels deep; the limit is 3/);
    expect(errors[0]!.extensions).toEqual({ code: 'QUERY_TOO_DEEP', maxDepth: 3, depth: 4 });
  });

  it('counts the fields that fragments spread, but not the fragments themselves', () => {
    const query = `
      { contact(id: "c") { ...History } }
      fragment History on Contact { phaseHistory { ... on PhaseTransition { contact { ...Leaf } } } }
      fragment Leaf on Contact { id }
    `;

    expect(errorsAt(4, query)).toEqual([]);
    expect(errorsAt(3, query)[0]!.extensions).toMatchObject({ depth: 4 });
  });

  it('counts introspection like any other selection', () => {
    const errors = errorsAt(3, '{ __schema { types { fields { type { name } } } } }');

    expect(errors[0]!.extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', depth: 5 });
  });

  it('does not loop on fragment cycles (graphql reports those itself)', () => {
    const errors = errorsAt(
      10,
      `
      { contact(id: "c") { ...A } }
      fragment A on Contact { phaseHistory { contact { ...A } } }
    `,
    );

    expect(errors.map((error) => error.message).join()).toMatch(/Cannot spread fragment "A" within itself/);
  });
});
