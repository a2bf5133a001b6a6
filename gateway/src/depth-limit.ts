// Rejects operations nested deeper than a limit before anything is planned: a deep
// query fans out into entity fetches across every subgraph, so depth is where cost
// hides. Fragments count as the fields they spread; introspection counts too.
import {
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { ERRORS } from '@cei/contracts';

/**
 * Depth of a selection set: `{ contact { score { general } } }` is 3. Inline
 * fragments and spreads add no level of their own.
 */
export function selectionDepth(
  selectionSet: SelectionSetNode | undefined,
  fragment: (name: string) => FragmentDefinitionNode | undefined,
  visiting: Set<string> = new Set(),
): number {
  if (!selectionSet) return 0;
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    let depth = 0;
    if (selection.kind === Kind.FIELD) {
      depth = 1 + selectionDepth(selection.selectionSet, fragment, visiting);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      depth = selectionDepth(selection.selectionSet, fragment, visiting);
    } else {
      const name = selection.name.value;
      // A fragment cycle is reported by graphql's own NoFragmentCycles rule; only avoid looping here.
      const definition = visiting.has(name) ? undefined : fragment(name);
      if (definition) {
        visiting.add(name);
        depth = selectionDepth(definition.selectionSet, fragment, visiting);
        visiting.delete(name);
      }
    }
    deepest = Math.max(deepest, depth);
  }
  return deepest;
}

export function operationDepth(
  operation: OperationDefinitionNode,
  fragment: (name: string) => FragmentDefinitionNode | undefined,
): number {
  return selectionDepth(operation.selectionSet, fragment);
}

export function depthLimitRule(maxDepth: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const depth = operationDepth(operation, (name) => context.getFragment(name) ?? undefined);
      if (depth > maxDepth) {
        const name = operation.name ? `operation ${operation.name.value}` : 'the operation';
        context.reportError(
          ERRORS.QUERY_TOO_DEEP.err(
            `${name} is nested ${depth} levels deep; the limit is ${maxDepth}: select fewer nested fields or split it into several operations`,
            { nodes: operation, extensions: { maxDepth, depth } },
          ),
        );
      }
    },
  });
}
