// Lifecycle's collections: the policy (one document per workspace), one lifecycle
// document per contact (phase, half, recent transitions, time spent per phase), and
// the insert-only buckets of older transitions; all contact documents are written
// only by the consumer that owns the contact's partition. A contact's document is stored
// as a row (ContactLifecycleRow): what lists filter and sort on stays in fields, its nested
// history is one JSON string.
import { Schema, type Model } from 'mongoose';
import type { Database } from '@cei/mongo';
import type { IndexHalf, Phase, ScoreChangeCause } from '@cei/contracts';
import { DEFAULT_POLICY, type LifecyclePolicy } from '../domain/policy';
import { rulesOf } from '../domain/policy-rules';
import { durationsOf, type PhaseDurations } from '../domain/history';
import { contactListIndexes } from './contact-list-indexes';
import { noSales, type SalesState } from '../domain/qualification';
import { salesModels, type SalesModels } from '../sales/models';
import type { Qualification } from '@cei/contracts';
import type { PhaseRule } from '../domain/phases';
import { policyJobModels, type PolicyJobModels } from './policy-jobs';

export interface LifecyclePolicyDoc extends Partial<LifecyclePolicy> {
  _id: string; // <workspace>
  /** Stored before the four thresholds existed (read by `policyOfDoc`). */
  purchaseScore?: number;
  exitScore?: number;
  hysteresis?: number;
  /** The job re-evaluating the workspace's contacts under this policy (started by the update that set it). */
  reevaluationJobId?: string | null;
  updatedAt: Date;
}

/** The policy a stored document sets, whichever shape it was written in. */
export function policyOfDoc(doc: LifecyclePolicyDoc): LifecyclePolicy {
  const legacy =
    doc.purchaseEnterScore === undefined && doc.purchaseScore !== undefined
      ? {
          purchaseEnterScore: doc.purchaseScore,
          purchaseLeaveScore: doc.purchaseScore - (doc.hysteresis ?? 0),
          exitEnterScore: doc.exitScore ?? DEFAULT_POLICY.exitEnterScore,
          exitLeaveScore: (doc.exitScore ?? DEFAULT_POLICY.exitEnterScore) + (doc.hysteresis ?? 0),
        }
      : {};
  const policy = { ...DEFAULT_POLICY, ...legacy };
  for (const field of Object.keys(DEFAULT_POLICY) as (keyof LifecyclePolicy)[]) {
    const stored = doc[field];
    if (typeof stored === 'number') policy[field] = stored;
  }
  return { ...policy, ...rulesOf(doc) };
}

export interface TransitionEntry {
  n: number;
  from: Phase;
  to: Phase;
  half: IndexHalf;
  /** SCORES stream position of the score change that caused it (to re-publish on redelivery). */
  seq: number;
  at: Date;
  reason: string;
  score: number;
  /** What changed the score (absent on transitions recorded before it was kept). */
  cause?: ScoreChangeCause;
  /** The interaction behind the score change, when there was one. */
  interactionId?: string | null;
  /** The rule that moved the contact (absent on transitions recorded before it was kept). */
  rule?: PhaseRule;
}

