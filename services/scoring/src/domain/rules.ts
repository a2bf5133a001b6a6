// Scoring rules as plain data, and what they give one interaction: general rules
// (points per kind and variant) and advanced rules (a condition on the interaction's
// kind and properties, an effect on the general, tag and stage scores, a cap per
// period, a validity window, a priority). Pure: the consumer and recompute share it.
import type { InteractionKind } from '@cei/contracts';
import { patternMatches, rulePatternProgramSize } from './patterns';
import { RULE_LIMITS, withinLimits } from './rule-limits';

export type RuleType = 'GENERAL' | 'ADVANCED';
export type PredicateField =
  | 'URL'
  | 'REFERRER_SOURCE'
  | 'SOURCE'
  | 'EMAIL_ID'
  | 'CAMPAIGN_ID'
  | 'ITEM_ID'
  | 'SEARCH_PHRASE'
  | 'AMOUNT'
  | 'PROPERTY';
export type PredicateOperator = 'EQUALS' | 'CONTAINS' | 'MATCHES' | 'GTE' | 'LTE';
export type CapPeriod = 'DAY' | 'WEEK' | 'EVER';

export interface Predicate {
  field: PredicateField;
  operator: PredicateOperator;
  /** Text to compare (string fields and PROPERTY). */
  value: string | null;
  /** Number to compare (AMOUNT). */
  amount: number | null;
  /** PROPERTY only: the property's name (a dotted path reaches into objects). */
  property: string | null;
}

export interface Condition {
  match: 'ALL' | 'ANY';
  predicates: Predicate[];
}

export interface TagPoints {
  tag: string;
  points: number;
}

export interface Effect {
  general: number;
  stage: number;
  tags: TagPoints[];
}

export interface Cap {
  points: number;
  period: CapPeriod;
}

export interface ScoringRule {
  ruleId: string;
  type: RuleType;
  name: string | null;
  /** GENERAL: the kind scored. ADVANCED: the kind the condition requires (null: any kind). */
  kind: InteractionKind | null;
  /** GENERAL only: the variant scored (null: every variant without a rule of its own). */
  variant: string | null;
  condition: Condition | null;
  effect: Effect;
  cap: Cap | null;
  validFrom: Date | null;
  validUntil: Date | null;
  enabled: boolean;
  /** ADVANCED: higher first. */
  priority: number;
  /** ADVANCED: when it matches, lower-priority advanced rules are skipped for this interaction. */
  exclusive: boolean;
}

export interface RuleInteraction {
  interactionId: string;
  kind: string;
  variant: string | null;
  occurredAt: string;
  properties: Record<string, unknown>;
}

/** What one rule gives one interaction: explicit points per score (0 where none). */
export interface RuleGrant {
  ruleId: string;
  general: number;
  stage: number;
  tags: TagPoints[];
}

/** Points an advanced rule has given a contact in the current period, per score. */
export interface CapUsage {
  period: string;
  used: Record<string, number>;
}
export type CapLedger = Record<string, CapUsage>;

/** Where each field is read from on an interaction. */
export function fieldValues(field: PredicateField, interaction: RuleInteraction, property: string | null): unknown[] {
  const p = interaction.properties;
  switch (field) {
    case 'URL':
      return [p['url']];
    case 'REFERRER_SOURCE':
      return [p['referrer']];
    case 'SOURCE':
      return [interaction.variant];
    case 'EMAIL_ID':
      return [p['emailId']];
    case 'CAMPAIGN_ID':
      return [p['campaignId']];
    case 'SEARCH_PHRASE':
      return [p['searchPhrase']];
    case 'AMOUNT':
      return [p['amount']];
    case 'ITEM_ID': {
      // The first items of a basket only: each one is compared with every ITEM_ID predicate.
      const items = Array.isArray(p['items']) ? p['items'].slice(0, RULE_LIMITS.itemsCompared) : [];
      return [p['itemId'], ...items.map((item) => (isRecord(item) ? item['id'] : item))];
    }
    case 'PROPERTY':
      return [readPath(p, property ?? '')];
  }
}

export function predicateHolds(predicate: Predicate, interaction: RuleInteraction): boolean {
  const value = predicate.value ?? '';
  const lowerValue = predicate.operator === 'CONTAINS' ? value.toLowerCase() : value;
  return fieldValues(predicate.field, interaction, predicate.property).some((raw) => {
    if (predicate.field === 'AMOUNT') {
      if (typeof raw !== 'number' || predicate.amount === null) return false;
      if (predicate.operator === 'GTE') return raw >= predicate.amount;
      if (predicate.operator === 'LTE') return raw <= predicate.amount;
      return raw === predicate.amount;
    }
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') return false;
    const text = String(raw);
    if (predicate.operator === 'EQUALS') return text === value;
    if (predicate.operator === 'CONTAINS') return text.toLowerCase().includes(lowerValue);
    if (predicate.operator === 'MATCHES') return patternMatches(value, text);
    return false;
  });
}

