// Loads what the scoring steps of one batch need, before any of them runs: each
// contact's score document (as this owner last wrote it, or by _id from the database),
// the policies of the batch's workspaces, and, for a recompute, its job and the
// contact's stored records.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { contactKey } from '@cei/contracts';
import { loadByIds, type Database } from '@cei/mongo';
import { firstDeliveries, groupByContact, OwnedState, type BatchContext, type Delivery } from '@cei/nats';
import {
  scoreDoc,
  usageDoc,
  type ContactScoreDoc,
  type ContactScoreRow,
  type ContactUsageDoc,
  type ContactUsageRow,
  type ScoringModels,
} from '../models';
import type { MergedContact, RecomputeJobSpec, ScoringInput } from '../domain/contact-step';
import { emptyUsage, usageFact, type FeatureCatalog } from '../domain/product-usage';
import type { FeatureBook } from '../usage/feature-catalog';
import { emptyState, type ScoreRecord, type ScoringPolicy } from '../domain/score-state';
import type { RuleBook } from '../rules/rule-book';
import type { RecomputeJobs } from '../jobs/recompute-jobs';
import { readAllRecords } from './contact-history';

export interface LoadedContact {
  key: string;
  /**
   * The contact's score document as stored, decoded when its turn to be written comes:
   * decoded, a document with its open bucket takes ten times its row, and a batch of
   * every partition at once would hold hundreds of them.
   */
  stored(): ContactScoreDoc;
  /** The contact's usage document as stored (an empty one at position 0 when none is). */
  storedUsage: ContactUsageDoc;
  /** The contact's inputs in the batch, in stream order. */
  deliveries: Delivery<ScoringInput>[];
  policy: ScoringPolicy;
  features: FeatureCatalog;
  /** Every stored record, when a new recompute request or merge needs them (else null). */
  storedRecords: ScoreRecord[] | null;
  /** A new merge's merged-away contact: its stored records and traits (read only; its own owner writes it). */
  mergedRecords(from: string): MergedContact;
  job(jobId: string): RecomputeJobSpec | null;
}

export interface LoadDeps {
  db: Database;
  models: ScoringModels;
  rules: RuleBook;
  features: FeatureBook;
  jobs: RecomputeJobs;
  scores: OwnedScores;
  usage: OwnedState<ContactUsageRow>;
}

/** A remembered score row: its body deflated, as a string of its bytes (see `ownedScores`). */
type KeptScoreRow = Omit<ContactScoreRow, 'body'> & { deflated: string };
export type OwnedScores = OwnedState<ContactScoreRow, KeptScoreRow>;

/**
 * The score documents a partition's owner remembers between batches (see OwnedState),
 * as stored rows whose body is kept deflated: the body is one JSON string (~4–8 KB, mostly
 * the open history bucket), and 10,000 of them were 77 MB of scoring's heap after a drain
 * (a heap snapshot); deflated, a sixth of that, for ~0.1 ms of CPU per write and read. Kept
 * as a latin1 string of the deflated bytes: the Buffer zlib returns is a view into its 16 KB
 * output chunk, which it would keep alive per contact (10,000 × 16 KB of native memory).
 */
/**
 * Level 3, not zlib's default 6: a 5 KB body deflated in 12.5 µs instead of 29.5, to 991 bytes
 * instead of 927 (node, 20,000 times each; inflating is as fast either way).
 */
const DEFLATE = { level: 3 } as const;

/**
 * Rows kept as written until this many newer writes push them out (OwnedState's `keep.hot`, ~6 MB):
 * a new contact's row is written at its creation and again, moments later, at the stage reset its
 * first phase change brings back; deflated and inflated in between, that was ~0.3 ms of scoring's CPU
 * per new contact at 200 a second. At that rate the reset comes back within ~250 writes even with the
 * queue of a saturated machine; with 1,000 rows scoring's RSS at the end of `pnpm bench` was 226 MB
 * (208 and 214 MB in the two runs before them; the bound is 250), so half of that.
 */
const KEPT_AS_WRITTEN = 512;

export function ownedScores(db: Database, models: ScoringModels, max: number): OwnedScores {
  return new OwnedState<ContactScoreRow, KeptScoreRow>({
    max,
    load: (keys) => loadByIds(db, models.ContactScore, keys),
    keep: {
      pack: ({ body, ...row }) => ({ ...row, deflated: deflateRawSync(body, DEFLATE).toString('latin1') }),
      unpack: ({ deflated, ...row }) => ({
        ...row,
        body: inflateRawSync(Buffer.from(deflated, 'latin1')).toString('utf8'),
      }),
      hot: KEPT_AS_WRITTEN,
    },
  });
}

/** The usage documents a partition's owner remembers between batches (small: one string each). */
export function ownedUsage(db: Database, models: ScoringModels, max: number): OwnedState<ContactUsageRow> {
  return new OwnedState<ContactUsageRow>({ max, load: (keys) => loadByIds(db, models.ContactUsage, keys) });
}

export function emptyUsageDoc(key: string, workspaceId: string, contactId: string): ContactUsageDoc {
  return { _id: key, workspaceId, contactId, usage: emptyUsage(), lastSeq: 0, updatedAt: new Date(0) };
}

export function emptyScoreDoc(key: string, workspaceId: string, contactId: string): ContactScoreDoc {
  return {
    _id: key,
    workspaceId,
    contactId,
    state: emptyState(),
    lastSeq: 0,
    recentInteractionIds: [],
    generation: 0,
    sealed: 0,
    tail: [],
    published: 0,
    decayCheckAt: null,
    pendingChanges: [],
    updatedAt: new Date(0),
  };
}

