// Pure lead qualification: which steps a lead may take from where it stands, what
// each leads to, when a score change qualifies it for marketing (MQL) or hands it to
// sales (an owner), and which owner a team's round-robin gives the next lead.
import type { AssignmentMethod, FieldProblem, Qualification, QualificationAction } from '@cei/contracts';

/** A workspace's qualification thresholds (null: never automatic) and the team that takes hot leads. */
export interface QualificationPolicy {
  /** NONE or NURTURE → MQL when the general score reaches this from below. */
  marketingQualifiedScore: number | null;
  /** An unowned contact whose general score reaches this from below gets an owner from `salesTeamId`. */
  salesAssignScore: number | null;
  /** The team whose round-robin takes leads over salesAssignScore. */
  salesTeamId: string | null;
}

export const DEFAULT_QUALIFICATION_POLICY: QualificationPolicy = {
  marketingQualifiedScore: 40,
  salesAssignScore: null,
  salesTeamId: null,
};

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
}

export const noSales = (): SalesState => ({
  stepCount: 0,
  steps: [],
  assignmentCount: 0,
  assignments: [],
  routing: null,
});

const STEP: Record<QualificationAction, { from: readonly Qualification[]; to: Qualification }> = {
  MARKETING_QUALIFY: { from: ['NONE', 'NURTURE'], to: 'MQL' },
  ACCEPT: { from: ['MQL'], to: 'SAL' },
  QUALIFY: { from: ['SAL'], to: 'SQL' },
  REJECT: { from: ['MQL', 'SAL'], to: 'NURTURE' },
  DISQUALIFY: { from: ['MQL', 'SAL', 'SQL'], to: 'NONE' },
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
  salesTeamId?: string | null;
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
  const { marketingQualifiedScore: mql, salesAssignScore: sales, salesTeamId } = input;
  if (problems.length === 0 && typeof mql === 'number' && typeof sales === 'number' && sales < mql) {
    problems.push({
      path: 'input.salesAssignScore',
      message: `must not be below marketingQualifiedScore (${sales} < ${mql}): sales takes leads marketing qualified`,
    });
  }
  if (typeof sales === 'number' && !salesTeamId) {
    problems.push({
      path: 'input.salesTeamId',
      message: 'required with salesAssignScore: the team that takes the leads',
    });
  }
  return problems;
}
