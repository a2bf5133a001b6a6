// Validates a rule as an admin wrote it and turns it into the rule the engine runs.
// Every problem names its field (`input.when.predicates[1].value: ...`), and all of
// them are reported at once so a form can mark each one.
import {
  invalidFields,
  CONTACT_EVENT_KINDS,
  INTERACTION_KINDS,
  KIND_VARIANTS,
  type FieldProblem,
  type InteractionKind,
} from '@cei/contracts';
import type {
  CapPeriod,
  Predicate,
  PredicateField,
  PredicateOperator,
  RuleType,
  ScoringRule,
  TagPoints,
} from '../domain/rules';
import { patternProblem } from '../domain/patterns';
import { RULE_LIMITS } from '../domain/rule-limits';

export interface PredicateInput {
  field: PredicateField;
  operator: PredicateOperator;
  value?: string | null;
  amount?: number | null;
  property?: string | null;
}

/** A rule as the GraphQL input carries it (create: all of it; update: the fields to change). */
export interface ScoringRuleInput {
  type?: RuleType | null;
  name?: string | null;
  kind?: InteractionKind | null;
  variant?: string | null;
  points?: number | null;
  when?: { match?: 'ALL' | 'ANY' | null; predicates: PredicateInput[] } | null;
  effect?: { general?: number | null; stage?: number | null; tags?: TagPoints[] | null } | null;
  cap?: { points: number; period: CapPeriod } | null;
  validFrom?: Date | null;
  validUntil?: Date | null;
  enabled?: boolean | null;
  priority?: number | null;
  exclusive?: boolean | null;
}

export type ValidRule = Omit<ScoringRule, 'ruleId'>;

/** Which kinds carry each field: a predicate on a field its kind never has can never match. */
const FIELD_KINDS: Partial<Record<PredicateField, readonly InteractionKind[]>> = {
  URL: ['PAGE_VISIT', 'LINK_CLICK', 'EMAIL_CLICK'],
  REFERRER_SOURCE: ['PAGE_VISIT'],
  SOURCE: ['PAGE_VISIT', 'EMAIL_OPEN', 'EMAIL_CLICK'],
  EMAIL_ID: ['EMAIL_OPEN', 'EMAIL_CLICK'],
  SEARCH_PHRASE: ['PAGE_VISIT'],
  ITEM_ID: ['PURCHASE', 'ABANDONED_CART', 'PAGE_VISIT', 'STORE_VISIT'],
  AMOUNT: ['PURCHASE', 'ABANDONED_CART', 'SUBSCRIPTION_STARTED', 'SUBSCRIPTION_RENEWED'],
};

const OPERATORS: Record<PredicateField, readonly PredicateOperator[]> = {
  URL: ['EQUALS', 'CONTAINS', 'MATCHES'],
  REFERRER_SOURCE: ['EQUALS', 'CONTAINS', 'MATCHES'],
  SOURCE: ['EQUALS'],
  EMAIL_ID: ['EQUALS', 'CONTAINS', 'MATCHES'],
  CAMPAIGN_ID: ['EQUALS', 'CONTAINS', 'MATCHES'],
  ITEM_ID: ['EQUALS', 'CONTAINS', 'MATCHES'],
  SEARCH_PHRASE: ['EQUALS', 'CONTAINS', 'MATCHES'],
  AMOUNT: ['GTE', 'LTE', 'EQUALS'],
  PROPERTY: ['EQUALS'],
};

const TAG_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} _:/-]{0,63}$/u;
const PROPERTY_PATTERN = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

class Problems {
  readonly list: FieldProblem[] = [];
  add(path: string, message: string) {
    this.list.push({ path, message });
  }
  throwIfAny() {
    if (this.list.length > 0) throw invalidFields(this.list);
  }
}

function checkPoints(problems: Problems, field: string, points: number | null | undefined): number {
  if (points == null) return 0;
  if (!Number.isFinite(points) || Math.abs(points) > RULE_LIMITS.points) {
    problems.add(field, `must be a finite number between -${RULE_LIMITS.points} and ${RULE_LIMITS.points}`);
    return 0;
  }
  return points;
}

