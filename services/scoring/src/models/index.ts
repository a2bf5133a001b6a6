// Scoring's collections. Small and per workspace: rules, their audit log, settings,
// recompute jobs. Per contact, reachable by _id: the score document (written only by
// the consumer that owns the contact's partition) and its sealed history buckets.
import { Schema, type Connection, type Model } from 'mongoose';
import { jobRunModels, type JobRunModels } from '@cei/mongo';
import type { ScoringRule } from '../domain/rules';
import type { SentimentLanguage } from '../sentiment/analyser';
import type { ScoreRecord, ScoreState } from '../domain/score-state';
import type { ChangeFigures } from '../domain/score-change';
import type { RecomputeApplied } from '../domain/contact-step';
import { changeFigures, storedFigures, type StoredFigures } from './pending-changes';
import { scoreChangeModel, type ScoreChangeRow } from './score-changes';
import { trendSnapshotModels, type TrendDayDoc, type TrendSnapshotDoc } from './trend-snapshots';

import { usageModels, type UsageModels } from './usage';
import { healthPolicyModel, type HealthPolicyDoc } from './health';

export {
  scoreChangeSetDoc,
  storedChanges,
  type ScoreChangeDoc,
  type ScoreChangeRow,
  type ScoreChangeSetDoc,
  type StoredScoreChange,
} from './score-changes';
export * from './usage';
export type { HealthPolicyDoc } from './health';
export { trendSnapshotId, type TrendDayDoc, type TrendSnapshotDoc } from './trend-snapshots';
import { reputationModel, type ReputationDayDoc } from './reputation';
export { reputationDay, reputationDoc, type ReputationDayDoc } from './reputation';

