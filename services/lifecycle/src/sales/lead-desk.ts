// The lead mutations and the sales reads. A mutation that changes a contact checks
// what it can up front, publishes a request to the contact's owner (LifecycleRequested,
// message id from the state it was asked against: the same click twice is one request),
// waits until the owner applied it (the document's position reaches the request's), and
// answers from what the owner recorded: the owner checks again against the state when it
// applies, and a refused step changes nothing.
import {
  contactKey,
  ERRORS,
  invalidFields,
  messageIds,
  type CallerContext,
  type LifecycleRequested,
  type QualificationAction,
} from '@cei/contracts';
import type { Database } from '@cei/mongo';
import { publishEvent, type Nats } from '@cei/nats';
import type { Topology } from '@cei/contracts';
import { lifecycleDoc, type ContactLifecycleDoc, type ContactLifecycleRow, type LifecycleModels } from '../models';
import { qualificationStep } from '../domain/qualification';
import type { SalesConfig } from './sales-config';

type SalesAction = Exclude<QualificationAction, 'MARKETING_QUALIFY'>;

const MAX_ID = 256;
const MAX_REASON = 500;
const MAX_PAGE = 500;
/** How long a mutation waits for the contact's owner to apply its request. */
const APPLY_DEADLINE_MS = 20_000;

export interface QualificationCounts {
  mql: number;
  sal: number;
  sql: number;
  rejected: number;
  disqualified: number;
}

const actorOf = (caller: CallerContext) => caller.actor ?? `${caller.role}-key`;

