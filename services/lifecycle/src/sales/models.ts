// Lifecycle's sales collections. Admin-edited config, one document each, written only by
// mutations (last writer wins: nothing is accumulated): the qualification policy
// (`<ws>`), owners (`<ws>:<owner>`) and teams (`<ws>:<team>`). Written by the one
// consumer that owns a team's routing key: its round-robin position (`<ws>:<team>`).
// Insert-only: every qualification step of every contact (`<ws>:<contact>:q<n>`),
// what the contact document no longer keeps and what the counts are computed from.
import { Schema, type Connection, type Model } from 'mongoose';
import type { Qualification, QualificationAction } from '@cei/contracts';
import type { QualificationPolicy } from '../domain/qualification';

export interface QualificationPolicyDoc extends QualificationPolicy {
  _id: string; // <workspace>
  updatedAt: Date;
}

export interface OwnerDoc {
  _id: string; // <workspace>:<owner>
  workspaceId: string;
  ownerId: string;
  name: string;
  email: string | null;
  active: boolean;
  updatedAt: Date;
}

export interface TeamDoc {
  _id: string; // <workspace>:<team>
  workspaceId: string;
  teamId: string;
  name: string;
  /** The round-robin's order. */
  memberIds: string[];
  active: boolean;
  updatedAt: Date;
}

/** A team's round-robin position, written only by the consumer of the team's routing key. */
export interface TeamRotationDoc {
  _id: string; // <workspace>:<team>
  workspaceId: string;
  teamId: string;
  lastOwnerId: string | null;
  /** Scores stream position of the last LEAD_ROUTE applied. */
  lastSeq: number;
  /** The latest answers (seq → lead, owner), newest first: re-published when their routes are redelivered. */
  recent: { seq: number; contactId: string; ownerId: string | null }[];
}

export interface QualificationStepDoc {
  _id: string; // <workspace>:<contact>:q<n>
  workspaceId: string;
  contactId: string;
  n: number;
  action: QualificationAction;
  from: Qualification;
  to: Qualification;
  at: Date;
  actor: string | null;
  reason: string | null;
}

export interface SalesModels {
  QualificationPolicy: Model<QualificationPolicyDoc>;
  Owner: Model<OwnerDoc>;
  Team: Model<TeamDoc>;
  TeamRotation: Model<TeamRotationDoc>;
  QualificationStep: Model<QualificationStepDoc>;
}

const options = { versionKey: false, _id: false } as const;

export function salesModels(connection: Connection): SalesModels {
  const policy = new Schema<QualificationPolicyDoc>(
    {
      _id: String,
      marketingQualifiedScore: Number,
      salesAssignScore: Number,
      routingRules: { type: Schema.Types.Mixed, default: [] },
      fallbackTeamId: String,
      updatedAt: { type: Date, required: true },
    },
    options,
  );
  const owner = new Schema<OwnerDoc>(
    {
      _id: String,
      workspaceId: { type: String, required: true },
      ownerId: { type: String, required: true },
      name: { type: String, required: true },
      email: String,
      active: { type: Boolean, required: true },
      updatedAt: { type: Date, required: true },
    },
    options,
  );
  const team = new Schema<TeamDoc>(
    {
      _id: String,
      workspaceId: { type: String, required: true },
      teamId: { type: String, required: true },
      name: { type: String, required: true },
      memberIds: { type: [String], default: [] },
      active: { type: Boolean, required: true },
      updatedAt: { type: Date, required: true },
    },
    options,
  );
  const rotation = new Schema<TeamRotationDoc>(
    {
      _id: String,
      workspaceId: { type: String, required: true },
      teamId: { type: String, required: true },
      lastOwnerId: String,
      lastSeq: { type: Number, required: true },
      recent: { type: Schema.Types.Mixed, default: [] },
    },
    options,
  );
  const step = new Schema<QualificationStepDoc>(
    {
      _id: String,
      workspaceId: { type: String, required: true },
      contactId: { type: String, required: true },
      n: Number,
      action: String,
      from: String,
      to: String,
      at: Date,
      actor: String,
      reason: String,
    },
    options,
  );
  return {
    QualificationPolicy: connection.model<QualificationPolicyDoc>(
      'QualificationPolicy',
      policy,
      'lifecycle_qualification_policies',
    ),
    Owner: connection.model<OwnerDoc>('Owner', owner, 'lifecycle_owners'),
    Team: connection.model<TeamDoc>('Team', team, 'lifecycle_teams'),
    TeamRotation: connection.model<TeamRotationDoc>('TeamRotation', rotation, 'lifecycle_team_rotations'),
    QualificationStep: connection.model<QualificationStepDoc>(
      'QualificationStep',
      step,
      'lifecycle_qualification_steps',
    ),
  };
}
