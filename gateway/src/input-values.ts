// Input values are checked at the gateway, before anything is planned, so a wrong value
// is the caller's BAD_USER_INPUT (400) naming the field — not a subgraph's 400 to the
// gateway, which the client could only see as an internal error. The supergraph carries
// no scalar implementations, so the gateway gets the subgraphs' own (DateTime, JSON);
// variables are coerced here with the path of every wrong value.
import type { ApolloServerPlugin } from '@apollo/server';
import {
  coerceInputValue,
  isInputType,
  isNonNullType,
  isScalarType,
  typeFromAST,
  type GraphQLSchema,
  type GraphQLScalarType,
  type OperationDefinitionNode,
} from 'graphql';
import { invalidFields, type FieldProblem } from '@cei/contracts';
import { DateTimeScalar, JSONScalar } from '@cei/subgraph';
import type { GatewayContext } from './auth/operation-access';

const SCALARS: readonly GraphQLScalarType[] = [DateTimeScalar, JSONScalar];

/**
 * Gives the API schema's custom scalars the subgraphs' parsers, so validation (literals)
 * and variable coercion refuse what a subgraph would. Results pass through unchanged:
 * subgraphs serialised them already.
 */
export function useSubgraphScalarParsers(schema: GraphQLSchema): void {
  for (const implementation of SCALARS) {
    const type = schema.getType(implementation.name);
    if (!isScalarType(type)) continue;
    type.parseValue = implementation.parseValue;
    type.parseLiteral = implementation.parseLiteral;
  }
}

/** Every wrong variable value, each with its path (`input.validFrom`, `interactions[3].kind`). */
export function variableProblems(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type);
    // An unknown or non-input type is a validation error, reported before this runs.
    if (!type || !isInputType(type)) continue;
    if (!Object.prototype.hasOwnProperty.call(variables, name)) {
      if (isNonNullType(type) && !definition.defaultValue) {
        problems.push({ path: name, message: `required: a value of type ${String(type)}` });
      }
      continue;
    }
    coerceInputValue(variables[name], type, (path, _invalid, error) => {
      const where = path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`)).join('');
      problems.push({ path: `${name}${where}`, message: error.message });
    });
  }
  return problems;
}

/** Refuses a request whose variables do not fit their types, naming each wrong value. */
export const inputValuesPlugin: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, schema, request }) {
        if (!operation) return;
        const problems = variableProblems(schema, operation, request.variables ?? {});
        if (problems.length > 0) throw invalidFields(problems);
      },
    };
  },
};

/**
 * Coerces each request's variables once. The stock gateway walks them again before planning
 * (ApolloGateway's private `validateIncomingRequest`, graphql-js getVariableValues) and can only
 * find what inputValuesPlugin refused already, with paths: for a trackInteractions batch, 500
 * input objects a second time. Every request reaches the executor through that plugin
 * (HTTP, and the subscription hub through apollo.executeOperation). Should a gateway version
 * not have that method, nothing changes and the values are simply checked twice.
 */
export function coerceVariablesOnce<G extends object>(gateway: G): G {
  const prototype = Object.getPrototypeOf(gateway) as Record<string, unknown>;
  if (typeof prototype.validateIncomingRequest === 'function') {
    Object.defineProperty(gateway, 'validateIncomingRequest', { value: () => [] });
  }
  return gateway;
}