export function ruleMatches(rule: ScoringRule, interaction: RuleInteraction): boolean {
  if (rule.kind !== null && rule.kind !== interaction.kind) return false;
  const at = Date.parse(interaction.occurredAt);
  if (rule.validFrom && at < rule.validFrom.getTime()) return false;
  if (rule.validUntil && at >= rule.validUntil.getTime()) return false;
  const predicates = rule.condition?.predicates ?? [];
  if (predicates.length === 0) return true;
  return rule.condition!.match === 'ALL'
    ? predicates.every((p) => predicateHolds(p, interaction))
    : predicates.some((p) => predicateHolds(p, interaction));
}

/** The general rule that scores this interaction: its exact variant's, else its kind's. */
export function generalRuleFor(rules: readonly ScoringRule[], interaction: RuleInteraction): ScoringRule | null {
  let fallback: ScoringRule | null = null;
  for (const rule of rules) {
    if (rule.type !== 'GENERAL' || !rule.enabled || rule.kind !== interaction.kind) continue;
    if (rule.variant !== null && rule.variant === interaction.variant) return rule;
    if (rule.variant === null) fallback = rule;
  }
  return fallback;
}

/** The period an interaction's time falls in, for caps: UTC day, ISO week (Monday) or ever. */
export function capPeriodOf(period: CapPeriod, occurredAt: string): string {
  if (period === 'EVER') return 'ever';
  const day = new Date(occurredAt);
  if (period === 'WEEK') day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

/**
 * What the rules give one interaction, in order: its general rule, then the
 * advanced rules that match by priority (an exclusive one stops the rest), each
 * limited by its cap (at most N points per score per period). Only rules within
 * RULE_LIMITS are evaluated. Returns the grants and the caps' usage after them.
 */
export function grantsFor(
  rules: readonly ScoringRule[],
  interaction: RuleInteraction,
  caps: CapLedger,
): { grants: RuleGrant[]; caps: CapLedger } {
  const grants: RuleGrant[] = [];
  let ledger = caps;
  const general = generalRuleFor(rules, interaction);
  if (general && general.effect.general !== 0) {
    grants.push({ ruleId: general.ruleId, general: general.effect.general, stage: 0, tags: [] });
  }
  // Beyond the limits (a rule saved before them, two admins racing past the count),
  // the rules of highest priority are the ones evaluated.
  const advanced = withinPatternBudget(
    rules
      .filter((r) => r.type === 'ADVANCED' && r.enabled && withinLimits(r))
      .sort((a, b) => b.priority - a.priority || a.ruleId.localeCompare(b.ruleId))
      .slice(0, RULE_LIMITS.enabledAdvancedRules),
  );
  for (const rule of advanced) {
    if (!ruleMatches(rule, interaction)) continue;
    const { effect, cap } = rule;
    if (cap) {
      const period = capPeriodOf(cap.period, interaction.occurredAt);
      const used = ledger[rule.ruleId]?.period === period ? { ...ledger[rule.ruleId]!.used } : {};
      const limit = (key: string, points: number) => {
        const granted = Math.sign(points) * Math.min(Math.abs(points), Math.max(cap.points - (used[key] ?? 0), 0));
        used[key] = (used[key] ?? 0) + Math.abs(granted);
        return granted;
      };
      const grant: RuleGrant = {
        ruleId: rule.ruleId,
        general: limit('GENERAL', effect.general),
        stage: limit('STAGE', effect.stage),
        tags: effect.tags.map((t) => ({ tag: t.tag, points: limit(`TAG:${t.tag}`, t.points) })).filter((t) => t.points),
      };
      ledger = { ...ledger, [rule.ruleId]: { period, used } };
      // A rule whose cap is used up gives nothing, and so does not stop the rules after it.
      if (grant.general === 0 && grant.stage === 0 && grant.tags.length === 0) continue;
      grants.push(grant);
    } else {
      grants.push({ ruleId: rule.ruleId, general: effect.general, stage: effect.stage, tags: effect.tags });
    }
    if (rule.exclusive) break;
  }
  return { grants, caps: ledger };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readPath(source: Record<string, unknown>, path: string): unknown {
  let value: unknown = source;
  for (const key of path.split('.')) {
    if (!isRecord(value)) return undefined;
    value = value[key];
  }
  return value;
}

/** The rules, in priority order, whose MATCHES patterns fit the workspace's pattern budget together. */
function withinPatternBudget(rules: ScoringRule[]): ScoringRule[] {
  let budget = RULE_LIMITS.patternProgramBudget;
  return rules.filter((rule) => {
    const size = rulePatternProgramSize(rule);
    if (size > budget) return false;
    budget -= size;
    return true;
  });
}
