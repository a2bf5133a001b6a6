// Pure lead qualification: which steps a lead may take from where it stands, what
// each leads to, when a score change qualifies it for marketing (MQL) or hands it to
// sales (an owner), and which owner a team's round-robin gives the next lead.
import {
  MAX_ROUTING_VALUE,
  ROUTING_PROPERTIES,
  type AssignmentMethod,
  type FieldProblem,
  type Qualification,
  type QualificationAction,
  type RoutingProperty,
} from '@cei/contracts';

/**
 * Which team takes a lead, when its condition holds (exactly one kind per rule): a tag score of at
 * least `minTagScore`; `highestTag` being the contact's highest tag; or a contact property
 * (country, territory: the latest an interaction gave) being one of `values` (case ignored).
 */
export interface RoutingRule {
  teamId: string;
  tag?: string | null;
  minTagScore?: number | null;
  highestTag?: string | null;
  property?: RoutingProperty | null;
  values?: string[] | null;
}

/** What routing reads about a lead: its tag scores when it crossed, and its latest routing properties. */
export interface LeadFacts {
  tags: Readonly<Record<string, number>>;
  properties: Readonly<Record<string, string>>;
}

/** A workspace's qualification thresholds (null: never automatic) and the team that takes hot leads. */
export interface QualificationPolicy {
  /** NONE or NURTURE → MQL when the general score reaches this from below. */
  marketingQualifiedScore: number | null;
  /** An unowned contact whose general score reaches this from below gets an owner (routingRules, else the fallback team). */
  salesAssignScore: number | null;
  /** In order: the first rule that holds names the team. */
  routingRules: RoutingRule[];
  /** The team whose round-robin takes leads over salesAssignScore. */
  fallbackTeamId: string | null;
}

export const DEFAULT_QUALIFICATION_POLICY: QualificationPolicy = {
  marketingQualifiedScore: 40,
  salesAssignScore: null,
  routingRules: [],
  fallbackTeamId: null,
};

/** The contact's highest tag (ties: the first by name), or null without tags. */
export function highestTag(tags: Readonly<Record<string, number>>): string | null {
  let best: [string, number] | null = null;
  for (const [tag, points] of Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (best === null || points > best[1]) best = [tag, points];
  }
  return best?.[0] ?? null;
}

/** The team of the first routing rule the lead meets, else the fallback team (null: none). */
export function teamFor(policy: QualificationPolicy, lead: LeadFacts): string | null {
  const top = highestTag(lead.tags);
  const holds = (rule: RoutingRule) => {
    if (rule.tag) return (lead.tags[rule.tag] ?? Number.NEGATIVE_INFINITY) >= (rule.minTagScore ?? 0);
    if (rule.highestTag) return top === rule.highestTag;
    if (rule.property) {
      const value = lead.properties[rule.property]?.toLowerCase();
      return value !== undefined && (rule.values ?? []).some((v) => v.toLowerCase() === value);
    }
    return false;
  };
  return policy.routingRules.find(holds)?.teamId ?? policy.fallbackTeamId;
}

/** How many steps and assignments the contact's document keeps (older steps: insert-only records). */
export const SALES_ENTRIES_KEPT = 10;

export interface QualificationStepEntry {
  n: number;
  action: QualificationAction;
  from: Qualification;
  to: Qualification;
  at: Date;
  /** The API key's public id; null for the automatic MQL. */
  actor: string | null;
  reason: string | null;
  /** Scores stream position of the input that made the step (to re-publish on redelivery). */
  seq: number;
}

export interface AssignmentEntry {
  n: number;
  ownerId: string;
  previousOwnerId: string | null;
  teamId: string | null;
  method: AssignmentMethod;
  actor: string | null;
  at: Date;
  seq: number;
}

/** What a contact's lifecycle document keeps of its qualification and owners. */
export interface SalesState {
  stepCount: number;
  /** Newest first, the last SALES_ENTRIES_KEPT. */
  steps: QualificationStepEntry[];
  assignmentCount: number;
  /** Newest first, the last SALES_ENTRIES_KEPT. */
  assignments: AssignmentEntry[];
  /** A LEAD_ROUTE sent (by the input at `seq`) and not answered yet. */
  routing: { teamId: string; seq: number } | null;
  /** The latest routing properties (country, territory) the contact's interactions gave. */
  properties: Record<string, string>;
}

export const noSales = (): SalesState => ({
  stepCount: 0,
  steps: [],
  assignmentCount: 0,
  assignments: [],
  routing: null,
  properties: {},
});

const STEP: Record<QualificationAction, { from: readonly Qualification[]; to: Qualification }> = {
  MARKETING_QUALIFY: { from: ['NONE', 'NURTURE'], to: 'MQL' },
  ACCEPT: { from: ['MQL'], to: 'SAL' },
  QUALIFY: { from: ['SAL'], to: 'SQL' },
  REJECT: { from: ['MQL', 'SAL'], to: 'NURTURE' },
  DISQUALIFY: { from: ['MQL', 'SAL', 'SQL'], to: 'NURTURE' },
};

/** Where `action` takes a lead that stands at `current`, or why it may not. */
export function qualificationStep(
  current: Qualification,
  action: QualificationAction,
): { to: Qualification } | { refused: string } {
  const { from, to } = STEP[action];
  if (from.includes(current)) return { to };
  return { refused: `the lead is ${current}; ${action.toLowerCase()} needs a lead that is ${from.join(' or ')}` };
}

