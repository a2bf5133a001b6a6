// The collections of policy re-evaluation jobs: one document per job (its total written
// once every contact was asked), its runs and contact list (leased-jobs in @cei/mongo: a
// lease and a count per run, written only by that run's instance; the list recorded once),
// and one progress document per job and partition,
// written only by that partition's owner (FerretDB loses concurrent updates of one
// document, so no two writers ever share one).
import { Schema, type Connection, type Model } from 'mongoose';
import { jobRunModels, type JobRunModels } from '@cei/mongo';

export type PolicyJobStatus = 'RUNNING' | 'DONE' | 'FAILED';

export interface LifecyclePolicyJobDoc {
  _id: string; // <workspace>:<job>
  workspaceId: string;
  jobId: string;
  /** Who changed the policy (the API key's actor). */
  actor: string;
  /** Contacts asked to be evaluated again; null until all were asked. */
  total: number | null;
  /** FAILED when not every contact could be asked; otherwise derived from the progress. */
  status: 'RUNNING' | 'FAILED';
  error: string | null;
  startedAt: Date;
}

export interface PolicyJobProgressDoc {
  _id: string; // <workspace>:<job>:<partition>
  workspaceId: string;
  done: number;
  transitions: number;
  /** Stream positions of the requests counted already (a redelivered one counts once). */
  counted: string;
  updatedAt: Date;
}

export interface PolicyJobModels {
  LifecyclePolicyJob: Model<LifecyclePolicyJobDoc>;
  PolicyJobProgress: Model<PolicyJobProgressDoc>;
  /** The job's runs and contact list (leased-jobs in @cei/mongo). */
  PolicyJobRun: JobRunModels['runs'];
  PolicyJobList: JobRunModels['lists'];
  PolicyJobListChunk: JobRunModels['chunks'];
}

const options = { versionKey: false, _id: false } as const;

export function policyJobModels(connection: Connection): PolicyJobModels {
  const job = new Schema<LifecyclePolicyJobDoc>(
    {
      _id: String,
      workspaceId: { type: String, required: true },
      jobId: { type: String, required: true },
      actor: String,
      total: { type: Number, default: null },
      status: { type: String, required: true },
      error: { type: String, default: null },
      startedAt: { type: Date, required: true },
    },
    options,
  );
  const progress = new Schema<PolicyJobProgressDoc>(
    {
      _id: String,
      workspaceId: { type: String, required: true },
      done: { type: Number, required: true },
      transitions: { type: Number, required: true },
      counted: { type: String, default: '' },
      updatedAt: { type: Date, required: true },
    },
    options,
  );
  const { runs, lists, chunks } = jobRunModels(connection, 'PolicyJob', 'lifecycle_policy_job');
  return {
    PolicyJobRun: runs,
    PolicyJobList: lists,
    PolicyJobListChunk: chunks,
    LifecyclePolicyJob: connection.model<LifecyclePolicyJobDoc>('LifecyclePolicyJob', job, 'lifecycle_policy_jobs'),
    PolicyJobProgress: connection.model<PolicyJobProgressDoc>(
      'PolicyJobProgress',
      progress,
      'lifecycle_policy_job_progress',
    ),
  };
}
