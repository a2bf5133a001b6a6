// The lifecycle hop: score changed → phase evaluated → phase change published.
// One writer per contact (its partition's consumer): it reads the lifecycle
// documents (as it last wrote them, or by _id), applies each input in stream order (a
// score change, or a request addressed to the contact's owner: LifecycleRequested), moves whole buckets of old transitions out (insert-only, by _id), writes each
// document once, fenced by its stored position, and then publishes the new transitions
// (message id = transition id).
import {
  isLifecycleRequest,
  LifecycleRequestedV1,
  messageIds,
  ScoreChangedV1,
  type LifecycleRequested,
  type PhaseChanged,
  type ScoreChanged,
  type Topology,
} from '@cei/contracts';
import { appendNew, loadByIds, replaceAtPosition, type Database } from '@cei/mongo';
import {
  groupByContact,
  OwnedState,
  publishInOrder,
  writeAll,
  NOT_ABANDONED,
  type BatchContext,
  type Delivery,
  type Nats,
} from '@cei/nats';
import {
  completeLifecycle,
  phaseSince,
  type ContactLifecycleDoc,
  type LifecycleModels,
  type TransitionBucketDoc,
  type TransitionEntry,
} from '../models';
import { evaluatePhase, type PhaseState } from '../domain/phases';
import { listFieldsAfter } from '../domain/contact-list-fields';
import { BUCKET_SIZE, bucketId, bucketsToArchive, noDurations, withStay } from '../domain/history';
import type { PolicyStore } from '../policies/policy-store';
import { transitionId } from '../transition-id';

/** What lifecycle's partition consumer applies: a score change, or a request to the contact's owner. */
export type LifecycleInput = ScoreChanged | LifecycleRequested;

export function isRequest(input: LifecycleInput): input is LifecycleRequested {
  return 'request' in input;
}

export function decodeLifecycleInput(data: Uint8Array, subject: string): LifecycleInput {
  const json: unknown = JSON.parse(Buffer.from(data).toString('utf8'));
  return isLifecycleRequest(subject) ? LifecycleRequestedV1.parse(json) : ScoreChangedV1.parse(json);
}

export interface LifecycleDeps {
  db: Database;
  models: LifecycleModels;
  nats: Nats;
  topology: Topology;
  policies: PolicyStore;
  now?: () => Date;
  /** How many contacts' documents to keep in memory (CEI_STATE_CACHE_CONTACTS). */
  stateCacheContacts: number;
}

export function createPhaseEvaluator(deps: LifecycleDeps) {
  const lifecycles = new OwnedState<ContactLifecycleDoc>({
    max: deps.stateCacheContacts,
    load: async (keys) => {
      const found = await loadByIds(deps.db, deps.models.ContactLifecycle, keys);
      return new Map([...found].map(([key, doc]) => [key, completeLifecycle(doc)]));
    },
  });
  const now = deps.now ?? (() => new Date());
  return async function evaluatePhases(
    batch: Delivery<LifecycleInput>[],
    _partition: number,
    context: BatchContext = NOT_ABANDONED,
  ): Promise<void> {
    const { signal } = context;
    const byContact = groupByContact(batch);
    const docs = await lifecycles.read(byContact.keys(), context);
    const policyOf = await deps.policies.forWorkspaces(batch.map((d) => d.event.workspaceId));

    await writeAll(byContact, async ([key, deliveries]) => {
      const { workspaceId, contactId } = deliveries[0]!.event;
      const stored = docs.get(key) ?? newLifecycle(key, workspaceId, contactId, now());
      let doc = stored;
      const toPublish: TransitionEntry[] = [];
      for (const { event, seq } of deliveries) {
        if (seq <= stored.lastSeq) {
          // Redelivered: applied already, but its transitions may not have been
          // published (a crash between the write and the publish). Publish again;
          // the message id makes a second copy vanish.
          toPublish.push(...stored.transitions.filter((t) => t.seq === seq).reverse());
          continue;
        }
        const at = now();
        // A score change is evaluated with its new score; a due phase check with the stored one.
        const change = isRequest(event) ? null : event;
        const general = change ? change.general : doc.score;
        const transition = evaluatePhase(phaseStateOf(doc), policyOf(workspaceId), {
          general,
          kind: change?.kind ?? null,
          at,
        });
        if (transition) {
          const { from, to, half, reason } = transition;
          const entry: TransitionEntry = {
            n: doc.transitionCount + 1,
            from,
            to,
            half,
            reason,
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
            transitionCount: entry.n,
            transitions: [entry, ...doc.transitions],
          };
        }
        doc = { ...doc, ...(change ? listFieldsAfter(doc, change) : {}), lastSeq: seq, updatedAt: at };
      }
      const buckets = bucketsToArchive(doc.archivedThrough, stored.transitionCount, doc.transitionCount);
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
        signal.throwIfAborted();
        if (bucketDocs.length > 0) {
          await deps.db.limit(() => appendNew(deps.models.TransitionBucket, bucketDocs), signal);
        }
        doc = { ...doc, archivedThrough, transitions: doc.transitions.filter((t) => t.n > archivedThrough) };
      }
      // Written before published: a subscriber resolving the transition by id finds it.
      // Not once the batch was abandoned: another instance may own the contact by then.
      signal.throwIfAborted();
      if (doc !== stored) {
        const written = doc;
        await deps.db.limit(() => replaceAtPosition(deps.models.ContactLifecycle, written, stored.lastSeq), signal);
        lifecycles.written(key, doc, context);
      }
      // In order (publishInOrder); a failure redelivers the batch, which publishes them again.
      await publishInOrder(
        deps.nats.js,
        toPublish.map((entry) => {
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
          };
          return {
            subject: deps.topology.subjects.phaseChanged(workspaceId, contactId),
            payload: event,
            msgId: messageIds.phaseChanged(workspaceId, event.transitionId),
          };
        }),
      );
    });
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
  };
}

function phaseStateOf(doc: ContactLifecycleDoc): PhaseState {
  const last = doc.transitions[0];
  return {
    phase: doc.phase,
    half: doc.half,
    entered: last ? { from: last.from, at: last.at } : null,
    customerEnteredAt: doc.customerEnteredAt,
  };
}
