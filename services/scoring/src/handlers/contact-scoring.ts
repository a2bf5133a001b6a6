// The scoring hop: interactions recorded → scored → score changes published. The
// same ordered partition carries the requests scoring sends to a contact's owner
// (a new phase resets the stage score, a due decay check, a recompute), so every
// change to a contact is applied by its one owner, in one order.
//
// Per contact and batch: read the score document by _id, fold the events into it,
// publish the score changes (deterministic message ids), then write the document
// once with the position of the last event. A crash before the write replays the
// batch: re-published changes are dropped by the stream, nothing counts twice.
import {
  InteractionRecordedV1,
  messageIds,
  ScoringRequestedV1,
  type InteractionRecorded,
  type ScoreChanged,
  type ScoringRequested,
  type Topology,
} from '@cei/contracts';
import { loadByIds, type Database } from '@cei/mongo';
import { groupByContact, publishEvent, scheduleEvent, writeAll, type Delivery, type Nats } from '@cei/nats';
import type { Logger } from '@cei/config';
import { scoreDoc, scoreRow, type ContactScoreDoc, type ScoringModels } from '../models';
import { engagementIndex } from '../domain/engagement-index';
import { isSignificantDrop, nextSignificantDropAt } from '../domain/decay';
import {
  applyRecord,
  decayTo,
  emptyState,
  replay,
  resetStage,
  round,
  scoreInteraction,
  type ScoreRecord,
  type ScoreState,
  type ScoringPolicy,
} from '../domain/score-state';
import type { RuleBook } from '../rules/rule-book';
import type { JobStep, RecomputeJobs } from '../jobs/recompute-jobs';
import {
  appendRecords,
  dropGeneration,
  readAllRecords,
  writeGeneration,
  type HistoryFields,
} from '../scores/contact-history';

export type ScoringInput = InteractionRecorded | ScoringRequested;

export function decodeScoringInput(data: Uint8Array, subject: string): ScoringInput {
  const json: unknown = JSON.parse(Buffer.from(data).toString('utf8'));
  return subject.includes('.scoring.requested.') ? ScoringRequestedV1.parse(json) : InteractionRecordedV1.parse(json);
}

export const RECENT_IDS_KEPT = 64;
/** A rescheduled check that moves by less than this is left as it is. */
const RESCHEDULE_SLACK_MS = 60_000;

export interface ScoringDeps {
  db: Database;
  models: ScoringModels;
  nats: Nats;
  topology: Topology;
  rules: RuleBook;
  jobs: RecomputeJobs;
  log: Logger;
  now: () => Date;
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
    updatedAt: new Date(0),
  };
}

/** One contact's work in a batch: the state it moves through and what to write and publish. */
interface Working {
  doc: ContactScoreDoc;
  state: ScoreState;
  records: ScoreRecord[];
  /** Set by a rebuild: the whole history to write as a new generation. */
  rebuilt: ScoreRecord[] | null;
  changes: { change: ScoreChanged; msgId: string }[];
  jobsDone: Omit<JobStep, 'doc'>[];
}