/** The rule an input describes, or a BAD_USER_INPUT error naming every wrong field. */
export function validateRule(input: ScoringRuleInput, at = 'input'): ValidRule {
  const problems = new Problems();
  const type: RuleType = input.type ?? 'GENERAL';
  const kind = input.kind ?? null;
  if (kind !== null && !(INTERACTION_KINDS as readonly string[]).includes(kind)) {
    problems.add(`${at}.kind`, `unknown kind '${kind}'; expected one of ${INTERACTION_KINDS.join(', ')}`);
  } else if (kind !== null && CONTACT_EVENT_KINDS.has(kind)) {
    problems.add(`${at}.kind`, `${kind} says who the contact is, not how they engage: no rule scores it`);
  }
  const name = input.name?.trim() || null;
  if (name && name.length > RULE_LIMITS.nameLength) {
    problems.add(`${at}.name`, `at most ${RULE_LIMITS.nameLength} characters`);
  }
  const rule: ValidRule = {
    type,
    name,
    kind,
    variant: null,
    condition: null,
    effect: { general: 0, stage: 0, tags: [] },
    cap: null,
    validFrom: null,
    validUntil: null,
    enabled: input.enabled ?? true,
    priority: 0,
    exclusive: false,
  };

  if (type === 'GENERAL') {
    for (const field of ['when', 'effect', 'cap', 'validFrom', 'validUntil', 'exclusive'] as const) {
      // `exclusive: false` is what a form sends by default: only a true value is a mistake.
      if (input[field] != null && input[field] !== false)
        problems.add(`${at}.${field}`, `only ADVANCED rules have ${field}; set type: ADVANCED`);
    }
    if (kind === null) problems.add(`${at}.kind`, 'a GENERAL rule scores one kind: give the kind');
    const variant = input.variant ?? null;
    const allowed = kind ? KIND_VARIANTS[kind] : undefined;
    if (variant !== null && kind !== null && !allowed?.includes(variant)) {
      problems.add(
        `${at}.variant`,
        allowed
          ? `'${variant}' is not a variant of ${kind}; expected one of ${allowed.join(', ')}`
          : `${kind} has no variants; leave variant out`,
      );
    }
    if (input.points == null) problems.add(`${at}.points`, 'a GENERAL rule needs points');
    const points = checkPoints(problems, `${at}.points`, input.points);
    // Zero on a variant is meaningful (this source earns nothing although the kind does).
    if (input.points === 0 && variant === null) {
      problems.add(`${at}.points`, 'a rule giving 0 points has no effect; delete the rule instead');
    }
    rule.variant = variant;
    rule.effect = { general: points, stage: 0, tags: [] };
    rule.priority = input.priority ?? 0;
    problems.throwIfAny();
    return rule;
  }

  if (input.variant != null) {
    problems.add(`${at}.variant`, 'ADVANCED rules match a variant with a SOURCE predicate');
  }
  if (input.points != null) problems.add(`${at}.points`, 'ADVANCED rules give points through effect.general');
  const predicates = (input.when?.predicates ?? []).map((p, i) =>
    checkPredicate(problems, `${at}.when.predicates[${i}]`, p, kind),
  );
  if (predicates.length > RULE_LIMITS.predicatesPerRule) {
    problems.add(`${at}.when.predicates`, `at most ${RULE_LIMITS.predicatesPerRule} predicates per rule`);
  }
  const match = input.when?.match ?? 'ALL';
  if (predicates.length === 0 && kind === null) {
    problems.add(`${at}.when`, 'an ADVANCED rule needs a kind or at least one predicate, or it matches everything');
  }
  if (match === 'ALL') checkContradictions(problems, `${at}.when`, predicates);
  rule.condition = predicates.length > 0 ? { match, predicates } : null;

  const effect = input.effect ?? {};
  const tags = (effect.tags ?? []).map((t, i) => {
    const tag = t.tag.trim();
    if (!TAG_PATTERN.test(tag)) {
      problems.add(`${at}.effect.tags[${i}].tag`, 'a tag is 1–64 letters, digits, spaces or _ : / -');
    }
    return { tag, points: checkPoints(problems, `${at}.effect.tags[${i}].points`, t.points) };
  });
  if (tags.length > RULE_LIMITS.tagsPerRule) {
    problems.add(`${at}.effect.tags`, `at most ${RULE_LIMITS.tagsPerRule} tags per rule`);
  }
  if (new Set(tags.map((t) => t.tag)).size !== tags.length) problems.add(`${at}.effect.tags`, 'a tag appears twice');
  rule.effect = {
    general: checkPoints(problems, `${at}.effect.general`, effect.general),
    stage: checkPoints(problems, `${at}.effect.stage`, effect.stage),
    tags: tags.filter((t) => t.points !== 0),
  };
  if (rule.effect.general === 0 && rule.effect.stage === 0 && rule.effect.tags.length === 0) {
    problems.add(`${at}.effect`, 'the rule changes no score: give general, stage or tag points other than 0');
  }

  if (input.cap) {
    if (!(input.cap.points > 0) || !Number.isFinite(input.cap.points)) {
      problems.add(`${at}.cap.points`, 'a cap is a number of points above 0');
    }
    rule.cap = { points: input.cap.points, period: input.cap.period };
  }
  rule.validFrom = input.validFrom ?? null;
  rule.validUntil = input.validUntil ?? null;
  if (rule.validFrom && rule.validUntil && rule.validFrom >= rule.validUntil) {
    problems.add(`${at}.validUntil`, 'must be after validFrom');
  }
  const priority = input.priority ?? 0;
  if (!Number.isInteger(priority) || Math.abs(priority) > RULE_LIMITS.priority) {
    problems.add(`${at}.priority`, `an integer between -${RULE_LIMITS.priority} and ${RULE_LIMITS.priority}`);
  }
  rule.priority = priority;
  rule.exclusive = input.exclusive ?? false;
  problems.throwIfAny();
  return rule;
}

