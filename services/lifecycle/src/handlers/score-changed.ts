// The lifecycle hop: score changed → phase evaluated → phase change published.
// One writer per contact (its partition's consumer): it reads the lifecycle
// documents (as it last wrote them, or by _id), applies each input in stream order (a
// score change, or a request addressed to the contact's owner: LifecycleRequested), moves whole buckets of old transitions out (insert-only, by _id), writes each
// document once, fenced by its stored position (not at all when only its position would change:
// a new phase's stage starts at zero, so scoring's stage reset that follows changes nothing, and
// a replay applies it again to the same effect), and then publishes the new transitions
// (message id = transition id). When a rule of time will move the contact later, it
// schedules the contact's one pending phase check (phase-check.ts); a policy job's
// re-evaluations are counted toward the job after the writes. Sales requests and the
// qualification a score change causes are applied in the same order and their events
// published with the transitions (sales/contact-sales.ts); lead routes go to a team's
// round-robin (sales/team-router.ts).
import {
  decodeScoreChangeMessage,
  eventJson,
  isLifecycleRequest,
  LifecycleRequestedV1,
  messageIds,
  type LifecycleRequested,
  type PhaseChanged,
  type ScoreChanged,
  type Topology,
} from '@cei/contracts';
import { appendShared, loadByIds, StaleStateError, writeAtPosition, type Database } from '@cei/mongo';
import {
  groupByContact,
  OwnedState,
  firstDeliveries,
  publishInOrder,
  writeAll,
  NOT_ABANDONED,
  type BatchContext,
  type Delivery,
  type Nats,
} from '@cei/nats';
import {
  lifecycleDoc,
  lifecycleRow,
  phaseSince,
  type ContactLifecycleDoc,
  type ContactLifecycleRow,
  type LifecycleModels,
  type TransitionBucketDoc,
  type TransitionEntry,
} from '../models';
import { evaluatePhase, nextPhaseCheck, type PhaseState } from '../domain/phases';
import { listFieldsAfter } from '../domain/contact-list-fields';
import { BUCKET_SIZE, bucketId, bucketsToArchive, noDurations, withStay } from '../domain/history';
import type { PolicyStore } from '../policies/policy-store';
import { transitionId } from '../transition-id';
import { noSales } from '../domain/qualification';
import {
  applySalesRequest,
  isSalesRequest,
  promisedSales,
  salesAfterScore,
  salesMessages,
  stepRecords,
  type SalesOutput,
} from '../sales/contact-sales';
import { createTeamRouter, isLeadRoute, type LeadRoute } from '../sales/team-router';
import type { SalesConfig } from '../sales/sales-config';
import { POLICY_JOBS_KEPT, type PolicyJobs, type PolicyJobStep } from '../jobs/policy-jobs';
import { schedulePhaseCheck } from './phase-check';

/** What lifecycle's partition consumer applies: a score change, or a request to the contact's owner. */
export type LifecycleInput = ScoreChanged | LifecycleRequested;

export function isRequest(input: LifecycleInput): input is LifecycleRequested {
  return 'request' in input;
}

/** A request, or a message of score changes: one, or several of one contact (applied in order). */
export function decodeLifecycleInput(data: Uint8Array, subject: string): LifecycleInput | LifecycleInput[] {
  return isLifecycleRequest(subject) ? LifecycleRequestedV1.parse(eventJson(data)) : decodeScoreChangeMessage(data);
}

export interface LifecycleDeps {
  db: Database;
  models: LifecycleModels;
  nats: Nats;
  topology: Topology;
  policies: PolicyStore;
  /** Qualification thresholds and the sales team (sales/sales-config.ts). */
  salesConfig: Pick<SalesConfig, 'policiesFor'>;
  now?: () => Date;
  /** How many contacts' documents to keep in memory (CEI_STATE_CACHE_CONTACTS). */
  stateCacheContacts: number;
  /** Where the owner counts the REEVALUATE requests of policy jobs it applied. */
  policyJobs?: Pick<PolicyJobs, 'recordProgress'>;
  /** See PhaseCheckDeps.horizonMs (a test seam; unset: a check is scheduled when due). */
  phaseCheckHorizonMs?: number;
  /** The most events of a batch (CEI_CONSUMER_BATCH): a team's rotation keeps that many answers. */
  maxBatch: number;
}

