import { ApolloGateway } from '@apollo/gateway';
import { buildSchema, getOperationAST, parse, validate } from 'graphql';
import { coerceVariablesOnce, useSubgraphScalarParsers, variableProblems } from './input-values';

const schema = buildSchema(`
  scalar DateTime
  scalar JSON
  enum Kind { PURCHASE PAGE_VISIT }
  input RuleInput { kind: Kind! validFrom: DateTime tags: [String!] }
  input Item { id: ID! kind: Kind! properties: JSON }
  type Query { ok: Boolean }
  type Mutation { create(input: RuleInput!): Boolean track(items: [Item!]!): Boolean }
`);
useSubgraphScalarParsers(schema);

function problems(query: string, variables: Record<string, unknown>) {
  const operation = getOperationAST(parse(query))!;
  return variableProblems(schema, operation, variables);
}

const CREATE = 'mutation($input: RuleInput!) { create(input: $input) }';
const TRACK = 'mutation($items: [Item!]!) { track(items: $items) }';

describe('variableProblems', () => {
  it('accepts values that fit their types', () => {
    expect(problems(CREATE, { input: { kind: 'PURCHASE', validFrom: '2026-01-01T00:00:00Z' } })).toEqual([]);
  });

  it('names every wrong value with its path, the DateTime by the subgraphs’ own parser', () => {
    expect(problems(CREATE, { input: { kind: 'FAX', validFrom: 'next tuesday', tags: ['a', 3] } })).toEqual([
      { path: 'input.kind', message: 'Value "FAX" does not exist in "Kind" enum.' },
      {
        path: 'input.validFrom',
        message: 'Expected type "DateTime". DateTime must be an ISO-8601 string such as 2026-11-23T10:00:00Z',
      },
      { path: 'input.tags[1]', message: 'String cannot represent a non string value: 3' },
    ]);
  });

  it('points into lists of inputs', () => {
    expect(problems(TRACK, { items: [{ id: 'a', kind: 'PURCHASE' }, { id: 'b' }] })).toEqual([
      { path: 'items[1]', message: 'Field "kind" of required type "Kind!" was not provided.' },
    ]);
  });

  it('names a required variable that was not sent', () => {
    expect(problems(CREATE, {})).toEqual([{ path: 'input', message: 'required: a value of type RuleInput!' }]);
  });
});

describe('useSubgraphScalarParsers', () => {
  it('makes validation refuse a DateTime literal the subgraph would refuse', () => {
    const errors = validate(schema, parse('mutation { create(input: { kind: PURCHASE, validFrom: "soon" }) }'));

    expect(errors.map((error) => error.message)).toEqual([
      'Expected value of type "DateTime", found "soon"; DateTime must be an ISO-8601 string such as 2026-11-23T10:00:00Z',
    ]);
  });
});

describe('coerceVariablesOnce', () => {
  it('turns off the second pass of the stock gateway, which this @apollo/gateway still makes', () => {
    const stock = ApolloGateway.prototype as unknown as Record<string, unknown>;
    expect(typeof stock.validateIncomingRequest).toBe('function');

    const gateway = coerceVariablesOnce(new ApolloGateway({ supergraphSdl: 'unused until load()' }));

    const patched = gateway as unknown as { validateIncomingRequest(): unknown[] };
    expect(patched.validateIncomingRequest()).toEqual([]);
    expect(stock.validateIncomingRequest).not.toBe(patched.validateIncomingRequest);
  });
});