function checkPredicate(
  problems: Problems,
  at: string,
  input: PredicateInput,
  kind: InteractionKind | null,
): Predicate {
  const { field, operator } = input;
  const carriers = FIELD_KINDS[field];
  if (kind !== null && carriers && !carriers.includes(kind)) {
    problems.add(`${at}.field`, `${kind} interactions never have ${field}; it is on ${carriers.join(', ')}`);
  }
  if (!OPERATORS[field].includes(operator)) {
    problems.add(`${at}.operator`, `${field} cannot be compared with ${operator}; use ${OPERATORS[field].join(', ')}`);
  }
  const predicate: Predicate = { field, operator, value: null, amount: null, property: null };
  if (field === 'AMOUNT') {
    if (input.amount == null || !Number.isFinite(input.amount))
      problems.add(`${at}.amount`, 'AMOUNT compares a number: give amount');
    else predicate.amount = input.amount;
    if (input.value != null) problems.add(`${at}.value`, 'AMOUNT compares amount, not value');
    return predicate;
  }
  if (input.amount != null) problems.add(`${at}.amount`, `${field} compares text: give value, not amount`);
  const value = input.value ?? '';
  if (value === '') problems.add(`${at}.value`, `${field} ${operator} needs a value to compare with`);
  predicate.value = value;
  if (field === 'PROPERTY') {
    if (!input.property || !PROPERTY_PATTERN.test(input.property)) {
      problems.add(`${at}.property`, 'PROPERTY needs the property name (letters, digits, _; dots reach into objects)');
    } else if (input.property.length > RULE_LIMITS.propertyLength) {
      problems.add(`${at}.property`, `a property path is at most ${RULE_LIMITS.propertyLength} characters`);
    }
    predicate.property = input.property ?? null;
  } else if (input.property != null) {
    problems.add(`${at}.property`, 'only PROPERTY predicates name a property');
  }
  if (field === 'SOURCE' && value !== '') {
    const variants = kind ? (KIND_VARIANTS[kind] ?? []) : Object.values(KIND_VARIANTS).flat();
    if (!variants.includes(value))
      problems.add(`${at}.value`, `'${value}' is not a source; expected one of ${[...new Set(variants)].join(', ')}`);
  }
  if (operator === 'MATCHES' && value !== '') checkPattern(problems, `${at}.value`, value);
  else if (value.length > RULE_LIMITS.valueLength) {
    problems.add(`${at}.value`, `a value is at most ${RULE_LIMITS.valueLength} characters`);
  }
  return predicate;
}

function checkPattern(problems: Problems, at: string, pattern: string): void {
  if (pattern.length > RULE_LIMITS.patternLength) {
    problems.add(at, `a pattern is at most ${RULE_LIMITS.patternLength} characters`);
    return;
  }
  const problem = patternProblem(pattern);
  if (problem) problems.add(at, problem);
}

/** Under ALL, predicates that cannot hold together make a rule that never matches. */
function checkContradictions(problems: Problems, at: string, predicates: Predicate[]): void {
  const amounts = predicates.filter((p) => p.field === 'AMOUNT' && p.amount !== null);
  const low = Math.max(...amounts.filter((p) => p.operator !== 'LTE').map((p) => p.amount!), -Infinity);
  const high = Math.min(...amounts.filter((p) => p.operator !== 'GTE').map((p) => p.amount!), Infinity);
  if (low > high) problems.add(at, `no amount is at least ${low} and at most ${high}: the rule could never match`);
  const equals = new Map<string, string>();
  for (const p of predicates) {
    // ITEM_ID may hold several values at once (a basket), so two EQUALS can both hold.
    if (p.operator !== 'EQUALS' || p.field === 'AMOUNT' || p.field === 'ITEM_ID') continue;
    const key = `${p.field}:${p.property ?? ''}`;
    const seen = equals.get(key);
    if (seen !== undefined && seen !== p.value) {
      problems.add(at, `${p.field}${p.property ? ` ${p.property}` : ''} cannot equal both '${seen}' and '${p.value}'`);
    }
    equals.set(key, p.value ?? '');
  }
}