export function createPhaseEvaluator(deps: LifecycleDeps) {
  const lifecycles = new OwnedState<ContactLifecycleDoc>({
    max: deps.stateCacheContacts,
    load: async (keys) => {
      const found = await loadByIds(deps.db, deps.models.ContactLifecycle, keys);
      return new Map([...found].map(([key, row]) => [key, lifecycleDoc(row)]));
    },
  });
  const now = deps.now ?? (() => new Date());
  const routeLeads = createTeamRouter(deps);
  return async function evaluatePhases(
    allInputs: Delivery<LifecycleInput>[],
    partition: number,
    context: BatchContext = NOT_ABANDONED,
  ): Promise<void> {
    const { signal } = context;
    // Lead routes are addressed to a team's round-robin (keyed by team), not to a contact.
    const routes = allInputs.filter((d): d is Delivery<LeadRoute> => isLeadRoute(d.event));
    const batch = routes.length > 0 ? allInputs.filter((d) => !isLeadRoute(d.event)) : allInputs;
    if (routes.length > 0) await routeLeads(routes, context);
    const byContact = groupByContact(batch);
    // A contact whose first score change this is has no lifecycle document yet: not looked for.
    const unwritten = firstDeliveries(byContact, (event) => !isRequest(event) && event.first === true);
    const workspaceIds = batch.map((d) => d.event.workspaceId);
    // Together: the documents from the database, each policy's version from NATS.
    const [docs, policyOf, salesPolicyOf] = await Promise.all([
      lifecycles.read(byContact.keys(), context, unwritten),
      deps.policies.forWorkspaces(workspaceIds),
      deps.salesConfig.policiesFor(workspaceIds),
    ]);
    const jobSteps: PolicyJobStep[] = [];

    await writeAll(byContact, async ([key, deliveries]) => {
      const { workspaceId, contactId } = deliveries[0]!.event;
      const stored = docs.get(key) ?? newLifecycle(key, workspaceId, contactId, now());
      let doc = stored;
      const toPublish: TransitionEntry[] = [];
      const salesOut: SalesOutput[] = [];
      const policy = policyOf(workspaceId);
      // Whether the pending check was used up (a new one is due), or a write that promised one is redone.
      let checkUsed = false;
      let scheduleRedone = false;
      for (const { event, seq } of deliveries) {
        if (seq <= stored.lastSeq) {
          if (isRequest(event) && event.request === 'REEVALUATE') {
            // Counted at the position that applied the job to the contact (this one, or an earlier copy).
            const earlier = stored.reevaluations?.find((r) => r.jobId === event.jobId);
            const transitioned = earlier?.transitioned ?? stored.transitions.some((t) => t.seq === seq);
            jobSteps.push({ workspaceId, jobId: event.jobId, seq: earlier?.seq ?? seq, transitioned });
          }
          if (seq === stored.lastSeq) scheduleRedone = true;
          // Redelivered: applied already, but its transitions may not have been
          // published (a crash between the write and the publish). Publish again;
          // the message id makes a second copy vanish.
          toPublish.push(...stored.transitions.filter((t) => t.seq === seq).reverse());
          salesOut.push(...promisedSales(stored, seq));
          continue;
        }
        const at = now();
        const earlier =
          isRequest(event) && event.request === 'REEVALUATE'
            ? doc.reevaluations?.find((r) => r.jobId === event.jobId)
            : undefined;
        if (earlier) {
          // The job's request sent again (a new run, past JetStream's duplicate window): applied once,
          // counted at the position that applied it (the job counts each position once).
          jobSteps.push({ workspaceId, jobId: earlier.jobId, seq: earlier.seq, transitioned: earlier.transitioned });
          doc = { ...doc, lastSeq: seq, updatedAt: at };
          continue;
        }
        if (isRequest(event) && isSalesRequest(event)) {
          const applied = applySalesRequest(doc, event, seq, at, salesPolicyOf(workspaceId));
          salesOut.push(...applied.outputs);
          doc = { ...applied.doc, lastSeq: seq, updatedAt: at };
          continue;
        }
        // A score change is evaluated with its new figures; a request with the stored ones.
        const change = isRequest(event) ? null : event;
        const request = isRequest(event) ? event : null;
        const general = change ? change.general : doc.score;
        const stage = change ? change.stage : doc.stage;
        const likelihoods = change ? (change.likelihoods ?? null) : (doc.likelihoods ?? null);
        // A cancellation starts its rule's window; any other interaction after it ends the rule.
        const cancelledAt =
          change?.kind === 'SUBSCRIPTION_CANCELLED'
            ? at
            : change?.cause === 'INTERACTION'
              ? null
              : (doc.cancelledAt ?? null);
        doc = { ...doc, cancelledAt };
        const transition = evaluatePhase(phaseStateOf(doc), policy, {
          general,
          // A merge that brought a purchase counts as that purchase (ScoreChanged.customerKind).
          kind: change?.customerKind ?? change?.kind ?? null,
          at,
          ...(stage === undefined ? {} : { stage }),
          likelihoods,
        });
        if (request?.request === 'PHASE_CHECK') checkUsed = true;
        if (request?.request === 'REEVALUATE') {
          const applied = { jobId: request.jobId, seq, transitioned: transition !== null };
          jobSteps.push({ workspaceId, ...applied });
          doc = { ...doc, reevaluations: [applied, ...(doc.reevaluations ?? [])].slice(0, POLICY_JOBS_KEPT) };
        }
        if (transition) {
          const { from, to, half, rule } = transition;
          const reason =
            request?.request === 'REEVALUATE' ? `${transition.reason} (lifecycle policy changed)` : transition.reason;
          const entry: TransitionEntry = {
            n: doc.transitionCount + 1,
            from,
            to,
            half,
            reason,
            rule,
            at,
            score: general,
            ...(change ? { cause: change.cause } : {}),
            interactionId: change?.interactionId ?? null,
            seq,
          };
          toPublish.push(entry);
          doc = {
            ...doc,
            phase: to,
            half,
            msInPhases: withStay(doc.msInPhases, doc.phase, phaseSince(doc), at),
            customerEnteredAt: transition.startsGrace ? at : doc.customerEnteredAt,
            // A prospect again: what ended its customer half is over.
            cancelledAt: half === 'PROSPECT' ? null : doc.cancelledAt,
            transitionCount: entry.n,
            transitions: [entry, ...doc.transitions],
          };
        }
        if (change) {
          const applied = salesAfterScore(doc, { ...change, before: doc.score, seq, at }, salesPolicyOf(workspaceId));
          salesOut.push(...applied.outputs);
          doc = applied.doc;
        }
        doc = {
          ...doc,
          score: general,
          // A new phase's stage score starts at zero (scoring's reset of it follows, and then changes nothing).
          ...(transition ? { stage: 0 } : stage === undefined ? {} : { stage }),
          likelihoods,
          ...(change ? listFieldsAfter(doc, change) : {}),
          lastSeq: seq,
          updatedAt: at,
        };
      }
      // The next moment a rule of time moves the contact with its figures as they now stand.
      let due = doc === stored ? (stored.phaseCheckAt ?? null) : null;
      if (doc !== stored) {
        due = nextPhaseCheck(phaseStateOf(doc), policy, figuresOf(doc), now());
        doc = { ...doc, phaseCheckAt: due };
      }
      const schedule =
        due !== null && (checkUsed || scheduleRedone || due.getTime() !== stored.phaseCheckAt?.getTime());
      // Every step also as an insert-only record (by _id: a redelivery inserts nothing new), before
      // the document that announces it: what counts and older history read.
      const records = stepRecords(workspaceId, contactId, salesOut);
      const buckets = bucketsToArchive(doc.archivedThrough, stored.transitionCount, doc.transitionCount);
      if ((records.length > 0 || buckets.length > 0) && unwritten.has(key) && !docs.has(key)) {
        // Taken as new on its score change's word: before appending what was computed from an
        // empty document, make sure (a sales request may have created one first). Rare: only a
        // new contact's first batch that also qualifies it.
        const found = await deps.db.limit(() => deps.models.ContactLifecycle.exists({ _id: key }), signal);
        if (found) throw new StaleStateError(deps.models.ContactLifecycle.collection.collectionName, key, 0);
      }
      // Each contact's records share an insert with the other contacts' of the batch (appendShared).
      if (records.length > 0) await appendShared(deps.db, deps.models.QualificationStep, records, signal);
      if (buckets.length > 0) {
        const archivedThrough = buckets.at(-1)! * BUCKET_SIZE;
        const bucketDocs = buckets
          .map((b): TransitionBucketDoc => ({
            _id: bucketId(key, b),
            workspaceId,
            contactId,
            transitions: doc.transitions.filter((t) => t.n > (b - 1) * BUCKET_SIZE && t.n <= b * BUCKET_SIZE).reverse(),
          }))
          // A document written before buckets existed kept only its last 100: what it lost stays lost.
          .filter((bucket) => bucket.transitions.length > 0);
        // Inserted before the document drops them: a crash in between leaves them in both, and the
        // batch applied again inserts the same buckets (a duplicate _id is what is there already).
        if (bucketDocs.length > 0) await appendShared(deps.db, deps.models.TransitionBucket, bucketDocs, signal);
        doc = { ...doc, archivedThrough, transitions: doc.transitions.filter((t) => t.n > archivedThrough) };
      }
      // Written before published: a subscriber resolving the transition by id finds it.
      // Not once the batch was abandoned: another instance may own the contact by then.
      signal.throwIfAborted();
      // A stored document that only its position would change is left as it is: what applied
      // changes nothing again when a replay applies it (scoring's reset of a new phase's stage).
      const row = doc === stored ? null : lifecycleRow(doc);
      if (row && !(docs.has(key) && samePastPosition(row, lifecycleRow(stored)))) {
        const written = doc;
        // A creation shares an insert with the batch's others (see writeAtPosition).
        await writeAtPosition(deps.db, deps.models.ContactLifecycle, row, stored.lastSeq, signal);
        lifecycles.written(key, written, context);
      }
      // In order (publishInOrder); a failure redelivers the batch, which publishes them again.
      await publishInOrder(deps.nats.js, [
        ...toPublish.map((entry) => {
          const event: PhaseChanged = {
            v: 1,
            workspaceId,
            contactId,
            transitionId: transitionId(contactId, entry.n),
            from: entry.from,
            to: entry.to,
            half: entry.half,
            reason: entry.reason,
            at: entry.at.toISOString(),
            score: entry.score,
            cause: entry.cause ?? null,
            interactionId: entry.interactionId ?? null,
            // The contact's first transition (also when published again): a hint for the phases
            // stream's consumers (PhaseChanged.first).
            ...(entry.n === 1 ? { first: true } : {}),
          };
          return {
            subject: deps.topology.subjects.phaseChanged(workspaceId, contactId),
            payload: event,
            msgId: messageIds.phaseChanged(workspaceId, event.transitionId),
          };
        }),
        ...salesMessages(deps.topology, workspaceId, contactId, salesOut),
      ]);
      // Last, as scoring schedules its decay checks: a failure before redelivers the batch, which schedules again.
      if (schedule && due) await schedulePhaseCheck({ ...deps, now, horizonMs: deps.phaseCheckHorizonMs }, doc, due);
    });
    if (jobSteps.length > 0 && deps.policyJobs) {
      signal.throwIfAborted();
      await deps.policyJobs.recordProgress(partition, jobSteps);
    }
  };
}

