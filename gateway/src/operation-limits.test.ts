import { buildSchema, GraphQLError, parse, specifiedRules, validate } from 'graphql';
import { limitRules, parseWithinLimits, tokenLimitRefusal, type OperationLimits } from './operation-limits';

const schema = buildSchema(`
  type Contact { id: ID! email: String score: Score! history(first: Int): [Entry!]! }
  type Score { general: Float! stage: Float! }
  type Entry { at: String! points: Float! }
  type Query { contact(id: ID!): Contact }
`);

const roomy: OperationLimits = { maxDepth: 10, maxCost: 1000, maxAliases: 5, maxDirectives: 5, maxTokens: 200 };

function errorsOf(query: string, limits: Partial<OperationLimits> = {}) {
  return validate(schema, parse(query), [...specifiedRules, ...limitRules({ ...roomy, ...limits })]);
}

const aliased = (n: number) =>
  `{ ${Array.from({ length: n }, (_, i) => `c${i}: contact(id: "${i}") { id }`).join(' ')} }`;

describe('limitRules', () => {
  it('accepts an operation within every limit', () => {
    expect(errorsOf('{ contact(id: "a") { id score { general } history(first: 3) { at } } }')).toEqual([]);
  });

  it('refuses more aliases than allowed with TOO_MANY_ALIASES, naming the limit and the count', () => {
    expect(errorsOf(aliased(5))).toEqual([]);

    const errors = errorsOf(aliased(6));

    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toBe('Aliases limit of 5 exceeded, found 6. Use fewer aliases or split the operation.');
    expect(errors[0]!.extensions).toEqual({ code: 'TOO_MANY_ALIASES', maxAliases: 5 });
  });

  it('counts the aliases inside fragments', () => {
    const query = `{ a: contact(id: "a") { ...Card } } fragment Card on Contact { x: id y: email z: score { general } }`;

    expect(errorsOf(query, { maxAliases: 4 })).toEqual([]);
    expect(errorsOf(query, { maxAliases: 3 })[0]!.extensions).toEqual({ code: 'TOO_MANY_ALIASES', maxAliases: 3 });
  });

  it('refuses an operation that costs more than allowed with QUERY_TOO_COMPLEX', () => {
    // contact (object 2) + 1.5 × (id 1 + 1.5 × … ): a literal `first` multiplies its subtree.
    const cheap = '{ contact(id: "a") { history(first: 10) { at points } } }';
    const dear = '{ contact(id: "a") { history(first: 100) { at points } } }';

    expect(errorsOf(cheap, { maxCost: 200 })).toEqual([]);
    const errors = errorsOf(dear, { maxCost: 200 });

    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(
      /^Query Cost limit of 200 exceeded, found [\d.]+\. Select fewer fields or smaller pages, or split the operation\.$/,
    );
    expect(errors[0]!.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', maxCost: 200 });
  });

  it('counts a fragment each time it is spread, so fragments cannot multiply work for free', () => {
    const spreads = (n: number) =>
      `{ contact(id: "a") { ${'...S '.repeat(n)} } } fragment S on Contact { score { general stage } }`;

    expect(errorsOf(spreads(1), { maxCost: 30 })).toEqual([]);
    expect(errorsOf(spreads(4), { maxCost: 30 })[0]!.extensions?.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('refuses more directives than allowed with TOO_MANY_DIRECTIVES', () => {
    const query = (n: number) =>
      `{ contact(id: "a") { ${Array.from({ length: n }, (_, i) => `f${i}: id @include(if: true)`).join(' ')} } }`;

    expect(errorsOf(query(2), { maxDirectives: 2 })).toEqual([]);
    const errors = errorsOf(query(3), { maxDirectives: 2 });

    expect(errors.map((error) => error.extensions)).toEqual([{ code: 'TOO_MANY_DIRECTIVES', maxDirectives: 2 }]);
    expect(errors[0]!.message).toBe('Directives limit of 2 exceeded, found 3. Use fewer directives.');
  });

  it('keeps the depth limit with its own code', () => {
    const errors = errorsOf('{ contact(id: "a") { score { general } } }', { maxDepth: 2 });

    expect(errors.map((error) => error.extensions?.code)).toEqual(['QUERY_TOO_DEEP']);
  });
});

describe('parseWithinLimits', () => {
  it('parses a document within the token limit', () => {
    // { contact ( id : "a" ) { id } } is 11 tokens.
    expect(parseWithinLimits('{ contact(id: "a") { id } }', 11).definitions).toHaveLength(1);
  });

  it('refuses a longer document with TOO_MANY_TOKENS before reading the rest', () => {
    let refusal: unknown;
    try {
      // The document breaks off after the limit: the refusal comes first, not a syntax error.
      parseWithinLimits('{ contact(id: "a") { id } } {{{{', 11);
    } catch (err) {
      refusal = err;
    }

    expect(refusal).toBeInstanceOf(GraphQLError);
    expect((refusal as GraphQLError).extensions).toEqual({ code: 'TOO_MANY_TOKENS', maxTokens: 11 });
    expect((refusal as GraphQLError).message).toBe(
      'Token limit of 11 exceeded. Send long lists as variables, or split the operation.',
    );
  });

  it('leaves syntax errors to graphql', () => {
    expect(() => parseWithinLimits('{ contact(', 100)).toThrow(/Syntax Error: Expected Name, found <EOF>/);
  });
});

describe('tokenLimitRefusal', () => {
  it('answers the refusal only for a document over the limit', () => {
    expect(tokenLimitRefusal('{ contact(id: "a") { id } }', 11)).toBeUndefined();
    expect(tokenLimitRefusal('{ contact(id: "a") { id email } }', 11)?.extensions.code).toBe('TOO_MANY_TOKENS');
    // Not a query string, or not GraphQL at all: the server's own checks answer those.
    expect(tokenLimitRefusal(undefined, 10)).toBeUndefined();
    expect(tokenLimitRefusal('{ contact(', 10)).toBeUndefined();
  });
});
