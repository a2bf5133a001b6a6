// A contact list's filter, checked field by field (every problem named) and turned into one
// database filter over the lifecycle documents. Each filter field is one clause below, so a new
// one is one more entry.
import {
  INDEX_HALVES,
  QUALIFICATIONS,
  type IndexHalf,
  type Phase,
  type FieldProblem,
  type Qualification,
} from '@cei/contracts';

export interface ContactFilterInput {
  phases?: readonly Phase[] | null;
  half?: IndexHalf | null;
  scoreMin?: number | null;
  scoreMax?: number | null;
  engagementIndexMin?: number | null;
  engagementIndexMax?: number | null;
  tag?: string | null;
  tagScoreMin?: number | null;
  tagScoreMax?: number | null;
  lastInteractionAfter?: Date | null;
  lastInteractionBefore?: Date | null;
  qualifications?: readonly Qualification[] | null;
  ownerId?: string | null;
  owned?: boolean | null;
}

/** The longest owner id a filter may name (as the lead mutations accept). */
export const MAX_OWNER_ID = 256;

export const HALF_PHASES: Record<IndexHalf, readonly Phase[]> = {
  PROSPECT: ['NURTURE', 'PURCHASE'],
  CUSTOMER: ['RETENTION', 'EXIT'],
};

/** A tag as scoring rules name them (letters, digits, space, `_ : / -`): never a path operator. */
const TAG_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} _:/-]{0,63}$/u;

type Condition = Record<string, unknown>;
type Clause = (filter: ContactFilterInput, problems: FieldProblem[]) => Condition | null;

const path = (field: string) => `filter.${field}`;

/** Contacts in one of the phases asked for (a half is its two phases; both given: the phases in both). */
const phaseClause: Clause = ({ phases, half }, problems) => {
  if (phases && phases.length === 0)
    problems.push({ path: path('phases'), message: 'give at least one phase, or leave it out' });
  if (half && !INDEX_HALVES.includes(half))
    problems.push({ path: path('half'), message: `one of ${INDEX_HALVES.join(', ')}` });
  let wanted: readonly Phase[] | null = phases?.length ? [...new Set(phases)] : null;
  if (half && HALF_PHASES[half]) {
    const inHalf = HALF_PHASES[half];
    wanted = wanted ? wanted.filter((p) => inHalf.includes(p)) : inHalf;
    if (wanted.length === 0) {
      problems.push({ path: path('half'), message: `none of filter.phases is in the ${half} half` });
    }
  }
  if (!wanted) return null;
  return wanted.length === 1 ? { phase: wanted[0] } : { phase: { $in: [...wanted] } };
};

/** A number range on a stored field; `bounds` limit what may be asked for. */
function range(
  field: string,
  minField: keyof ContactFilterInput,
  maxField: keyof ContactFilterInput,
  bounds: { min: number; max: number } = { min: -Infinity, max: Infinity },
): Clause {
  return (filter, problems) => {
    const min = filter[minField] as number | null | undefined;
    const max = filter[maxField] as number | null | undefined;
    const count = problems.length;
    for (const [name, value] of [
      [minField, min],
      [maxField, max],
    ] as const) {
      if (value === null || value === undefined) continue;
      if (!Number.isFinite(value) || value < bounds.min || value > bounds.max) {
        problems.push({ path: path(name), message: `a number from ${bounds.min} to ${bounds.max}` });
      }
    }
    if (typeof min === 'number' && typeof max === 'number' && min > max) {
      problems.push({ path: path(maxField), message: `not below filter.${minField} (${min})` });
    }
    if (problems.length > count) return null;
    const condition: Condition = {};
    if (typeof min === 'number') condition.$gte = min;
    if (typeof max === 'number') condition.$lte = max;
    return Object.keys(condition).length > 0 ? { [field]: condition } : null;
  };
}

