// The scoring hop: interactions recorded → points applied → score changes published.
// This consumer owns its partition's contacts (one writer): it reads their scores
// by _id, applies the batch in stream order, publishes one ScoreChanged per applied
// interaction (deterministic message ids) and then writes each score once. A crash
// between publish and write replays the batch: the stream drops the re-published
// events and the score was not yet moved, so nothing counts twice.
import {
  InteractionRecordedV1,
  messageIds,
  type InteractionRecorded,
  type ScoreChanged,
  type Topology,
} from '@cei/contracts';
import { loadByIds, type Database } from '@cei/mongo';
import { groupByContact, publishEvent, writeAll, type Delivery, type Nats } from '@cei/nats';
import type { Logger } from '@cei/config';
import type { ContactScoreDoc, ScoringModels } from '../models';
import { applyInteractions, engagementIndex } from '../domain/scoring';
import type { RuleBook } from '../rules/rule-book';

export function decodeInteraction(data: Uint8Array): InteractionRecorded {
  return InteractionRecordedV1.parse(JSON.parse(Buffer.from(data).toString('utf8')));
}

export interface ScoringDeps {
  db: Database;
  models: ScoringModels;
  nats: Nats;
  topology: Topology;
  rules: RuleBook;
  log: Logger;
  now?: () => Date;
}

export function createInteractionScorer(deps: ScoringDeps) {
  return async function scoreInteractions(batch: Delivery<InteractionRecorded>[]): Promise<void> {
    const byContact = groupByContact(batch);
    const scores = await loadByIds(deps.db, deps.models.ContactScore, [...byContact.keys()]);
    const rulesOf = await deps.rules.forWorkspaces(batch.map((d) => d.event.workspaceId));

    await writeAll(byContact, async ([key, deliveries]) => {
      const { workspaceId, contactId } = deliveries[0]!.event;
      const current = scores.get(key) ?? emptyScore(key, workspaceId, contactId);
      const { state, applied } = applyInteractions(
        current,
        rulesOf(workspaceId),
        deliveries.map(({ event, seq }) => ({ interaction: event, seq })),
      );
      if (applied.length === 0) return;
      const at = (deps.now?.() ?? new Date()).toISOString();
      // In order, per contact: lifecycle evaluates phases in this order.
      for (const { interaction, delta, general } of applied) {
        const event: ScoreChanged = {
          v: 1,
          workspaceId,
          contactId,
          interactionId: interaction.interactionId,
          kind: interaction.kind,
          occurredAt: interaction.occurredAt,
          delta,
          general,
          engagementIndex: engagementIndex(general),
          at,
        };
        await publishEvent(
          deps.nats.js,
          deps.topology.subjects.scoreChanged(workspaceId, contactId),
          event,
          messageIds.scoreChanged(workspaceId, interaction.interactionId),
        );
      }
      const next: ContactScoreDoc = { ...current, ...state, updatedAt: new Date(at) };
      await deps.models.ContactScore.replaceOne({ _id: key }, next, { upsert: true }).exec();
    });
  };
}

function emptyScore(key: string, workspaceId: string, contactId: string): ContactScoreDoc {
  return {
    _id: key,
    workspaceId,
    contactId,
    general: 0,
    scoredInteractions: 0,
    lastSeq: 0,
    recentInteractionIds: [],
    updatedAt: new Date(0),
  };
}
