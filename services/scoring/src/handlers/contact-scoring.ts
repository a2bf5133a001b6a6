// The scoring hop: interactions recorded → scored → score changes published. The
// same ordered partition carries the requests scoring sends to a contact's owner
// (a new phase resets the stage score, a due decay check, a recompute), so every
// change to a contact is applied by its one owner, in one order.
//
// Per batch: load (score documents as this owner last wrote them or by _id, policies,
// what a recompute needs), then per contact apply each input in a pure step
// (domain/contact-step), then commit: write the usage document (usage/commit-usage), then the
// score document once with the position of its last input, publish its score changes, schedule its
// next decay check (scores/commit-contact). After all contacts: the batch's texts are counted into
// the workspace's reputation per day (reputation/record-reputation).
import { setImmediate } from 'node:timers/promises';
import {
  decodeInteractionMessage,
  eventJson,
  isScoringRequest,
  ScoringRequestedV1,
  type Topology,
} from '@cei/contracts';
import type { Database } from '@cei/mongo';
import { NOT_ABANDONED, type BatchContext, type Delivery, type Nats } from '@cei/nats';
import type { Logger } from '@cei/config';
import type { ContactScoreRow, ContactUsageRow, ScoringModels } from '../models';
import { applyInput, startProgress, type ScoringInput } from '../domain/contact-step';
import type { RuleBook } from '../rules/rule-book';
import type { FeatureBook } from '../usage/feature-catalog';
import { planUsage } from '../usage/commit-usage';
import type { JobStep, RecomputeJobs } from '../jobs/recompute-jobs';
import { loadBatch, ownedScores, ownedUsage } from '../scores/load-batch';
import { commitContacts, planContact, type CommitProbe } from '../scores/commit-contact';
import { createReputationWriter } from '../reputation/record-reputation';

export type { ScoringInput } from '../domain/contact-step';

/** A request to the contact's owner, or an interaction (alone, or a pack of several contacts' each at the message's position). */
export function decodeScoringInput(data: Uint8Array, subject: string): ScoringInput | ScoringInput[] {
  return isScoringRequest(subject) ? ScoringRequestedV1.parse(eventJson(data)) : decodeInteractionMessage(data);
}

export interface ScoringDeps {
  db: Database;
  models: ScoringModels;
  nats: Nats;
  topology: Topology;
  rules: RuleBook;
  features: FeatureBook;
  jobs: RecomputeJobs;
  log: Logger;
  now: () => Date;
  probe?: CommitProbe;
  /** See CommitDeps.decayCheckHorizonMs (a test seam). */
  decayCheckHorizonMs?: number;
  /** How many contacts' score documents to keep in memory (CEI_STATE_CACHE_CONTACTS). */
  stateCacheContacts: number;
}

/** Contacts a batch steps between two turns of the event loop (see scoreContacts). */
const CONTACTS_PER_TURN = 32;

export function createContactScorer(deps: ScoringDeps) {
  const scores = ownedScores(deps.db, deps.models, deps.stateCacheContacts);
  const usage = ownedUsage(deps.db, deps.models, deps.stateCacheContacts);
  const recordReputation = createReputationWriter(deps);
  return async function scoreContacts(
    batch: Delivery<ScoringInput>[],
    partition: number,
    context: BatchContext = NOT_ABANDONED,
  ): Promise<void> {
    const { signal } = context;
    const contacts = await loadBatch({ ...deps, scores, usage }, batch, context);
    const recomputed: JobStep[] = [];
    // The signal fires when the batch is abandoned (stop deadline): no write of it may start after that.
    const commitDeps = {
      ...deps,
      signal,
      remember: (row: ContactScoreRow) => scores.written(row._id, row, context),
      rememberUsage: (row: ContactUsageRow) => usage.written(row._id, row, context),
    };
    // Each contact decoded, stepped and planned in turn: only its plan (rows already encoded) is
    // kept, never every contact's decoded document at once. A batch of a backlog holds hundreds
    // of contacts and thousands of events: the loop gives the event loop back every
    // CONTACTS_PER_TURN contacts, so that the other partitions' keep-alives, acknowledgements and
    // batches are not held up behind seconds of this one.
    const plans = [];
    for (const [i, contact] of contacts.entries()) {
      if (i > 0 && i % CONTACTS_PER_TURN === 0) await setImmediate();
      const { stored: decode, storedUsage, deliveries, policy, features, storedRecords, job, mergedRecords } = contact;
      const stored = decode();
      let progress = startProgress(stored, storedUsage);
      for (const delivery of deliveries) {
        const ctx = { at: deps.now(), policy, features, job, storedRecords, mergedRecords };
        progress = applyInput(progress, delivery, ctx);
      }
      recomputed.push(...progress.recomputes.map((outcome) => ({ ...outcome, doc: stored })));
      plans.push({
        usage: planUsage(deps.now, storedUsage, progress),
        commit: planContact(deps, stored, progress, policy),
      });
    }
    await commitContacts(commitDeps, plans);
    // After the writes: the texts count toward the reputation once their contacts hold them.
    signal.throwIfAborted();
    const languages = new Map(contacts.map((c) => [c.deliveries[0]!.event.workspaceId, c.policy.sentimentLanguage]));
    await recordReputation(batch, partition, context, (workspaceId) => languages.get(workspaceId) ?? null);
    // A job counts a contact once it is rebuilt for good.
    signal.throwIfAborted();
    if (recomputed.length > 0) await deps.jobs.recordProgress(partition, recomputed);
  };
}