export interface ContactLifecycleDoc {
  _id: string; // <workspace>:<contact>
  workspaceId: string;
  contactId: string;
  phase: Phase;
  half: IndexHalf;
  score: number;
  /** What lists of contacts filter and sort on, from the last score change (domain/contact-list-fields). */
  engagementIndex?: number;
  tags?: Record<string, number>;
  lastInteractionAt?: Date | null;
  /** When lifecycle applied the contact's first score change (it starts in NURTURE). */
  startedAt: Date;
  /** When a purchase or subscription last moved the contact into RETENTION. */
  customerEnteredAt: Date | null;
  /** Milliseconds spent in each phase before the current one. */
  msInPhases: PhaseDurations;
  transitionCount: number;
  /** Transitions numbered up to this one are in buckets, not in `transitions`. */
  archivedThrough: number;
  /**
   * Most recent first: every transition after `archivedThrough` (at least the last HISTORY_KEPT;
   * computed in code: `$push`+`$slice` is ignored by FerretDB).
   */
  transitions: TransitionEntry[];
  /** The stage score and likelihoods of the last score change (the phase rules read them on a check). */
  stage?: number;
  likelihoods?: { churn: number; purchase: number } | null;
  /** When a SUBSCRIPTION_CANCELLED was applied with no interaction since. */
  cancelledAt?: Date | null;
  /** When the pending phase check is due (lifecycle's clock); null: none scheduled. */
  phaseCheckAt?: Date | null;
  /**
   * The policy jobs that re-evaluated the contact (most recent first, the last POLICY_JOBS_KEPT):
   * a job's request sent again (by the instance that took the job over, after JetStream's
   * duplicate window) is applied once, and counted at the position that applied it.
   */
  reevaluations?: { jobId: string; seq: number; transitioned: boolean }[];
  /** SCORES stream position of the last score change applied. */
  lastSeq: number;
  updatedAt: Date;
  /** Lead qualification (domain/qualification.ts); NONE on documents written before it existed. */
  qualification: Qualification;
  /** The contact's owner (a salesperson), or null. */
  ownerId: string | null;
  /** Recent qualification steps and assignments, and a lead route waiting for its answer. */
  sales: SalesState;
}

/** The parts of a contact's document no query filters or sorts on: stored as one string (`history`). */
type PackedField = 'transitions' | 'sales' | 'msInPhases' | 'reevaluations';
type Packed = Pick<ContactLifecycleDoc, PackedField>;

/**
 * A contact's document as stored. FerretDB v1 keeps a type schema beside every document, a few
 * hundred bytes per nested object: the transitions, qualification steps and assignments made
 * two thirds of a 3.4 KB document, which PostgreSQL then compressed on every write and
 * decompressed on every read. Packed, their schema is one string's, and a read and replace of
 * the document ran ~1.4× as fast (`pnpm bench:lifecycle-row`).
 */
export type ContactLifecycleRow = Omit<ContactLifecycleDoc, PackedField> & { history: string };

export function lifecycleRow(doc: ContactLifecycleDoc): ContactLifecycleRow {
  const { transitions, sales, msInPhases, reevaluations, ...fields } = doc;
  const packed: Packed = { transitions, sales, msInPhases, ...(reevaluations ? { reevaluations } : {}) };
  return { ...fields, history: JSON.stringify(packed) };
}

/** The history as stored (JSON): its times are ISO strings. */
function revived(packed: Packed): Packed {
  const timed = <T extends { at: Date }>(entries: readonly T[]): T[] =>
    entries.map((entry) => ({ ...entry, at: new Date(entry.at) }));
  return {
    ...packed,
    transitions: timed(packed.transitions),
    ...(packed.sales
      ? { sales: { ...packed.sales, steps: timed(packed.sales.steps), assignments: timed(packed.sales.assignments) } }
      : {}),
  };
}

/**
 * The document a stored row holds (see completeLifecycle for what older documents lack). A
 * document written before rows existed has its history in fields: it is read as it is.
 */
export function lifecycleDoc(row: ContactLifecycleRow | ContactLifecycleDoc): ContactLifecycleDoc {
  if (!('history' in row) || typeof row.history !== 'string') return completeLifecycle(row as ContactLifecycleDoc);
  const { history, ...fields } = row;
  return completeLifecycle({ ...fields, ...revived(JSON.parse(history) as Packed) });
}

/** Older transitions of a contact, BUCKET_SIZE of them, oldest first; inserted once, never changed. */
export interface TransitionBucketDoc {
  _id: string; // <workspace>:<contact>:<bucket>
  workspaceId: string;
  contactId: string;
  transitions: TransitionEntry[];
}

/**
 * A contact document as stored, with what a document written before the fields existed lacks:
 * nothing archived, the time per phase from the transitions it holds, and no grace running.
 */
