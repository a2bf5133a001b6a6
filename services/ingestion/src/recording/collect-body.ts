// The body of POST /collect, in the shapes a sender may choose — a JSON array of interactions,
// {"interactions": [...]}, or JSON lines (Content-Type: application/x-ndjson, one interaction per
// line) — checked against the schema's own InteractionInput, as the graph checks its variables:
// the same coercion, so the same messages, each at its path (`interactions[3].kind`).
import {
  buildASTSchema,
  coerceInputValue,
  GraphQLList,
  GraphQLNonNull,
  isInputObjectType,
  parse,
  type GraphQLError,
  type GraphQLInputType,
} from 'graphql';
import { ERRORS, invalidFields, type FieldProblem } from '@cei/contracts';
import type { InteractionInput } from '../domain/validate-interaction';

/** Content types read as JSON lines; anything else is read as one JSON document. */
export const JSON_LINES_TYPES: readonly string[] = ['application/x-ndjson', 'application/jsonl'];

const SHAPES =
  'send a JSON array of interactions, {"interactions": [...]}, or one interaction per line with Content-Type: application/x-ndjson';

/** `[InteractionInput!]!` of the subgraph's schema.graphql. */
export function interactionListType(schemaSdl: string): GraphQLInputType {
  const type = buildASTSchema(parse(schemaSdl), { assumeValidSDL: true }).getType('InteractionInput');
  if (!isInputObjectType(type)) throw new Error('schema.graphql declares no input InteractionInput');
  return new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(type)));
}

export type CollectItems = { ok: true; interactions: InteractionInput[] } | { ok: false; error: GraphQLError };

export function readCollectItems(
  text: string,
  contentType: string | undefined,
  listType: GraphQLInputType,
): CollectItems {
  const mediaType = contentType?.split(';')[0]!.trim().toLowerCase();
  const items = mediaType && JSON_LINES_TYPES.includes(mediaType) ? fromJsonLines(text) : fromJson(text);
  if (!items.ok) return items;
  const problems: FieldProblem[] = [];
  const coerced = coerceInputValue(items.values, listType, (path, _value, error) => {
    const where = path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`)).join('');
    problems.push({ path: `interactions${where}`, message: error.message });
  }) as InteractionInput[];
  return problems.length > 0 ? { ok: false, error: invalidFields(problems) } : { ok: true, interactions: coerced };
}

type Parsed = { ok: true; values: unknown[] } | { ok: false; error: GraphQLError };

function fromJson(text: string): Parsed {
  if (text.trim() === '') return refuse(`the body is empty: ${SHAPES}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    return refuse(`the body is not valid JSON (${(err as Error).message}): ${SHAPES}`);
  }
  if (Array.isArray(body)) return { ok: true, values: body };
  const interactions =
    typeof body === 'object' && body !== null ? (body as { interactions?: unknown }).interactions : undefined;
  if (Array.isArray(interactions)) return { ok: true, values: interactions };
  return refuse(`the body is JSON but holds no list of interactions: ${SHAPES}`);
}

/** One JSON value per line; blank lines (a trailing newline) are skipped. */
function fromJsonLines(text: string): Parsed {
  const values: unknown[] = [];
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    try {
      values.push(JSON.parse(line));
    } catch (err) {
      return refuse(`line ${i + 1} is not valid JSON (${(err as Error).message}): send one interaction per line`, {
        line: i + 1,
      });
    }
  }
  if (values.length === 0) return refuse(`the body has no lines: ${SHAPES}`);
  return { ok: true, values };
}

function refuse(message: string, extensions?: Record<string, unknown>): { ok: false; error: GraphQLError } {
  return { ok: false, error: ERRORS.BAD_USER_INPUT.err(message, { extensions }) };
}
