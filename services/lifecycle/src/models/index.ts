// Lifecycle's collections: the policy (one document per workspace) and one
// lifecycle document per contact (phase, half, recent transitions), written only
// by the consumer that owns the contact's partition.
import { Schema, type Connection, type Model } from 'mongoose';
import type { IndexHalf, Phase } from '@cei/contracts';

export interface LifecyclePolicyDoc {
  _id: string; // <workspace>
  purchaseScore: number;
  exitScore: number;
  hysteresis: number;
  updatedAt: Date;
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
}

export interface ContactLifecycleDoc {
  _id: string; // <workspace>:<contact>
  workspaceId: string;
  contactId: string;
  phase: Phase;
  half: IndexHalf;
  score: number;
  transitionCount: number;
  /** Most recent first, at most HISTORY_KEPT (computed in code: `$push`+`$slice` is ignored by FerretDB). */
  transitions: TransitionEntry[];
  /** SCORES stream position of the last score change applied. */
  lastSeq: number;
  updatedAt: Date;
}

export const HISTORY_KEPT = 100;

export interface LifecycleModels {
  LifecyclePolicy: Model<LifecyclePolicyDoc>;
  ContactLifecycle: Model<ContactLifecycleDoc>;
}

const options = { versionKey: false, _id: false } as const;

export function lifecycleModels(connection: Connection): LifecycleModels {
  const policy = new Schema<LifecyclePolicyDoc>(
    {
      _id: String,
      purchaseScore: { type: Number, required: true },
      exitScore: { type: Number, required: true },
      hysteresis: { type: Number, required: true },
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
    },
    { _id: false },
  );
  const contact = new Schema<ContactLifecycleDoc>(
    {
      _id: String,
      workspaceId: { type: String, required: true },
      contactId: { type: String, required: true },
      phase: { type: String, required: true },
      half: { type: String, required: true },
      score: { type: Number, required: true },
      transitionCount: { type: Number, required: true },
      transitions: { type: [transition], default: [] },
      lastSeq: { type: Number, required: true },
      updatedAt: { type: Date, required: true },
    },
    options,
  );
  return {
    LifecyclePolicy: connection.model<LifecyclePolicyDoc>('LifecyclePolicy', policy, 'lifecycle_policies'),
    ContactLifecycle: connection.model<ContactLifecycleDoc>('ContactLifecycle', contact, 'contact_lifecycles'),
  };
}