/** Whether two stored rows differ in nothing but their position (`lastSeq`, `updatedAt`). */
function samePastPosition(a: ContactLifecycleRow, b: ContactLifecycleRow): boolean {
  const rowA: Record<string, unknown> = a;
  const rowB: Record<string, unknown> = b;
  for (const key of new Set([...Object.keys(rowA), ...Object.keys(rowB)])) {
    if (key === 'lastSeq' || key === 'updatedAt') continue;
    if (JSON.stringify(rowA[key]) !== JSON.stringify(rowB[key])) return false;
  }
  return true;
}

/** The figures the phase rules read from a contact's document (a check applies them again). */
function figuresOf(doc: ContactLifecycleDoc) {
  return {
    general: doc.score,
    likelihoods: doc.likelihoods ?? null,
    ...(doc.stage === undefined ? {} : { stage: doc.stage }),
  };
}

function newLifecycle(key: string, workspaceId: string, contactId: string, at: Date): ContactLifecycleDoc {
  return {
    _id: key,
    workspaceId,
    contactId,
    phase: 'NURTURE',
    half: 'PROSPECT',
    score: 0,
    engagementIndex: 0,
    tags: {},
    lastInteractionAt: null,
    startedAt: at,
    customerEnteredAt: null,
    msInPhases: noDurations(),
    transitionCount: 0,
    archivedThrough: 0,
    transitions: [],
    lastSeq: 0,
    updatedAt: at,
    qualification: 'NONE',
    ownerId: null,
    sales: noSales(),
  };
}

function phaseStateOf(doc: ContactLifecycleDoc): PhaseState {
  const last = doc.transitions[0];
  return {
    phase: doc.phase,
    half: doc.half,
    entered: last ? { from: last.from, at: last.at, ...(last.rule ? { rule: last.rule } : {}) } : null,
    customerEnteredAt: doc.customerEnteredAt,
    cancelledAt: doc.cancelledAt ?? null,
  };
}