function decoded(row: ContactScoreRow): ContactScoreDoc {
  // A document without `body` predates per-dimension scores: start it afresh (at its position).
  return row.body ? scoreDoc(row) : { ...emptyScoreDoc(row._id, row.workspaceId, row.contactId), lastSeq: row.lastSeq };
}

/**
 * Whether a contact's usage document must be read for this batch. Most contacts never send
 * product usage, and reading their (absent) usage document was one database command per
 * contact and consumer. The score document records the usage position it was written with
 * (`usageSeq`), and the usage document is written before it, so the usage document can be
 * ahead of that position only by usage events the score document has not applied, which are
 * then redelivered after its position. So the read is needed when the score document knows of
 * usage (or predates the field), or when the batch brings a usage event or a merge (which folds
 * in the merged contact's usage) after the score document's position. Otherwise the contact's
 * usage, as of its events in this batch, is none.
 */
export function mayHaveUsage(row: ContactScoreRow | undefined, deliveries: readonly Delivery<ScoringInput>[]): boolean {
  if (row && (row.usageSeq === undefined || row.usageSeq > 0)) return true;
  const storedSeq = row?.lastSeq ?? 0;
  return deliveries.some(
    ({ event, seq }) =>
      seq > storedSeq && !('request' in event) && (event.kind === 'CONTACT_MERGED' || usageFact(event) !== null),
  );
}

export async function loadBatch(
  deps: LoadDeps,
  batch: Delivery<ScoringInput>[],
  context: Pick<BatchContext, 'ownership'>,
): Promise<LoadedContact[]> {
  const byContact = groupByContact(batch);
  const workspaceIds = batch.map((d) => d.event.workspaceId);
  // A contact whose interaction is, on ingestion's word, its first has no score or usage
  // document to read (InteractionRecorded.first; a wrong word is refused by the fenced creation).
  const unwritten = firstDeliveries(byContact, (event) => !('request' in event) && event.first === true);
  const [rows, policyOf, catalogOf] = await Promise.all([
    deps.scores.read(byContact.keys(), context, unwritten),
    deps.rules.policies(workspaceIds),
    deps.features.catalogs(workspaceIds),
  ]);
  const usageRows = await deps.usage.read(
    [...byContact].filter(([key, deliveries]) => mayHaveUsage(rows.get(key), deliveries)).map(([key]) => key),
    context,
    unwritten,
  );
  const contacts = [...byContact].map(([key, deliveries]) => {
    const { workspaceId, contactId } = deliveries[0]!.event;
    const row = rows.get(key);
    const stored = () => (row ? decoded(row) : emptyScoreDoc(key, workspaceId, contactId));
    const storedSeq = row?.lastSeq ?? 0;
    const recomputes = deliveries.flatMap(({ event, seq }) =>
      seq > storedSeq && 'request' in event && event.request === 'RECOMPUTE' ? [event.jobId] : [],
    );
    const merges = deliveries.flatMap(({ event, seq }) =>
      seq > storedSeq && !('request' in event) && event.kind === 'CONTACT_MERGED'
        ? [String(event.properties.from)]
        : [],
    );
    const usageRow = usageRows.get(key);
    const storedUsage = usageRow ? usageDoc(usageRow) : emptyUsageDoc(key, workspaceId, contactId);
    return { key, stored, storedUsage, deliveries, workspaceId, recomputes, merges };
  });

  const wanted = new Map<string, { workspaceId: string; jobId: string }>();
  for (const { workspaceId, recomputes } of contacts) {
    for (const jobId of recomputes) wanted.set(jobKey(workspaceId, jobId), { workspaceId, jobId });
  }
  const jobs = new Map(
    await Promise.all(
      [...wanted].map(
        async ([key, { workspaceId, jobId }]) => [key, await deps.jobs.definition(workspaceId, jobId)] as const,
      ),
    ),
  );
  return Promise.all(
    contacts.map(
      async ({ key, stored, storedUsage, deliveries, workspaceId, recomputes, merges }): Promise<LoadedContact> => ({
        key,
        stored,
        storedUsage,
        deliveries,
        policy: policyOf(workspaceId),
        features: catalogOf(workspaceId),
        storedRecords:
          recomputes.length + merges.length > 0 ? await readAllRecords(deps.db, deps.models, stored()) : null,
        mergedRecords: await mergedRecordsOf(deps, workspaceId, merges),
        job(jobId) {
          const job = jobs.get(jobKey(workspaceId, jobId));
          if (job === undefined) throw new Error(`recompute job ${jobId} was not loaded for this batch`);
          return job;
        },
      }),
    ),
  );
}

/**
 * The records of contacts merged away, read from their score documents as their owners last wrote
 * them (a merge is rare: a read by _id each, off the common path).
 */
async function mergedRecordsOf(deps: LoadDeps, workspaceId: string, froms: string[]) {
  const found = new Map<string, MergedContact>();
  if (froms.length > 0) {
    const keys = froms.map((from) => contactKey(workspaceId, from));
    const rows = await loadByIds(deps.db, deps.models.ContactScore, keys);
    for (const [i, from] of froms.entries()) {
      const row = rows.get(keys[i]!);
      const doc = row ? decoded(row) : null;
      found.set(from, {
        records: doc ? await readAllRecords(deps.db, deps.models, doc) : [],
        profile: doc?.state.profile ?? null,
      });
    }
  }
  return (from: string): MergedContact => {
    const records = found.get(from);
    if (!records) throw new Error(`the records of merged contact ${from} were not loaded for this batch`);
    return records;
  };
}

const jobKey = (workspaceId: string, jobId: string) => `${workspaceId}:${jobId}`;
