// The lifecycle hop: score changed → phase evaluated → phase change published.
// One writer per contact (its partition's consumer): it reads the lifecycle
// documents (as it last wrote them, or by _id), evaluates each score change in stream
// order, writes each document once, fenced by its stored position, and then publishes
// the new transitions (message id = transition id).
import { messageIds, ScoreChangedV1, type PhaseChanged, type ScoreChanged, type Topology } from '@cei/contracts';
import { loadByIds, replaceAtPosition, type Database } from '@cei/mongo';
import {
  groupByContact,
  OwnedState,
  publishEvent,
  writeAll,
  NOT_ABANDONED,
  type BatchContext,
  type Delivery,
  type Nats,
} from '@cei/nats';
import { HISTORY_KEPT, type ContactLifecycleDoc, type LifecycleModels, type TransitionEntry } from '../models';
import { evaluatePhase } from '../domain/phases';
import type { PolicyStore } from '../policies/policy-store';
import { transitionId } from '../transition-id';

export function decodeScoreChanged(data: Uint8Array): ScoreChanged {
  return ScoreChangedV1.parse(JSON.parse(Buffer.from(data).toString('utf8')));
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
    load: (keys) => loadByIds(deps.db, deps.models.ContactLifecycle, keys),
  });
  return async function evaluatePhases(
    batch: Delivery<ScoreChanged>[],
    _partition: number,
    context: BatchContext = NOT_ABANDONED,
  ): Promise<void> {
    const { signal } = context;
    const byContact = groupByContact(batch);
    const docs = await lifecycles.read(byContact.keys(), context);
    const policyOf = await deps.policies.forWorkspaces(batch.map((d) => d.event.workspaceId));

    await writeAll(byContact, async ([key, deliveries]) => {
      const { workspaceId, contactId } = deliveries[0]!.event;
      const stored = docs.get(key) ?? newLifecycle(key, workspaceId, contactId);
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
        const transition = evaluatePhase(doc, policyOf(workspaceId), { general: event.general, kind: event.kind });
        const at = deps.now?.() ?? new Date();
        if (transition) {
          const entry: TransitionEntry = { n: doc.transitionCount + 1, ...transition, at, score: event.general, seq };
          toPublish.push(entry);
          doc = {
            ...doc,
            phase: transition.to,
            half: transition.half,
            transitionCount: entry.n,
            transitions: [entry, ...doc.transitions].slice(0, HISTORY_KEPT),
          };
        }
        doc = { ...doc, score: event.general, lastSeq: seq, updatedAt: at };
      }
      // Written before published: a subscriber resolving the transition by id finds it.
      // Not once the batch was abandoned: another instance may own the contact by then.
      signal.throwIfAborted();
      if (doc !== stored) {
        const written = doc;
        await deps.db.limit(() => {
          signal.throwIfAborted();
          return replaceAtPosition(deps.models.ContactLifecycle, written, stored.lastSeq);
        });
        lifecycles.written(key, doc, context);
      }
      // Sent in order on one connection, acks awaited together; a failure redelivers the
      // batch, which publishes them again in order (the message ids drop the copies).
      const sent = toPublish.map((entry) => {
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
        return publishEvent(
          deps.nats.js,
          deps.topology.subjects.phaseChanged(workspaceId, contactId),
          event,
          messageIds.phaseChanged(workspaceId, event.transitionId),
        );
      });
      const failed = (await Promise.allSettled(sent)).find((ack) => ack.status === 'rejected');
      if (failed) throw failed.reason;
    });
  };
}

function newLifecycle(key: string, workspaceId: string, contactId: string): ContactLifecycleDoc {
  return {
    _id: key,
    workspaceId,
    contactId,
    phase: 'NURTURE',
    half: 'PROSPECT',
    score: 0,
    transitionCount: 0,
    transitions: [],
    lastSeq: 0,
    updatedAt: new Date(0),
  };
}
