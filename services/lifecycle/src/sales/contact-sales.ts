// A contact's qualification and owner, as its one writer (the lifecycle partition
// consumer) applies them: after a score change (the automatic MQL; a lead route when the
// score reaches the sales threshold), and for the requests addressed to the contact's
// owner (sales steps, assignments). Pure: it returns the new document and what to
// publish; the handler writes the document first, then publishes.
import {
  messageIds,
  type LifecycleRequested,
  type OwnerAssigned,
  type QualificationAction,
  type QualificationChanged,
  type ScoreChanged,
  type Topology,
} from '@cei/contracts';
import type { ContactLifecycleDoc } from '../models';
import {
  keepLatest,
  qualificationStep,
  reaches,
  teamFor,
  type AssignmentEntry,
  type QualificationPolicy,
  type QualificationStepEntry,
} from '../domain/qualification';
import type { QualificationStepDoc } from './models';

/** What applying an input produced, to publish once the document is written. */
export type SalesOutput =
  | { kind: 'step'; entry: QualificationStepEntry }
  | { kind: 'assignment'; entry: AssignmentEntry }
  | { kind: 'route'; teamId: string; seq: number };

export interface SalesApplied {
  doc: ContactLifecycleDoc;
  outputs: SalesOutput[];
}

type SalesRequest = Extract<LifecycleRequested, { request: 'QUALIFICATION_STEP' | 'OWNER_ASSIGN' }>;

export const isSalesRequest = (request: LifecycleRequested): request is SalesRequest =>
  request.request === 'QUALIFICATION_STEP' || request.request === 'OWNER_ASSIGN';

/** The key whose partition holds a team's round-robin: its one writer (see team-router.ts). */
export const teamRoutingKey = (teamId: string) => `~team:${teamId}`;

export const stepId = (contactId: string, n: number) => `${contactId}~q${n}`;
export const assignmentId = (contactId: string, n: number) => `${contactId}~o${n}`;

function withStep(
  doc: ContactLifecycleDoc,
  action: QualificationAction,
  step: { at: Date; actor: string | null; reason: string | null; seq: number },
): SalesApplied {
  const result = qualificationStep(doc.qualification, action);
  if ('refused' in result) return { doc, outputs: [] };
  const entry: QualificationStepEntry = {
    n: doc.sales.stepCount + 1,
    action,
    from: doc.qualification,
    to: result.to,
    ...step,
  };
  return {
    doc: {
      ...doc,
      qualification: result.to,
      sales: { ...doc.sales, stepCount: entry.n, steps: keepLatest(entry, doc.sales.steps) },
    },
    outputs: [{ kind: 'step', entry }],
  };
}

function withOwner(doc: ContactLifecycleDoc, assignment: Omit<AssignmentEntry, 'n' | 'previousOwnerId'>): SalesApplied {
  const cleared = { ...doc, sales: { ...doc.sales, routing: null } };
  if (assignment.ownerId === doc.ownerId) return { doc: cleared, outputs: [] };
  const entry: AssignmentEntry = { ...assignment, n: doc.sales.assignmentCount + 1, previousOwnerId: doc.ownerId };
  return {
    doc: {
      ...cleared,
      ownerId: entry.ownerId,
      sales: { ...cleared.sales, assignmentCount: entry.n, assignments: keepLatest(entry, doc.sales.assignments) },
    },
    outputs: [{ kind: 'assignment', entry }],
  };
}

/**
 * After a score change from `before` to `general` (the input at `seq`): the contact's routing properties
 * are kept; a lead reaching the marketing threshold becomes MQL; an unowned lead reaching the sales
 * threshold is routed to the team of the first routing rule it meets (its tag scores now, its
 * properties), else to the fallback team.
 */
export function salesAfterScore(
  stored: ContactLifecycleDoc,
  change: Pick<ScoreChanged, 'general' | 'tags' | 'contactProperties'> & { before: number; seq: number; at: Date },
  policy: QualificationPolicy,
): SalesApplied {
  const { before, general, seq, at } = change;
  const properties = { ...(stored.sales.properties ?? {}), ...(change.contactProperties ?? {}) };
  const doc = change.contactProperties ? { ...stored, sales: { ...stored.sales, properties } } : stored;
  let applied: SalesApplied = { doc, outputs: [] };
  if (reaches(policy.marketingQualifiedScore, before, general)) {
    applied = withStep(doc, 'MARKETING_QUALIFY', {
      at,
      actor: null,
      reason: 'score reached the marketing threshold',
      seq,
    });
  }
  const current = applied.doc;
  const teamId = teamFor(policy, { tags: change.tags ?? {}, properties });
  if (
    reaches(policy.salesAssignScore, before, general) &&
    teamId !== null &&
    current.ownerId === null &&
    current.sales.routing === null
  ) {
    const routing = { teamId, seq };
    applied = {
      doc: { ...current, sales: { ...current.sales, routing } },
      outputs: [...applied.outputs, { kind: 'route', ...routing }],
    };
  }
  return applied;
}