export interface ScoringRuleDoc extends ScoringRule {
  _id: string; // <workspace>:<rule id>
  workspaceId: string;
  /** Bumped by every change; the audit entry of each change is keyed by it. */
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

export type AuditAction = 'CREATED' | 'UPDATED' | 'ENABLED' | 'DISABLED' | 'DELETED';

export interface RuleAuditDoc {
  _id: string; // <workspace>:<rule id>:<revision>: a unique insert arbitrates concurrent edits
  workspaceId: string;
  ruleId: string;
  revision: number;
  action: AuditAction;
  actor: string;
  at: Date;
  before: ScoringRule | null;
  after: ScoringRule | null;
}

export interface ScoringSettingsDoc {
  _id: string; // <workspace>
  workspaceId: string;
  /** Scores lose half their value after this many days without points; null: no decay. */
  halfLifeDays: number | null;
  /** The language of texts that do not say theirs (absent or null: detected). */
  sentimentLanguage?: SentimentLanguage | null;
  updatedAt: Date;
}

/**
 * Records per sealed history bucket; the open bucket lives in the score document,
 * which is rewritten on every batch: small buckets keep that write small.
 */
export const BUCKET_SIZE = 16;

/**
 * A bucket is also sealed once its records reach this many characters of JSON (a record
 * holds its interaction's properties, which senders size): the open bucket, and with it
 * the score document every batch reads and rewrites, stays this small whatever the events
 * carry. Records of the usual few hundred characters fill a bucket by count first. 8 K, not
 * 16: with interactions of 8 KB over 20,000 contacts scoring ran out of heap at 16 (the open
 * buckets of the ~4,000 contacts its batches apply at once, parsed and serialised).
 */
export const BUCKET_CHARS = 8 * 1024;
// Both bounds decide which records a sealed bucket holds, and a write replayed after a crash
// keeps the buckets it finds under its ids as its own: a version that changes either must not
// replay a write an earlier version began (deploy it with scoring's consumers drained).

export interface ContactScoreDoc {
  _id: string; // <workspace>:<contact>
  workspaceId: string;
  contactId: string;
  state: ScoreState;
  /** INTERACTIONS stream position of the last event applied. */
  lastSeq: number;
  /** Catches a re-publish outside the stream's duplicate window (it comes with a new position). */
  recentInteractionIds: string[];
  /** History: a rebuild writes a new generation of buckets and switches to it here, in one write. */
  generation: number;
  /** Full buckets written as their own documents: <workspace>:<contact>:<generation>:<n>. */
  sealed: number;
  /**
   * The records those buckets hold (a bucket sealed by its size holds fewer than BUCKET_SIZE).
   * Absent in documents written before buckets were sealed by size: sealed × BUCKET_SIZE.
   */
  sealedRecords?: number;
  /** The open bucket: the newest records, oldest first. */
  tail: ScoreRecord[];
  /**
   * The characters of JSON its records hold (summed record by record, as a bucket is measured
   * for BUCKET_CHARS), so that a write measures only the records it adds. Absent in documents
   * written before: measured from the records.
   */
  tailChars?: number;
  /** The last general score published, to tell a significant decay. */
  published: number;
  /** When the scheduled decay check is due (null: none). */
  decayCheckAt: Date | null;
  /**
   * The score changes the last write was about to publish (written first, published
   * after), as figures by input position: a redelivery of those inputs publishes them
   * again, and the stream's duplicate window drops the copies of those that went out.
   */
  pendingChanges: ChangeFigures[];
  /**
   * How `pendingChanges` divide into the messages they go out in (sizes, in order; see
   * domain/score-change: ChangeSet). Absent, as in documents written before: each alone.
   */
  pendingSets?: number[];
  /**
   * The recompute jobs applied to the contact (most recent first, the last RECOMPUTE_JOBS_KEPT),
   * with the position that applied each: a job's request sent again (by the instance that took
   * the job over, after JetStream's duplicate window) is neither applied nor counted again.
   * Absent in documents written before: none.
   */
  recomputedBy?: RecomputeApplied[];
  updatedAt: Date;
  /** The contact's account (its accountId trait), for influence's engaged colleagues (absent: none). */
  accountId?: string | null;
  /**
   * The usage document's position when this document was written (0: none exists); absent in
   * documents written before it was recorded (unknown: the usage document is read).
   */
  usageSeq?: number;
}

/**
 * How a score document is stored: the fields the code filters or reads alone stay
 * fields; the nested state, the open bucket and the recent ids travel as one JSON
 * string. The database never queries inside them, and FerretDB v1 converts nested
 * documents slowly: a ~5 KB nested document read and replaced 85 times/s, the same
 * as one string 285 times/s (measured here, 8 in parallel, PostgreSQL backend).
 */
type BodyFields = 'state' | 'tail' | 'recentInteractionIds' | 'pendingChanges' | 'pendingSets' | 'recomputedBy';

export interface ContactScoreRow extends Omit<ContactScoreDoc, BodyFields> {
  body: string;
}

interface ScoreBody extends Pick<
  ContactScoreDoc,
  'state' | 'tail' | 'recentInteractionIds' | 'recomputedBy' | 'pendingSets'
> {
  /** Absent in documents written before changes were recorded with the write: none pending. */
  pendingChanges?: StoredFigures[];
}

export function scoreRow(doc: ContactScoreDoc): ContactScoreRow {
  const { state, tail, recentInteractionIds, pendingChanges, pendingSets, recomputedBy, ...fields } = doc;
  const body: ScoreBody = {
    state,
    tail,
    recentInteractionIds,
    pendingChanges: storedFigures(pendingChanges),
    // Only where a set has several: absent, each change is alone.
    ...(pendingSets?.some((size) => size > 1) ? { pendingSets } : {}),
    ...(recomputedBy?.length ? { recomputedBy } : {}),
  };
  return { ...fields, body: JSON.stringify(body) };
}

export function scoreDoc(row: ContactScoreRow): ContactScoreDoc {
  const { body, ...fields } = row;
  const { pendingChanges: pending = [], ...stored } = JSON.parse(body) as ScoreBody;
  return { ...fields, ...stored, pendingChanges: changeFigures(pending) };
}

/** A sealed history bucket; its records are stored as one JSON string (see ContactScoreRow). */
export interface HistoryBucketDoc {
  _id: string; // <workspace>:<contact>:<generation>:<n>
  workspaceId: string;
  records: string;
  /** The contact's index of its first record; absent in buckets sealed before by count only: n × BUCKET_SIZE. */
  first?: number;
}

export type JobState = 'RUNNING' | 'DONE' | 'FAILED';

export interface RecomputeJobDoc {
  _id: string; // <workspace>:<job>
  workspaceId: string;
  jobId: string;
  dryRun: boolean;
  /** Dry run: the rules to try instead of the workspace's (null: the current rules). */
  rules: ScoringRule[] | null;
  actor: string;
  /** Contacts the job asked to rebuild (set once they are all requested). */
  total: number | null;
  state: JobState;
  error: string | null;
  startedAt: Date;
}

/** A contact's score before and after a rebuild (what a dry run answers). */
export interface ScoreComparison {
  contactId: string;
  before: { general: number; stage: number; tags: Record<string, number> };
  after: { general: number; stage: number; tags: Record<string, number> };
}

/** Progress of one job in one partition, written by that partition's owner only. */
export interface JobProgressDoc {
  _id: string; // <workspace>:<job>:<partition>
  workspaceId: string;
  done: number;
  changed: number;
  /** The largest changes seen, kept short. */
  largest: ScoreComparison[];
  /**
   * Stream positions of the requests counted here, comma-separated (one string: FerretDB
   * converts nested arrays slowly): a redelivered request is not counted twice. A set,
   * not a high-water mark: the partition's consumer keeps order per contact only, so a
   * request held back by a retry is applied after later requests of other contacts.
   */
  counted?: string;
  /** Documents written before `counted` existed: every position up to it was counted. */
  lastSeq: number;
  updatedAt: Date;
}

export interface ScorePreviewDoc extends ScoreComparison {
  _id: string; // <workspace>:<job>:<contact>
  workspaceId: string;
}

export interface ScoringModels extends UsageModels {
  ScoringRule: Model<ScoringRuleDoc>;
  RuleAudit: Model<RuleAuditDoc>;
  ScoringSettings: Model<ScoringSettingsDoc>;
  HealthPolicy: Model<HealthPolicyDoc>;
  ContactScore: Model<ContactScoreRow>;
  HistoryBucket: Model<HistoryBucketDoc>;
  RecomputeJob: Model<RecomputeJobDoc>;
  /** A recompute job's runs and contact list (leased-jobs in @cei/mongo: the job outlives its instance). */
  RecomputeJobRun: JobRunModels['runs'];
  RecomputeJobList: JobRunModels['lists'];
  RecomputeJobListChunk: JobRunModels['chunks'];
  JobProgress: Model<JobProgressDoc>;
  ScorePreview: Model<ScorePreviewDoc>;
  ScoreChange: Model<ScoreChangeRow>;
  TrendSnapshot: Model<TrendSnapshotDoc>;
  TrendDay: Model<TrendDayDoc>;
  ReputationDay: Model<ReputationDayDoc>;
}

const options = { versionKey: false, _id: false, minimize: false } as const;
const { Mixed } = Schema.Types;

/** Documents stored as written: the code validates them, the database keeps them. */
function plain<T>(fields: Record<string, unknown>) {
  return new Schema<T>({ _id: String, workspaceId: { type: String, required: true }, ...fields }, options);
}

export function scoringModels(connection: Connection): ScoringModels {
  const rule = plain<ScoringRuleDoc>({
    ruleId: { type: String, required: true },
    type: { type: String, required: true },
    name: { type: String, default: null },
    kind: { type: String, default: null },
    variant: { type: String, default: null },
    condition: { type: Mixed, default: null },
    effect: { type: Mixed, required: true },
    cap: { type: Mixed, default: null },
    validFrom: { type: Date, default: null },
    validUntil: { type: Date, default: null },
    enabled: { type: Boolean, required: true },
    priority: { type: Number, required: true },
    exclusive: { type: Boolean, required: true },
    revision: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  });
  const audit = plain<RuleAuditDoc>({
    ruleId: String,
    revision: Number,
    action: String,
    actor: String,
    at: Date,
    before: { type: Mixed, default: null },
    after: { type: Mixed, default: null },
  });
  const settings = plain<ScoringSettingsDoc>({
    halfLifeDays: { type: Number, default: null },
    sentimentLanguage: { type: String, default: null },
    updatedAt: Date,
  });
  const score = plain<ContactScoreRow>({
    contactId: { type: String, required: true },
    body: { type: String, required: true },
    lastSeq: { type: Number, required: true },
    generation: { type: Number, required: true },
    sealed: { type: Number, required: true },
    sealedRecords: { type: Number },
    tailChars: { type: Number },
    published: { type: Number, required: true },
    decayCheckAt: { type: Date, default: null },
    updatedAt: { type: Date, required: true },
    accountId: { type: String, default: null },
    usageSeq: { type: Number },
  });
  const bucket = plain<HistoryBucketDoc>({ records: { type: String, required: true }, first: { type: Number } });
  const job = plain<RecomputeJobDoc>({
    jobId: String,
    dryRun: Boolean,
    rules: { type: Mixed, default: null },
    actor: String,
    total: { type: Number, default: null },
    state: String,
    error: { type: String, default: null },
    startedAt: Date,
  });
  const progress = plain<JobProgressDoc>({
    done: Number,
    changed: Number,
    largest: Mixed,
    counted: { type: String, default: '' },
    lastSeq: Number,
    updatedAt: Date,
  });
  const preview = plain<ScorePreviewDoc>({ contactId: String, before: Mixed, after: Mixed });
  const jobRuns = jobRunModels(connection, 'RecomputeJob', 'recompute_job');
  return {
    ScoringRule: connection.model<ScoringRuleDoc>('ScoringRule', rule, 'scoring_rules'),
    RuleAudit: connection.model<RuleAuditDoc>('RuleAudit', audit, 'scoring_rule_audit'),
    ScoringSettings: connection.model<ScoringSettingsDoc>('ScoringSettings', settings, 'scoring_settings'),
    ContactScore: connection.model<ContactScoreRow>('ContactScore', score, 'contact_scores'),
    HistoryBucket: connection.model<HistoryBucketDoc>('HistoryBucket', bucket, 'score_history'),
    RecomputeJob: connection.model<RecomputeJobDoc>('RecomputeJob', job, 'recompute_jobs'),
    RecomputeJobRun: jobRuns.runs,
    RecomputeJobList: jobRuns.lists,
    RecomputeJobListChunk: jobRuns.chunks,
    JobProgress: connection.model<JobProgressDoc>('JobProgress', progress, 'recompute_progress'),
    ScorePreview: connection.model<ScorePreviewDoc>('ScorePreview', preview, 'score_previews'),
    ScoreChange: scoreChangeModel(connection),
    ...usageModels(connection),
    ...trendSnapshotModels(connection),
    ReputationDay: reputationModel(connection),
    HealthPolicy: healthPolicyModel(connection),
  };
}