/** Contacts with a score in the tag, optionally within a range. */
const tagClause: Clause = (filter, problems) => {
  const { tag } = filter;
  if (tag === null || tag === undefined) {
    for (const field of ['tagScoreMin', 'tagScoreMax'] as const) {
      if (filter[field] !== null && filter[field] !== undefined) {
        problems.push({ path: path(field), message: 'needs filter.tag: the tag whose score it bounds' });
      }
    }
    return null;
  }
  if (!TAG_PATTERN.test(tag)) {
    problems.push({
      path: path('tag'),
      message: 'a tag of 1–64 letters, digits, spaces or _ : / - (starting with a letter or digit)',
    });
    return null;
  }
  const scored = range(`tags.${tag}`, 'tagScoreMin', 'tagScoreMax')(filter, problems);
  return scored ?? { [`tags.${tag}`]: { $exists: true } };
};

/** Contacts whose latest interaction occurred after / before the instants given. */
const lastInteractionClause: Clause = ({ lastInteractionAfter: after, lastInteractionBefore: before }, problems) => {
  const count = problems.length;
  for (const [name, value] of [
    ['lastInteractionAfter', after],
    ['lastInteractionBefore', before],
  ] as const) {
    if (value && Number.isNaN(value.getTime())) problems.push({ path: path(name), message: 'an ISO-8601 date-time' });
  }
  if (after && before && after >= before) {
    problems.push({ path: path('lastInteractionBefore'), message: 'later than filter.lastInteractionAfter' });
  }
  if (problems.length > count || (!after && !before)) return null;
  return { lastInteractionAt: { ...(after ? { $gt: after } : {}), ...(before ? { $lt: before } : {}) } };
};

/**
 * Contacts in one of the qualification states asked for. A document written before qualification
 * existed has no such field and is NONE (as the contact card reads it).
 */
const qualificationClause: Clause = ({ qualifications }, problems) => {
  if (!qualifications) return null;
  const bad = qualifications.filter((q) => !QUALIFICATIONS.includes(q));
  if (qualifications.length === 0 || bad.length > 0) {
    problems.push({
      path: path('qualifications'),
      message: `at least one of ${QUALIFICATIONS.join(', ')}, or leave it out`,
    });
    return null;
  }
  const wanted: (Qualification | null)[] = [...new Set(qualifications)];
  if (wanted.includes('NONE')) wanted.push(null);
  return wanted.length === 1 ? { qualification: wanted[0] } : { qualification: { $in: wanted } };
};

/** Contacts of one owner (`ownerId`), or with / without any owner (`owned`); a document with no owner field has none. */
const ownerClause: Clause = ({ ownerId, owned }, problems) => {
  const count = problems.length;
  if (ownerId !== null && ownerId !== undefined && (ownerId.length === 0 || ownerId.length > MAX_OWNER_ID)) {
    problems.push({ path: path('ownerId'), message: `an owner id of 1 to ${MAX_OWNER_ID} characters` });
  }
  if (typeof ownerId === 'string' && owned === false) {
    problems.push({ path: path('owned'), message: 'false contradicts filter.ownerId (contacts of that owner)' });
  }
  if (problems.length > count) return null;
  if (typeof ownerId === 'string') return { ownerId };
  if (owned === true) return { ownerId: { $ne: null } };
  if (owned === false) return { ownerId: null };
  return null;
};

const CLAUSES: Clause[] = [
  phaseClause,
  range('score', 'scoreMin', 'scoreMax'),
  range('engagementIndex', 'engagementIndexMin', 'engagementIndexMax', { min: 0, max: 100 }),
  tagClause,
  lastInteractionClause,
  qualificationClause,
  ownerClause,
];

/** The conditions of `filter` (to AND together), or every problem with it. */
export function filterConditions(
  filter: ContactFilterInput | null | undefined,
): { ok: true; conditions: Condition[] } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const conditions = CLAUSES.flatMap((clause): Condition[] => {
    const condition = clause(filter ?? {}, problems);
    return condition ? [condition] : [];
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, conditions };
}