function completeLifecycle(doc: ContactLifecycleDoc): ContactLifecycleDoc {
  if (!doc.sales)
    doc = { ...doc, qualification: doc.qualification ?? 'NONE', ownerId: doc.ownerId ?? null, sales: noSales() };
  if (doc.msInPhases && doc.startedAt && doc.archivedThrough !== undefined) return doc;
  const oldestFirst = [...doc.transitions].reverse();
  const startedAt = doc.startedAt ?? oldestFirst[0]?.at ?? doc.updatedAt;
  return {
    ...doc,
    startedAt,
    customerEnteredAt: doc.customerEnteredAt ?? null,
    msInPhases: doc.msInPhases ?? durationsOf(startedAt, oldestFirst),
    archivedThrough: doc.archivedThrough ?? 0,
  };
}

/** When the contact entered its current phase. */
export const phaseSince = (doc: ContactLifecycleDoc): Date => doc.transitions[0]?.at ?? doc.startedAt;

export interface LifecycleModels extends SalesModels, PolicyJobModels {
  LifecyclePolicy: Model<LifecyclePolicyDoc>;
  ContactLifecycle: Model<ContactLifecycleRow>;
  TransitionBucket: Model<TransitionBucketDoc>;
}

const options = { versionKey: false, _id: false } as const;

/**
 * The models on `db`'s connection. On FerretDB they leave out the contact-list indexes (see
 * contact-list-indexes.ts): FerretDB v1 never uses them, and PostgreSQL wrote each of the 14 on
 * every write of a contact (an update there is a new row version in every index).
 */
export function lifecycleModels(db: Pick<Database, 'connection' | 'isFerretDB'>): LifecycleModels {
  const { connection } = db;
  const policy = new Schema<LifecyclePolicyDoc>(
    {
      _id: String,
      purchaseEnterScore: Number,
      purchaseLeaveScore: Number,
      exitEnterScore: Number,
      exitLeaveScore: Number,
      minDwellMinutes: Number,
      newCustomerGraceDays: Number,
      purchaseScore: Number,
      exitScore: Number,
      hysteresis: Number,
      stageEnterPurchaseScore: Number,
      purchaseEnterLikelihood: Number,
      churnExitLikelihood: Number,
      cancelledExitDays: Number,
      returnToProspectAfterDays: Number,
      reevaluationJobId: String,
      updatedAt: { type: Date, required: true },
    },
    options,
  );
  const transition = new Schema<TransitionEntry>(
    {
      n: Number,
      from: String,
      to: String,
      half: String,
      seq: Number,
      at: Date,
      reason: String,
      score: Number,
      cause: String,
      interactionId: String,
      rule: String,
    },
    { _id: false },
  );
  const contact = new Schema<ContactLifecycleRow>(
    {
      _id: String,
      workspaceId: { type: String, required: true },
      contactId: { type: String, required: true },
      phase: { type: String, required: true },
      half: { type: String, required: true },
      score: { type: Number, required: true },
      engagementIndex: Number,
      tags: { type: Schema.Types.Mixed },
      lastInteractionAt: Date,
      startedAt: Date,
      customerEnteredAt: Date,
      transitionCount: { type: Number, required: true },
      archivedThrough: { type: Number, default: 0 },
      history: { type: String, required: true },
      stage: Number,
      likelihoods: { type: new Schema({ churn: Number, purchase: Number }, { _id: false }), default: null },
      cancelledAt: Date,
      phaseCheckAt: Date,
      lastSeq: { type: Number, required: true },
      updatedAt: { type: Date, required: true },
      qualification: { type: String, default: 'NONE' },
      ownerId: { type: String, default: null },
    },
    options,
  );
  if (!db.isFerretDB) contactListIndexes(contact);
  const bucket = new Schema<TransitionBucketDoc>(
    {
      _id: String,
      workspaceId: { type: String, required: true },
      contactId: { type: String, required: true },
      transitions: { type: [transition], default: [] },
    },
    options,
  );
  return {
    ...salesModels(connection),
    ...policyJobModels(connection),
    LifecyclePolicy: connection.model<LifecyclePolicyDoc>('LifecyclePolicy', policy, 'lifecycle_policies'),
    ContactLifecycle: connection.model<ContactLifecycleRow>('ContactLifecycle', contact, 'contact_lifecycles'),
    TransitionBucket: connection.model<TransitionBucketDoc>('TransitionBucket', bucket, 'contact_transition_buckets'),
  };
}
