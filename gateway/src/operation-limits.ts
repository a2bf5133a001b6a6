// How much one operation may ask of the graph, checked before anything is planned —
// over HTTP, /collect and graphql-ws alike: tokens (before parsing), then depth, cost,
// aliases and directives (as validation rules). Each refusal has its own code. Cost,
// aliases, directives and tokens are graphql-armor's (escape.tech); depth is ours.
import { GraphQLError, type DocumentNode, type ValidationContext, type ValidationRule } from 'graphql';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import { ERRORS, type ErrorCodeDefinition } from '@cei/contracts';
import { depthLimitRule } from './depth-limit';

export interface OperationLimits {
  maxDepth: number;
  /** graphql-armor's cost: objects 2, scalars 1, ×1.5 per level, × a literal `first`/`last`. */
  maxCost: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
}

/**
 * graphql-armor reports "Syntax Error: <limit> exceeded, found <n>." without a code;
 * this reports the same finding under our code, with what to do about it.
 */
function refusal(definition: ErrorCodeDefinition, advice: string, extensions: Record<string, unknown>) {
  return (context: ValidationContext | null, found: GraphQLError): void => {
    const error = definition.err(`${found.message.replace(/^Syntax Error: /, '')} ${advice}`, { extensions });
    if (context) context.reportError(error);
    else throw error;
  };
}

/** The validation rules beside graphql's own: depth, cost, aliases, directives. */
export function limitRules(limits: OperationLimits): ValidationRule[] {
  const { maxCost, maxAliases, maxDirectives } = limits;
  return [
    depthLimitRule(limits.maxDepth),
    costLimitRule({
      maxCost,
      propagateOnRejection: false,
      onReject: [
        refusal(ERRORS.QUERY_TOO_COMPLEX, 'Select fewer fields or smaller pages, or split the operation.', { maxCost }),
      ],
    }),
    maxAliasesRule({
      n: maxAliases,
      propagateOnRejection: false,
      onReject: [refusal(ERRORS.TOO_MANY_ALIASES, 'Use fewer aliases or split the operation.', { maxAliases })],
    }),
    maxDirectivesRule({
      n: maxDirectives,
      propagateOnRejection: false,
      onReject: [refusal(ERRORS.TOO_MANY_DIRECTIVES, 'Use fewer directives.', { maxDirectives })],
    }),
  ];
}

/**
 * Parses `query`, refusing it with TOO_MANY_TOKENS as soon as it has more than
 * `maxTokens` tokens (before the rest is read). Syntax errors throw as graphql's do.
 */
export function parseWithinLimits(query: string, maxTokens: number): DocumentNode {
  const parser = new MaxTokensParserWLexer(query, {
    n: maxTokens,
    propagateOnRejection: false,
    onReject: [refusal(ERRORS.TOO_MANY_TOKENS, 'Send long lists as variables, or split the operation.', { maxTokens })],
  });
  return parser.parseDocument();
}

/** The TOO_MANY_TOKENS refusal of a query string, if any (its syntax errors are left to the server). */
export function tokenLimitRefusal(query: unknown, maxTokens: number): GraphQLError | undefined {
  if (typeof query !== 'string') return undefined;
  try {
    parseWithinLimits(query, maxTokens);
    return undefined;
  } catch (err) {
    return err instanceof GraphQLError && err.extensions.code === ERRORS.TOO_MANY_TOKENS.code ? err : undefined;
  }
}
