// The lifecycle hop: score changed → phase evaluated → phase change published.
// One writer per contact (its partition's consumer): it reads the lifecycle
// documents by _id, evaluates each score change in stream order, publishes each
// transition (message id = transition id) and then writes each document once.
import {
  contactKey,
  messageIds,
  ScoreChangedV1,
  type PhaseChanged,
  type ScoreChanged,
  type Topology,
} from '@cei/contracts';
import { loadByIds, type Database } from '@cei/mongo';
import { publishEvent, type Delivery, type Nats } from '@cei/nats';
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
}

export function createPhaseEvaluator(deps: LifecycleDeps) {
  return async function evaluatePhases(batch: Delivery<ScoreChanged>[]): Promise<void> {
    const byContact = new Map<string, Delivery<ScoreChanged>[]>();
    for (const delivery of batch) {
      const key = contactKey(delivery.event.workspaceId, delivery.event.contactId);
      byContact.set(key, [...(byContact.get(key) ?? []), delivery]);
    }
    const docs = await loadByIds(deps.db, deps.models.ContactLifecycle, [...byContact.keys()]);
    const policyOf = await deps.policies.forWorkspaces(batch.map((d) => d.event.workspaceId));

    await Promise.all(
      [...byContact].map(async ([key, deliveries]) => {
        const { workspaceId, contactId } = deliveries[0]!.event;
        let doc = docs.get(key) ?? newLifecycle(key, workspaceId, contactId);
        const before = doc.lastSeq;
        for (const { event, seq } of deliveries) {
          if (seq <= doc.lastSeq) continue; // redelivered: already applied
          const transition = evaluatePhase(doc, policyOf(workspaceId), { general: event.general, kind: event.kind });
          const at = deps.now?.() ?? new Date();
          if (transition) {
            const entry: TransitionEntry = { n: doc.transitionCount + 1, ...transition, at, score: event.general };
            const published: PhaseChanged = {
              v: 1,
              workspaceId,
              contactId,
              transitionId: transitionId(contactId, entry.n),
              from: transition.from,
              to: transition.to,
              half: transition.half,
              reason: transition.reason,
              at: at.toISOString(),
            };
            await publishEvent(
              deps.nats.js,
              deps.topology.subjects.phaseChanged(workspaceId, contactId),
              published,
              messageIds.phaseChanged(workspaceId, published.transitionId),
            );
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
        if (doc.lastSeq === before) return;
        await deps.models.ContactLifecycle.replaceOne({ _id: key }, doc, { upsert: true }).exec();
      }),
    );
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
