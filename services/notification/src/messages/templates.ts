// Message templates: Liquid (liquidjs), sandboxed. No file system (an empty in-memory
// template map: `include`/`render`/`layout` find nothing), unknown filters are errors,
// only own properties of the contact view are visible, and parse size, render time,
// memory (which bounds loops: every iteration allocates) and output length are capped.
import { Liquid } from 'liquidjs';
import type { FieldProblem } from '@cei/contracts';

/** The longest template source accepted (characters). */
export const MAX_TEMPLATE_LENGTH = 10_000;
/** The longest rendered output (characters); longer is an error of the field, not a truncation. */
export const MAX_OUTPUT_LENGTH = 20_000;

const engine = new Liquid({
  templates: {},
  relativeReference: false,
  strictFilters: true,
  strictVariables: false,
  ownPropertyOnly: true,
  parseLimit: MAX_TEMPLATE_LENGTH,
  renderLimit: 1_000,
  memoryLimit: 1_000_000,
  cache: false,
});

/** What a template sees of the contact (see README: where each field comes from). */
export interface ContactView {
  id: string;
  name: string | null;
  email: string | null;
  phase: string | null;
  qualification: string | null;
  score: number | null;
  /** Highest first, at most 5: `{ name, score }`. */
  topTags: { name: string; score: number }[];
  /** name and email: the owner's record as lifecycle published it (null when unknown). */
  owner: { id: string; name?: string | null; email?: string | null } | null;
  likelihoods: { churn: number; purchase: number } | null;
}

export interface TemplateFields {
  [field: string]: string | null | undefined;
}

export type RenderResult = { ok: true; values: Record<string, string> } | { ok: false; problems: FieldProblem[] };

/** Parses every template (path → source); the problems name each field that does not parse. */
export function checkTemplates(fields: Record<string, string | null | undefined>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const [path, source] of Object.entries(fields)) {
    if (source == null) continue;
    if (source.length > MAX_TEMPLATE_LENGTH) {
      problems.push({ path, message: `longer than ${MAX_TEMPLATE_LENGTH} characters` });
      continue;
    }
    try {
      engine.parse(source);
    } catch (err) {
      problems.push({ path, message: `template does not parse: ${(err as Error).message}` });
    }
  }
  return problems;
}

/** Renders every template against the contact; any failure is reported by its field, none rendered. */
export async function renderTemplates(
  fields: Record<string, string | null | undefined>,
  contact: ContactView,
): Promise<RenderResult> {
  const problems = checkTemplates(fields);
  if (problems.length) return { ok: false, problems };
  const values: Record<string, string> = {};
  const scope = { contact: toPlain(contact) };
  for (const [path, source] of Object.entries(fields)) {
    if (source == null) continue;
    try {
      const out = await engine.parseAndRender(source, scope);
      if (out.length > MAX_OUTPUT_LENGTH) {
        problems.push({ path, message: `renders longer than ${MAX_OUTPUT_LENGTH} characters` });
      } else values[path] = out;
    } catch (err) {
      problems.push({ path, message: `template does not render: ${(err as Error).message}` });
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, values };
}

// A plain JSON copy: nothing reachable but data (no prototypes, no functions).
function toPlain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