/**
 * A sales step or an assignment, checked against the state now (a refused step changes nothing). A
 * team with no active owner answers null: the lead goes to the fallback team, if it was not that one.
 */
export function applySalesRequest(
  doc: ContactLifecycleDoc,
  request: SalesRequest,
  seq: number,
  at: Date,
  policy: QualificationPolicy,
): SalesApplied {
  if (request.request === 'QUALIFICATION_STEP') {
    // Asked for against the lead as it stood: if it moved meanwhile, the step is refused.
    if (request.expectedSteps !== doc.sales.stepCount) return { doc, outputs: [] };
    return withStep(doc, request.action, { at, actor: request.actor, reason: request.reason, seq });
  }
  const { ownerId, method, teamId, actor } = request;
  if (method === 'ROUND_ROBIN') {
    // The answer to the route still waited for; a lead assigned by hand meanwhile keeps its owner.
    const { routing } = doc.sales;
    if (routing === null || routing.teamId !== teamId || doc.ownerId !== null) return { doc, outputs: [] };
    if (ownerId === null) {
      const fallback = policy.fallbackTeamId;
      if (fallback === null || fallback === routing.teamId) {
        return { doc: { ...doc, sales: { ...doc.sales, routing: null } }, outputs: [] };
      }
      const next = { teamId: fallback, seq };
      return { doc: { ...doc, sales: { ...doc.sales, routing: next } }, outputs: [{ kind: 'route', ...next }] };
    }
  }
  if (ownerId === null) return { doc, outputs: [] };
  return withOwner(doc, { ownerId, teamId, method, actor, at, seq });
}

/** What the stored write promised for the input at `seq` (redelivered): published again, same ids. */
export function promisedSales(stored: ContactLifecycleDoc, seq: number): SalesOutput[] {
  const { steps, assignments, routing } = stored.sales;
  return [
    ...steps.filter((s) => s.seq === seq).map((entry): SalesOutput => ({ kind: 'step', entry })),
    ...(routing?.seq === seq ? [{ kind: 'route' as const, ...routing }] : []),
    ...assignments.filter((a) => a.seq === seq).map((entry): SalesOutput => ({ kind: 'assignment', entry })),
  ].sort((a, b) => rank(a) - rank(b));
}
const rank = (o: SalesOutput) => (o.kind === 'step' ? o.entry.n : o.kind === 'route' ? 1e9 : 2e9 + o.entry.n);

/** The insert-only records of the new steps (what counts read, and what the document no longer keeps). */
export function stepRecords(ws: string, contactId: string, outputs: readonly SalesOutput[]): QualificationStepDoc[] {
  return outputs.flatMap((o) =>
    o.kind === 'step'
      ? [{ _id: `${ws}:${contactId}:q${o.entry.n}`, workspaceId: ws, contactId, ...withoutSeq(o.entry) }]
      : [],
  );
}
const withoutSeq = ({ seq: _seq, ...rest }: QualificationStepEntry) => rest;

export function salesMessages(topology: Topology, ws: string, contactId: string, outputs: readonly SalesOutput[]) {
  return outputs.map((o) => {
    switch (o.kind) {
      case 'step': {
        const { n, action, from, to, reason, actor, at } = o.entry;
        const payload: QualificationChanged = {
          v: 1,
          workspaceId: ws,
          contactId,
          stepId: stepId(contactId, n),
          action,
          from,
          to,
          reason,
          actor,
          at: at.toISOString(),
        };
        return {
          subject: topology.subjects.qualificationChanged(ws, contactId),
          payload,
          msgId: messageIds.qualificationChanged(ws, payload.stepId),
        };
      }
      case 'assignment': {
        const { n, ownerId, previousOwnerId, teamId, method, actor, at } = o.entry;
        const payload: OwnerAssigned = {
          v: 1,
          workspaceId: ws,
          contactId,
          assignmentId: assignmentId(contactId, n),
          ownerId,
          previousOwnerId,
          teamId,
          method,
          actor,
          at: at.toISOString(),
        };
        return {
          subject: topology.subjects.ownerAssigned(ws, contactId),
          payload,
          msgId: messageIds.ownerAssigned(ws, payload.assignmentId),
        };
      }
      case 'route': {
        const payload: LifecycleRequested = {
          v: 1,
          request: 'LEAD_ROUTE',
          workspaceId: ws,
          contactId,
          teamId: o.teamId,
        };
        return {
          subject: topology.subjects.lifecycleRequested(ws, teamRoutingKey(o.teamId)),
          payload,
          msgId: messageIds.leadRouted(ws, contactId, o.seq),
        };
      }
    }
  });
}