export function createContactScorer(deps: ScoringDeps) {
  const { models, nats, topology, now } = deps;

  function apply(w: Working, records: ScoreRecord[]): void {
    for (const record of records) w.state = applyRecord(w.state, record);
    (w.rebuilt ?? w.records).push(...records);
  }

  /** Queues the score change that brought the general score from `previous` to where it is now. */
  function publishable(
    w: Working,
    previous: number,
    cause: ScoreChanged['cause'],
    at: Date,
    msgId: string,
    from?: InteractionRecorded,
  ): void {
    const { general, stage } = w.state;
    w.changes.push({
      msgId,
      change: {
        v: 1,
        workspaceId: w.doc.workspaceId,
        contactId: w.doc.contactId,
        cause,
        interactionId: from?.interactionId ?? null,
        kind: from?.kind ?? null,
        occurredAt: from?.occurredAt ?? null,
        delta: round(general - previous),
        general,
        stage,
        engagementIndex: engagementIndex(general),
        at: at.toISOString(),
      },
    });
  }

  async function handle(
    w: Working,
    delivery: Delivery<ScoringInput>,
    policy: () => Promise<ScoringPolicy>,
  ): Promise<void> {
    const { event, seq } = delivery;
    const at = now();
    const previous = w.state.general;
    const ws = w.doc.workspaceId;
    if (!('request' in event)) {
      if (w.doc.recentInteractionIds.includes(event.interactionId)) return;
      const scored = scoreInteraction(w.state, await policy(), event, seq);
      // The interaction's own scoring already carries the records and the activity.
      w.state = scored.state;
      (w.rebuilt ?? w.records).push(...scored.records);
      w.doc.recentInteractionIds = [...w.doc.recentInteractionIds, event.interactionId].slice(-RECENT_IDS_KEPT);
      publishable(w, previous, 'INTERACTION', at, messageIds.scoreChanged(ws, event.interactionId), event);
      return;
    }
    switch (event.request) {
      case 'PHASE_ENTERED': {
        if (w.state.phaseTransitionId === event.transitionId) return;
        apply(w, [resetStage(w.state, event.transitionId, event.phase, event.at)]);
        publishable(
          w,
          previous,
          'STAGE_RESET',
          at,
          messageIds.scoreChanged(ws, `stage:${w.doc.contactId}:${event.transitionId}`),
        );
        return;
      }
      case 'DECAY_CHECK': {
        const decay = decayTo(w.state, (await policy()).halfLifeDays, at.toISOString());
        if (decay) apply(w, [decay]);
        w.doc.decayCheckAt = null;
        if (isSignificantDrop(w.doc.published, w.state.general)) {
          publishable(
            w,
            previous,
            'DECAY',
            at,
            messageIds.scoreChanged(ws, `decay:${w.doc.contactId}:${at.getTime()}`),
          );
        }
        return;
      }
      case 'RECOMPUTE': {
        const job = await deps.jobs.definition(ws, event.jobId);
        if (!job) return; // an unknown job (deleted workspace data): nothing to rebuild
        const history = [...(await readAllRecords(deps.db, models, w.doc)), ...(w.rebuilt ?? w.records)];
        const jobPolicy = job.rules ? { ...(await policy()), rules: job.rules } : await policy();
        const rebuilt = replay(history, jobPolicy);
        const before = w.state;
        const after = { ...rebuilt.state, phase: before.phase, phaseTransitionId: before.phaseTransitionId };
        w.jobsDone.push({ jobId: event.jobId, seq, before, after, dryRun: job.dryRun, replayed: false });
        if (job.dryRun) return;
        w.state = after;
        w.rebuilt = rebuilt.records;
        if (after.general !== before.general || after.stage !== before.stage) {
          publishable(
            w,
            previous,
            'RECOMPUTE',
            at,
            messageIds.scoreChanged(ws, `recompute:${event.jobId}:${w.doc.contactId}`),
          );
        }
        return;
      }
    }
  }

  return async function scoreContacts(batch: Delivery<ScoringInput>[], partition: number): Promise<void> {
    const byContact = groupByContact(batch);
    const rows = await loadByIds(deps.db, models.ContactScore, [...byContact.keys()]);
    let policies: Promise<(ws: string) => ScoringPolicy> | undefined;
    const policyOf = (ws: string) => async () => {
      policies ??= deps.rules.policies(batch.map((d) => d.event.workspaceId));
      return (await policies)(ws);
    };
    const finished: Working[] = [];

    await writeAll(byContact, async ([key, deliveries]) => {
      const { workspaceId, contactId } = deliveries[0]!.event;
      const row = rows.get(key);
      // A document without `body` predates per-dimension scores: start it afresh.
      const stored = row?.body ? scoreDoc(row) : emptyScoreDoc(key, workspaceId, contactId);
      const w: Working = {
        doc: { ...stored },
        state: stored.state,
        records: [],
        rebuilt: null,
        changes: [],
        jobsDone: [],
      };
      let lastSeq = stored.lastSeq;
      for (const delivery of deliveries) {
        if (delivery.seq <= stored.lastSeq) {
          // Applied already; a recompute request still counts toward its job's progress.
          if ('request' in delivery.event && delivery.event.request === 'RECOMPUTE') {
            const { jobId } = delivery.event;
            w.jobsDone.push({
              jobId,
              seq: delivery.seq,
              before: w.state,
              after: w.state,
              dryRun: false,
              replayed: true,
            });
          }
          continue;
        }
        await handle(w, delivery, policyOf(workspaceId));
        lastSeq = delivery.seq;
      }
      finished.push(w);
      if (lastSeq === stored.lastSeq) return;

      // In order, per contact: lifecycle evaluates phases in this order.
      for (const { change: event, msgId } of w.changes) {
        await publishEvent(nats.js, topology.subjects.scoreChanged(workspaceId, contactId), event, msgId);
      }
      const published = w.changes.length > 0 ? w.changes[w.changes.length - 1]!.change.general : stored.published;
      const decayCheckAt = await scheduleDecayCheck(w, published, await policyOf(workspaceId)());
      const history: HistoryFields = w.rebuilt
        ? await writeGeneration(models, stored, w.rebuilt)
        : await appendRecords(models, stored, w.records);
      const next: ContactScoreDoc = {
        ...w.doc,
        ...history,
        state: w.state,
        lastSeq,
        published,
        decayCheckAt,
        updatedAt: now(),
      };
      await models.ContactScore.replaceOne({ _id: key }, scoreRow(next), { upsert: true }).exec();
      if (w.rebuilt && stored.sealed > 0) await dropGeneration(models, stored);
    });

    const progress = finished.flatMap((w) => w.jobsDone.map((done) => ({ ...done, doc: w.doc })));
    if (progress.length > 0) await deps.jobs.recordProgress(partition, progress);
  };

  /**
   * Schedules the next decay check of a contact for when its score will have fallen
   * significantly below the last published value. The server holds one pending
   * check per contact, so only contacts whose score can still fall are ever visited.
   */
  async function scheduleDecayCheck(w: Working, published: number, policy: ScoringPolicy): Promise<Date | null> {
    const { state, doc } = w;
    const due = state.asOf
      ? nextSignificantDropAt(policy.halfLifeDays, Date.parse(state.asOf), state.general, published)
      : null;
    if (due === null) return null;
    if (doc.decayCheckAt && Math.abs(doc.decayCheckAt.getTime() - due) < RESCHEDULE_SLACK_MS) return doc.decayCheckAt;
    const request: ScoringRequested = {
      v: 1,
      request: 'DECAY_CHECK',
      workspaceId: doc.workspaceId,
      contactId: doc.contactId,
    };
    await scheduleEvent(
      nats.js,
      topology.subjects.decayCheckSchedule(doc.workspaceId, doc.contactId),
      topology.subjects.scoringRequested(doc.workspaceId, doc.contactId),
      new Date(due),
      request,
    );
    return new Date(due);
  }
}
