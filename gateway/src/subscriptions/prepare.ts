// What graphql-ws and SSE share for one operation: parse within the limits, validate
// against the API schema, plan a subscription and open it on the hub (a resume's replay
// window is checked here, so a refusal is an `error`, not a stream), or hand a query or
// mutation over to run as over HTTP. Refusals are GraphQL errors with codes.
import {
  GraphQLError,
  getOperationAST,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { ERRORS, isErrorCode, type CallerContext } from '@cei/contracts';
import type { Logger } from '@cei/config';
import { limitRules, parseWithinLimits, type OperationLimits } from '../operation-limits';
import { SubscribeError, type SubscriptionHub, type SubscriptionResult } from './hub';
import type { ResultSink } from './delivery-queue';
import { PlanError, planSubscription } from './plan';

export interface OperationRequest {
  query: string;
  variables: Record<string, unknown>;
  operationName?: string;
}

export type PreparedOperation =
  | {
      kind: 'subscription';
      caller: CallerContext;
      document: DocumentNode;
      stream: AsyncGenerator<SubscriptionResult, undefined, unknown>;
    }
  | { kind: 'operation'; caller: CallerContext; document: DocumentNode; request: OperationRequest };

export interface PrepareDeps {
  limits: OperationLimits;
  hub: SubscriptionHub;
  log: Logger;
}

export function validationRulesFor(limits: OperationLimits): ValidationRule[] {
  return [...specifiedRules, ...limitRules(limits)];
}

export async function prepareOperation(
  deps: PrepareDeps & { rules: readonly ValidationRule[] },
  schema: GraphQLSchema,
  caller: CallerContext,
  payload: { query: string; variables?: Record<string, unknown> | null; operationName?: string | null },
  /** Called when the subscriber reads too slowly and was closed (the transport closes with its code). */
  onOverflow: () => void,
  /** Where a subscription's results are pushed, if its transport takes them that way (hub.ts SubscribeOptions). */
  sink?: ResultSink<SubscriptionResult>,
): Promise<PreparedOperation | GraphQLError[]> {
  let document: DocumentNode;
  try {
    document = parseWithinLimits(payload.query, deps.limits.maxTokens);
  } catch (err) {
    if (err instanceof GraphQLError && isErrorCode(err.extensions.code)) return [err];
    // graphql's syntax errors describe the client's document, so they are safe to show.
    return [badInput(err instanceof GraphQLError ? err.message : 'the query does not parse')];
  }
  const invalid = validate(schema, document, deps.rules);
  if (invalid.length > 0) {
    // Our limits carry their own codes; graphql's own rules are BAD_USER_INPUT, as over HTTP.
    return invalid.map((error) => (isErrorCode(error.extensions.code) ? error : badInput(error.message)));
  }
  const operation = getOperationAST(document, payload.operationName ?? undefined);
  if (!operation) return [badInput('name the operation to run in operationName')];
  const variables = payload.variables ?? {};
  if (operation.operation !== 'subscription') {
    const request = { query: payload.query, variables, operationName: payload.operationName ?? undefined };
    return { kind: 'operation', caller, document, request };
  }
  let plan;
  try {
    plan = planSubscription({ schema, document, operationName: payload.operationName, variables });
  } catch (err) {
    if (err instanceof PlanError) return [badInput(err.message)];
    throw err;
  }
  try {
    const stream = await deps.hub.subscribe(caller, plan, { onOverflow, ...(sink ? { sink } : {}) });
    deps.log.info(
      { workspaceId: caller.workspaceId, traceId: caller.traceId, source: plan.source, after: plan.after },
      'subscription started',
    );
    return { kind: 'subscription', caller, document, stream };
  } catch (err) {
    if (err instanceof SubscribeError) return [ERRORS[err.code].err(err.message)];
    throw err;
  }
}

function badInput(message: string): GraphQLError {
  return ERRORS.BAD_USER_INPUT.err(message);
}
