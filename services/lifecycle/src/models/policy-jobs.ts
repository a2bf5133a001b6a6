// The collections of policy re-evaluation jobs: one document per job (its total written
// once every contact was asked), its runs (one per instance that ran it: a lease and a
// checkpoint, written only by that run's instance; a new run is claimed by inserting the
// next one, which exactly one instance can), the contacts it asks (listed once, by the
// first run that recorded the list), and one progress document per job and partition,
// written only by that partition's owner (FerretDB loses concurrent updates of one
// document, so no two writers ever share one).
import { Schema, type Connection, type Model } from 'mongoose';

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

/** One instance's turn at sending a job's requests; inserting run n+1 takes the job over. */
export interface PolicyJobRunDoc {
  _id: string; // <workspace>:<job>:<run>
  /** <workspace>:<job>: the job's document. */
  job: string;
  run: number;
  /** The instance sending (a random id per process). */
  runner: string;
  /** Until when the run holds the job (renewed while it sends); after it, any instance may take over. */
  leaseUntil: Date;
  /** Requests sent so far, in the order of the job's contact list: where the next run starts. */
  sent: number;
  updatedAt: Date;
}

/** The contacts a job asks, in order: recorded once (the first run to insert it wins). */
export interface PolicyJobListDoc {
  _id: string; // <workspace>:<job>
  /** The run whose chunks hold the list. */
  run: number;
  total: number;
  chunks: number;
}

/** A part of a run's contact list (PolicyJobListDoc says which run's list is the job's). */
export interface PolicyJobContactsDoc {
  _id: string; // <workspace>:<job>:<run>:<chunk>
  contactIds: string[];
}

export interface PolicyJobModels {
  LifecyclePolicyJob: Model<LifecyclePolicyJobDoc>;
  PolicyJobProgress: Model<PolicyJobProgressDoc>;
  PolicyJobRun: Model<PolicyJobRunDoc>;
  PolicyJobList: Model<PolicyJobListDoc>;
  PolicyJobContacts: Model<PolicyJobContactsDoc>;
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
  const run = new Schema<PolicyJobRunDoc>(
    {
      _id: String,
      job: { type: String, required: true },
      run: { type: Number, required: true },
      runner: { type: String, required: true },
      leaseUntil: { type: Date, required: true },
      sent: { type: Number, required: true },
      updatedAt: { type: Date, required: true },
    },
    options,
  );
  const list = new Schema<PolicyJobListDoc>(
    {
      _id: String,
      run: { type: Number, required: true },
      total: { type: Number, required: true },
      chunks: { type: Number, required: true },
    },
    options,
  );
  const contacts = new Schema<PolicyJobContactsDoc>({ _id: String, contactIds: [String] }, options);
  return {
    PolicyJobRun: connection.model<PolicyJobRunDoc>('PolicyJobRun', run, 'lifecycle_policy_job_runs'),
    PolicyJobList: connection.model<PolicyJobListDoc>('PolicyJobList', list, 'lifecycle_policy_job_lists'),
    PolicyJobContacts: connection.model<PolicyJobContactsDoc>(
      'PolicyJobContacts',
      contacts,
      'lifecycle_policy_job_contacts',
    ),
    LifecyclePolicyJob: connection.model<LifecyclePolicyJobDoc>('LifecyclePolicyJob', job, 'lifecycle_policy_jobs'),
    PolicyJobProgress: connection.model<PolicyJobProgressDoc>(
      'PolicyJobProgress',
      progress,
      'lifecycle_policy_job_progress',
    ),
  };
}