/** Whether a score moving from `before` to `after` reaches `threshold` from below. */
export const reaches = (threshold: number | null, before: number, after: number): boolean =>
  threshold !== null && before < threshold && after >= threshold;

/** Newest first, capped: what the document keeps. */
export const keepLatest = <T>(entry: T, entries: readonly T[]): T[] => [entry, ...entries].slice(0, SALES_ENTRIES_KEPT);

/**
 * The round-robin's next owner: the first active member after `lastOwnerId` in the team's order
 * (from the start when it is not a member any more); null when no member is active.
 */
export function nextOwner(
  memberIds: readonly string[],
  isActive: (ownerId: string) => boolean,
  lastOwnerId: string | null,
): string | null {
  const start = lastOwnerId === null ? 0 : memberIds.indexOf(lastOwnerId) + 1;
  for (let i = 0; i < memberIds.length; i++) {
    const candidate = memberIds[(start + i) % memberIds.length]!;
    if (isActive(candidate)) return candidate;
  }
  return null;
}

const MAX_SCORE = 1_000_000;

/** What `updateQualificationPolicy` takes (GraphQL nulls: not automatic / no team). */
export interface QualificationPolicyInput {
  marketingQualifiedScore?: number | null;
  salesAssignScore?: number | null;
  routingRules?: readonly RoutingRule[] | null;
  fallbackTeamId?: string | null;
}

const MAX_RULES = 50;
const MAX_VALUES = 50;

/** Problems with the routing rules' shapes, each named by its field (their teams are checked against the store). */
export function routingRuleProblems(rules: readonly RoutingRule[]): FieldProblem[] {
  if (rules.length > MAX_RULES) return [{ path: 'input.routingRules', message: `at most ${MAX_RULES}` }];
  return rules.flatMap((rule, i): FieldProblem[] => {
    const at = (field: string) => `input.routingRules[${i}].${field}`;
    const kinds = [rule.tag, rule.highestTag, rule.property].filter((c) => c !== null && c !== undefined);
    if (kinds.length !== 1) {
      return [
        {
          path: `input.routingRules[${i}]`,
          message: 'give exactly one condition: tag (with minTagScore), highestTag, or property (with values)',
        },
      ];
    }
    const problems: FieldProblem[] = [];
    if (rule.tag !== null && rule.tag !== undefined) {
      if (rule.tag.trim().length === 0 || rule.tag.length > MAX_ROUTING_VALUE)
        problems.push({ path: at('tag'), message: `1 to ${MAX_ROUTING_VALUE} characters` });
      if (typeof rule.minTagScore !== 'number' || !Number.isFinite(rule.minTagScore)) {
        problems.push({ path: at('minTagScore'), message: 'required with tag: a finite number' });
      }
    } else if (rule.minTagScore !== null && rule.minTagScore !== undefined) {
      problems.push({ path: at('minTagScore'), message: 'only with tag' });
    }
    if (
      rule.highestTag !== null &&
      rule.highestTag !== undefined &&
      (rule.highestTag.trim().length === 0 || rule.highestTag.length > MAX_ROUTING_VALUE)
    ) {
      problems.push({ path: at('highestTag'), message: `1 to ${MAX_ROUTING_VALUE} characters` });
    }
    if (rule.property !== null && rule.property !== undefined) {
      if (!(ROUTING_PROPERTIES as readonly string[]).includes(rule.property)) {
        problems.push({ path: at('property'), message: `one of ${ROUTING_PROPERTIES.join(', ')}` });
      }
      const values = rule.values ?? [];
      if (values.length === 0 || values.length > MAX_VALUES)
        problems.push({ path: at('values'), message: `required with property: 1 to ${MAX_VALUES} values` });
      values.forEach((v, j) => {
        if (v.trim().length === 0 || v.length > MAX_ROUTING_VALUE)
          problems.push({ path: `${at('values')}[${j}]`, message: `1 to ${MAX_ROUTING_VALUE} characters` });
      });
    } else if (rule.values !== null && rule.values !== undefined) {
      problems.push({ path: at('values'), message: 'only with property' });
    }
    return problems;
  });
}

/** Problems with the thresholds, each naming its input field (the team is checked against the store). */
export function qualificationPolicyProblems(input: QualificationPolicyInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const field of ['marketingQualifiedScore', 'salesAssignScore'] as const) {
    const value = input[field];
    if (value === null || value === undefined) continue;
    if (!Number.isFinite(value) || value < 0 || value > MAX_SCORE) {
      problems.push({ path: `input.${field}`, message: `must be a number between 0 and ${MAX_SCORE}` });
    }
  }
  const { marketingQualifiedScore: mql, salesAssignScore: sales, fallbackTeamId } = input;
  if (problems.length === 0 && typeof mql === 'number' && typeof sales === 'number' && sales < mql) {
    problems.push({
      path: 'input.salesAssignScore',
      message: `must not be below marketingQualifiedScore (${sales} < ${mql}): sales takes leads marketing qualified`,
    });
  }
  if (typeof sales === 'number' && !fallbackTeamId) {
    problems.push({
      path: 'input.fallbackTeamId',
      message: 'required with salesAssignScore: the team that takes the leads no routing rule matches',
    });
  }
  return [...problems, ...routingRuleProblems(input.routingRules ?? [])];
}