export function createLeadDesk(deps: {
  db: Database;
  models: LifecycleModels;
  nats: Nats;
  topology: Topology;
  sales: SalesConfig;
}) {
  const { models, nats, topology, sales } = deps;

  const read = async (key: string) => {
    const row = await models.ContactLifecycle.findById(key).lean<ContactLifecycleRow>().exec();
    return row && lifecycleDoc(row);
  };

  async function contactOf(ws: string, contactId: string): Promise<ContactLifecycleDoc> {
    if (contactId.length === 0 || contactId.length > MAX_ID) {
      throw invalidFields([{ path: 'contactId', message: `1 to ${MAX_ID} characters` }]);
    }
    const doc = await read(contactKey(ws, contactId));
    if (!doc) {
      const message = `no contact ${contactId} with a score in this workspace`;
      throw ERRORS.NOT_FOUND.err(`contactId: ${message}`, { fields: [{ path: 'contactId', message }] });
    }
    return doc;
  }

  /** Publishes the request and waits until the contact's owner has applied it; the document then. */
  async function request(
    key: string,
    payload: LifecycleRequested,
    msgId: string,
  ): Promise<{ doc: ContactLifecycleDoc; seq: number }> {
    const subject = topology.subjects.lifecycleRequested(payload.workspaceId, payload.contactId);
    // A duplicate (the same request again) answers the first one's position.
    const { seq } = await publishEvent(nats.js, subject, payload, msgId);
    const deadline = Date.now() + APPLY_DEADLINE_MS;
    for (;;) {
      const doc = await read(key);
      if (doc && doc.lastSeq >= seq) return { doc, seq };
      if (Date.now() > deadline) {
        throw ERRORS.SERVICE_UNAVAILABLE.err(
          'the request was accepted but the contact has not been updated yet; read the contact again shortly',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  return {
    async step(caller: CallerContext, contactId: string, action: SalesAction, reason: string | null) {
      const ws = caller.workspaceId;
      if (reason !== null && (reason.trim().length === 0 || reason.length > MAX_REASON)) {
        throw invalidFields([{ path: 'reason', message: `1 to ${MAX_REASON} characters, not blank` }]);
      }
      const before = await contactOf(ws, contactId);
      const allowed = qualificationStep(before.qualification, action);
      if ('refused' in allowed) {
        throw ERRORS.BAD_USER_INPUT.err(`contactId: ${allowed.refused}`, {
          fields: [{ path: 'contactId', message: allowed.refused }],
          extensions: { qualification: before.qualification },
        });
      }
      const expectedSteps = before.sales.stepCount;
      const { doc } = await request(
        before._id,
        {
          v: 1,
          request: 'QUALIFICATION_STEP',
          workspaceId: ws,
          contactId,
          action,
          expectedSteps,
          reason,
          actor: actorOf(caller),
        },
        messageIds.qualificationRequested(ws, contactId, action, expectedSteps),
      );
      const n = expectedSteps + 1;
      const ours =
        doc.sales.steps.find((s) => s.n === n) ??
        (await models.QualificationStep.findById(`${doc._id}:q${n}`).lean().exec());
      if (ours?.action !== action) {
        throw ERRORS.CONFLICT.err(
          `the lead changed before this step applied (it is now ${doc.qualification}); read it again and retry`,
        );
      }
      return { id: contactId };
    },

    async assign(caller: CallerContext, contactId: string, ownerId: string) {
      const ws = caller.workspaceId;
      const owner = ownerId.length > 0 && ownerId.length <= MAX_ID ? await sales.getOwner(ws, ownerId) : null;
      if (!owner) throw invalidFields([{ path: 'ownerId', message: `no owner ${ownerId} in this workspace` }]);
      if (!owner.active) throw invalidFields([{ path: 'ownerId', message: `owner ${ownerId} is deactivated` }]);
      const before = await contactOf(ws, contactId);
      if (before.ownerId === ownerId) return { id: contactId };
      const { doc } = await request(
        before._id,
        {
          v: 1,
          request: 'OWNER_ASSIGN',
          workspaceId: ws,
          contactId,
          ownerId,
          method: 'MANUAL',
          teamId: null,
          actor: actorOf(caller),
        },
        messageIds.ownerRequested(ws, contactId, before.sales.assignmentCount, ownerId),
      );
      if (doc.ownerId !== ownerId) {
        throw ERRORS.CONFLICT.err('the contact was assigned again meanwhile; read it again and retry');
      }
      return { id: contactId };
    },

    /**
     * A qualification step of the workspace by its public id (`<contact>~q<n>`, the stepId of
     * QualificationChanged): the insert-only record, written before the event was published.
     */
    async stepById(ws: string, id: string) {
      const parsed = parseSalesId(id, 'q');
      if (!parsed) return null;
      const record = await models.QualificationStep.findById(`${contactKey(ws, parsed.contactId)}:q${parsed.n}`)
        .lean()
        .exec();
      return record && record.workspaceId === ws ? { ...record, contactId: parsed.contactId } : null;
    },

    /**
     * An owner assignment of the workspace by its public id (`<contact>~o<n>`, the assignmentId of
     * OwnerAssigned): the contact's document keeps its last SALES_ENTRIES_KEPT assignments, so an
     * older one is null.
     */
    async assignmentById(ws: string, id: string) {
      const parsed = parseSalesId(id, 'o');
      if (!parsed) return null;
      const doc = await read(contactKey(ws, parsed.contactId));
      const entry = doc?.sales.assignments.find((a) => a.n === parsed.n);
      return entry ? { ...entry, contactId: parsed.contactId } : null;
    },

    /** Steps taken in [from, to), counted in code from the insert-only records (a scan: not the event path). */
    async qualificationCounts(ws: string, from: Date, to: Date): Promise<QualificationCounts> {
      if (!(from.getTime() < to.getTime())) throw invalidFields([{ path: 'to', message: 'must be after from' }]);
      const steps = await models.QualificationStep.find({ workspaceId: ws, at: { $gte: from, $lt: to } })
        .select({ action: 1 })
        .lean()
        .exec();
      const counts: QualificationCounts = { mql: 0, sal: 0, sql: 0, rejected: 0, disqualified: 0 };
      const field = {
        MARKETING_QUALIFY: 'mql',
        ACCEPT: 'sal',
        QUALIFY: 'sql',
        REJECT: 'rejected',
        DISQUALIFY: 'disqualified',
      } as const;
      for (const { action } of steps) counts[field[action]]++;
      return counts;
    },

    /** An owner's contacts by id, `first` after the cursor `after` (a contact id). */
    async ownerContacts(ws: string, ownerId: string, first: number, after: string | null) {
      if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
        throw invalidFields([{ path: 'first', message: `between 1 and ${MAX_PAGE}` }]);
      }
      const docs = await models.ContactLifecycle.find({ workspaceId: ws, ownerId })
        .select({ contactId: 1 })
        .lean()
        .exec();
      const ids = docs.map((d) => d.contactId).sort();
      const page = ids.filter((id) => after === null || id > after);
      const nodes = page.slice(0, first);
      return {
        nodes: nodes.map((id) => ({ id })),
        endCursor: nodes.at(-1) ?? null,
        hasNextPage: page.length > first,
        totalCount: ids.length,
      };
    },
  };
}

export type LeadDesk = ReturnType<typeof createLeadDesk>;

/** `<contact>~q<n>` / `<contact>~o<n>` (contact-sales.ts stepId, assignmentId) → its parts; null if not one. */
function parseSalesId(id: string, kind: 'q' | 'o'): { contactId: string; n: number } | null {
  const at = id.lastIndexOf(`~${kind}`);
  const digits = id.slice(at + 2);
  const n = Number(digits);
  if (at <= 0 || !/^[1-9][0-9]*$/.test(digits) || !Number.isSafeInteger(n)) return null;
  return { contactId: id.slice(0, at), n };
}
