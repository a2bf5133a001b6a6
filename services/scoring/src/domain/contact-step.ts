// One input applied to one contact's scoring, with no I/O: an interaction is scored,
// a request (a new phase, a decay check, a recompute) is carried out, and the score
// change it causes is queued with a message id derived from its cause. The handler
// loads what a step needs before (policy, job, stored records) and writes, publishes
// and schedules what the steps queued after.
import { CONTACT_EVENT_KINDS, CUSTOMER_KINDS, type InteractionRecorded } from '@cei/contracts';
import { isSignificantDrop, nextSignificantDropAt } from './decay';
import type { ScoringRule } from './rules';
import {
  applyRecord,
  decayTo,
  replay,
  resetStage,
  round,
  scoreInteraction,
  type ScoreRecord,
  type ScoreState,
  type ScoringPolicy,
} from './score-state';
import { phaseLikelihoods } from './likelihoods';
import {
  emptyUsage,
  recordUsage,
  likelihoodUsage,
  usageFact,
  type ContactUsage,
  type FeatureCatalog,
  type UsageFact,
} from './product-usage';
import { applyIdentify, emptyProfile, mergeProfiles, type InfluenceProfile } from './influence';
import { scoreChangeOf, type PendingChange, type ScoringInput } from './score-change';

export type { ScoringInput } from './score-change';

/** How many interaction ids a contact remembers, to catch a re-publish outside the stream's duplicate window. */
export const RECENT_IDS_KEPT = 64;
/** How many recompute jobs a contact's document remembers having applied (StoredScoring.recomputedBy). */
export const RECOMPUTE_JOBS_KEPT = 10;
/** A rescheduled decay check that moves by less than this is left as it is. */
export const RESCHEDULE_SLACK_MS = 60_000;

/**
 * A recompute request carried out on one contact: what the job's progress counts, once per `seq`
 * (the position that applied the job to the contact, whichever copy of the request this is).
 */
export interface RecomputeOutcome {
  jobId: string;
  seq: number;
  before: RecomputeFigures;
  after: RecomputeFigures;
  dryRun: boolean;
  /**
   * Applied already, by a document that does not say what it changed (written before it did):
   * counted at `seq`, compared no more.
   */
  replayed: boolean;
}

/** What a recompute's comparison reads of a score. */
export type RecomputeFigures = Pick<ScoreState, 'general' | 'stage' | 'tags'>;

/**
 * A recompute job applied to a contact, at the input position that applied it, with what it
 * changed: a copy of the request that comes back after the write (a redelivery before the job's
 * progress was recorded, or the request sent again by a run that took the job over) is counted
 * with the same comparison, not as unchanged.
 */
export interface RecomputeApplied {
  jobId: string;
  seq: number;
  before?: RecomputeFigures;
  after?: RecomputeFigures;
  dryRun?: boolean;
}

const figures = ({ general, stage, tags }: ScoreState): RecomputeFigures => ({ general, stage, tags });

export interface RecomputeJobSpec {
  dryRun: boolean;
  /** Dry run: the rules to try instead of the workspace's (null: the current rules). */
  rules: ScoringRule[] | null;
}

/** What a merge takes from the merged-away contact's score document. */
export interface MergedContact {
  records: readonly ScoreRecord[];
  profile: InfluenceProfile | null;
}

/** Where a contact's scoring stands, as its score document stores it. */
export interface StoredScoring {
  workspaceId: string;
  contactId: string;
  state: ScoreState;
  /** Position of the last input applied: an input at or before it was applied in an earlier try. */
  lastSeq: number;
  recentInteractionIds: string[];
  /** The general score last published: decay is published only when it falls well below it. */
  published: number;
  /** When the scheduled decay check is due (null: none, or it has just run). */
  decayCheckAt: Date | null;
  /**
   * The recompute jobs applied to the contact, most recent first (the last RECOMPUTE_JOBS_KEPT):
   * a job's request that comes again at a new position (sent again after JetStream's duplicate
   * window, by the instance that took the job over) is not applied again, and is counted at the
   * position that applied it, so the job counts the contact once. Absent: none.
   */
  recomputedBy?: RecomputeApplied[];
}

/** Where a contact's product usage stands, as its usage document stores it. */
export interface StoredUsage {
  usage: ContactUsage;
  /** Position of the last usage interaction applied (its own: the usage document is written first). */
  lastSeq: number;
}

/** One contact's scoring as a batch moves it on: where it stands, and what the batch must write and publish. */
export interface ContactProgress extends StoredScoring {
  recomputedBy: RecomputeApplied[];
  usage: ContactUsage;
  usageSeq: number;
  /** Usage interactions of the batch, for the workspace statistics. */
  usageFacts: UsageFact[];
  /** New records, to append to the stored history. */
  records: ScoreRecord[];
  /** Set by a rebuild: the whole new history, replacing the stored one. */
  rebuilt: ScoreRecord[] | null;
  changes: PendingChange[];
  recomputes: RecomputeOutcome[];
  /** The inputs that were applied in an earlier try (redelivered), in order. */
  replayed: { seq: number; event: ScoringInput }[];
}

/** What a step needs besides its input, loaded before. */
export interface StepContext {
  /** The instant the input is applied at: score changes and decay checks are dated by it. */
  at: Date;
  policy: ScoringPolicy;
  /** RECOMPUTE: the job (null: an unknown job); the loader has loaded every job the batch asks for. */
  job(jobId: string): RecomputeJobSpec | null;
  /** RECOMPUTE and CONTACT_MERGED: every stored record of the contact, oldest first (null when neither came). */
  storedRecords: readonly ScoreRecord[] | null;
  /** The workspace's declared features: the likelihoods a change carries read usage against them. */
  features: FeatureCatalog;
  /** CONTACT_MERGED: the merged-away contact's stored records (none: never scored) and traits. */
  mergedRecords?: (from: string) => MergedContact;
}

export function startProgress(
  stored: StoredScoring,
  usage: StoredUsage = { usage: emptyUsage(), lastSeq: 0 },
): ContactProgress {
  const { workspaceId, contactId, state, lastSeq, recentInteractionIds, published, decayCheckAt } = stored;
  return {
    recomputedBy: stored.recomputedBy ?? [],
    usage: usage.usage,
    usageSeq: usage.lastSeq,
    usageFacts: [],
    workspaceId,
    contactId,
    state,
    lastSeq,
    recentInteractionIds,
    published,
    decayCheckAt,
    records: [],
    rebuilt: null,
    changes: [],
    recomputes: [],
    replayed: [],
  };
}

/** Applies one input (inputs come in stream order). Pure: returns the progress after it. */
export function applyInput(
  progress: ContactProgress,
  input: { event: ScoringInput; seq: number },
  ctx: StepContext,
): ContactProgress {
  const { event, seq } = input;
  if (seq <= progress.lastSeq) return replayed(progress, event, seq);
  const p: ContactProgress = { ...progress, lastSeq: seq };
  if (!('request' in event)) return interaction(p, event, seq, ctx);
  switch (event.request) {
    case 'PHASE_ENTERED': {
      if (p.state.phaseTransitionId === event.transitionId) return p;
      const next = withRecords(p, [resetStage(p.state, event.transitionId, event.phase, event.at)]);
      return withChange(next, p.state.general, ctx, { seq, event });
    }
    case 'DECAY_CHECK': {
      const decay = decayTo(p.state, ctx.policy.halfLifeDays, ctx.at.toISOString());
      const next = { ...withRecords(p, decay ? [decay] : []), decayCheckAt: null };
      if (!isSignificantDrop(next.published, next.state.general)) return next;
      return withChange(next, p.state.general, ctx, { seq, event });
    }
    case 'RECOMPUTE':
      return recompute(p, event, seq, ctx);
  }
}

function replayed(p: ContactProgress, event: ScoringInput, seq: number): ContactProgress {
  const next = { ...p, replayed: [...p.replayed, { seq, event }] };
  // Applied already; a recompute request still counts toward its job's progress.
  if (!('request' in event) || event.request !== 'RECOMPUTE') return next;
  return counted(next, event.jobId, seq);
}

/**
 * A recompute request applied already (redelivered, or the job's request sent again): counted as
 * done at the position that applied it to the contact, so the job counts the contact once.
 */
function counted(p: ContactProgress, jobId: string, seq: number): ContactProgress {
  const applied = p.recomputedBy.find((r) => r.jobId === jobId);
  const outcome: RecomputeOutcome =
    applied?.before && applied.after
      ? {
          jobId,
          seq: applied.seq,
          before: applied.before,
          after: applied.after,
          dryRun: applied.dryRun ?? false,
          replayed: false,
        }
      : {
          jobId,
          seq: applied?.seq ?? seq,
          before: figures(p.state),
          after: figures(p.state),
          dryRun: false,
          replayed: true,
        };
  return { ...p, recomputes: [...p.recomputes, outcome] };
}

function interaction(p: ContactProgress, event: InteractionRecorded, seq: number, ctx: StepContext) {
  if (p.recentInteractionIds.includes(event.interactionId)) return p;
  if (event.kind === 'CONTACT_MERGED') return merge(p, event, seq, ctx);
  if (event.kind === 'IDENTIFY') {
    // Traits say who the contact is: no rule scores them, they are no activity; influence reads them.
    const profile = applyIdentify(p.state.profile ?? emptyProfile(), event.properties, event.occurredAt);
    return { ...p, state: { ...p.state, profile } };
  }
  if (CONTACT_EVENT_KINDS.has(event.kind)) return p;
  const scored = scoreInteraction(p.state, ctx.policy, event, seq);
  const next: ContactProgress = {
    ...p,
    ...usageApplied(p, event, seq),
    // The interaction's own scoring already applied its records and its activity.
    state: scored.state,
    ...appended(p, scored.records),
    recentInteractionIds: [...p.recentInteractionIds, event.interactionId].slice(-RECENT_IDS_KEPT),
  };
  return withChange(next, p.state.general, ctx, { seq, event });
}

/** Folds a usage interaction into the contact's usage, unless the usage document has it already. */
function usageApplied(p: ContactProgress, event: InteractionRecorded, seq: number) {
  const fact = usageFact(event);
  if (fact === null || seq <= p.usageSeq) return {};
  return { usage: recordUsage(p.usage, event), usageSeq: seq, usageFacts: [...p.usageFacts, fact] };
}

function recompute(
  p: ContactProgress,
  event: Extract<ScoringInput, { request: 'RECOMPUTE' }>,
  seq: number,
  ctx: StepContext,
): ContactProgress {
  const { jobId } = event;
  // The job's request sent again at a new position: the contact was rebuilt by it once.
  if (p.recomputedBy.some((r) => r.jobId === jobId)) return counted(p, jobId, seq);
  const job = ctx.job(jobId);
  if (!job) return p; // an unknown job (deleted workspace data): nothing to rebuild
  if (!ctx.storedRecords) throw new Error(`RECOMPUTE of ${p.contactId} without its stored records loaded`);
  // After a rebuild earlier in the batch, the rebuilt records are the whole history.
  const history = p.rebuilt ?? [...ctx.storedRecords, ...p.records];
  const rebuilt = replay(history, job.rules ? { ...ctx.policy, rules: job.rules } : ctx.policy);
  const before = p.state;
  const after = { ...rebuilt.state, ...kept(before) };
  const compared = { before: figures(before), after: figures(after), dryRun: job.dryRun };
  const outcome: RecomputeOutcome = { jobId, seq, ...compared, replayed: false };
  const next = {
    ...p,
    recomputes: [...p.recomputes, outcome],
    recomputedBy: [{ jobId, seq, ...compared }, ...p.recomputedBy].slice(0, RECOMPUTE_JOBS_KEPT),
  };
  if (job.dryRun) return next;
  const applied = { ...next, state: after, rebuilt: rebuilt.records };
  if (after.general === before.general && after.stage === before.stage) return applied;
  return withChange(applied, before.general, ctx, { seq, event });
}

/**
 * Another contact merged into this one: the contact is rebuilt from both histories, the merged-away
 * contact's interactions placed among its own by their position in the interactions stream, i.e.
 * in the order they would have been scored had they been sent with this contact's id. Its phase
 * stays (lifecycle moves it on from the new score); a merge that brings the first purchase or
 * subscription says so (customerKind) so lifecycle moves it into the customer half.
 */
function merge(p: ContactProgress, event: InteractionRecorded, seq: number, ctx: StepContext): ContactProgress {
  if (!ctx.storedRecords || !ctx.mergedRecords) {
    throw new Error(`CONTACT_MERGED on ${p.contactId} without the stored records loaded`);
  }
  const own = p.rebuilt ?? [...ctx.storedRecords, ...p.records];
  const { records: theirs, profile: theirProfile } = ctx.mergedRecords(String(event.properties.from));
  const history = interleaveInteractions(own, theirs);
  const rebuilt = replay(history, ctx.policy);
  const before = p.state;
  const ours = before.profile ?? emptyProfile();
  const profile = theirProfile ? mergeProfiles(ours, theirProfile) : before.profile;
  const after = { ...rebuilt.state, ...kept(before), ...(profile ? { profile } : {}) };
  const theirIds = theirs.flatMap((r) => (r.type === 'INTERACTION' ? [r.interaction.interactionId] : []));
  const next: ContactProgress = {
    ...p,
    ...mergedUsage(p, own, theirs, seq),
    state: after,
    rebuilt: rebuilt.records,
    recentInteractionIds: [...p.recentInteractionIds, ...theirIds].slice(-RECENT_IDS_KEPT),
  };
  const customerKind = firstCustomerKind(own) ? null : firstCustomerKind(theirs);
  const changed = withChange(next, before.general, ctx, { seq, event });
  if (!customerKind) return changed;
  const last = changed.changes[changed.changes.length - 1]!;
  return {
    ...changed,
    changes: [...changed.changes.slice(0, -1), { ...last, change: { ...last.change, customerKind } }],
  };
}

/**
 * The merged-away contact's product usage folded into this one's, from its stored records (they
 * keep each interaction's kind, time and properties): the fold is order-free (counts add, first and
 * last uses are min and max, the kept days are those up to the latest), so this is the usage both
 * would have had sent with this id. Interactions this contact has too (by id) count once. The usage
 * document has it already when its position is at or past the merge (a redelivery). The workspace
 * statistics keep the merged-away contact's facts under its own id (insert-only by interaction).
 */
function mergedUsage(
  p: ContactProgress,
  own: readonly ScoreRecord[],
  theirs: readonly ScoreRecord[],
  seq: number,
): Pick<ContactProgress, 'usage' | 'usageSeq'> | Record<string, never> {
  if (seq <= p.usageSeq) return {};
  const ownIds = new Set(own.flatMap((r) => (r.type === 'INTERACTION' ? [r.interaction.interactionId] : [])));
  let usage = p.usage;
  let found = false;
  for (const r of theirs) {
    if (r.type !== 'INTERACTION' || ownIds.has(r.interaction.interactionId)) continue;
    if (usageFact({ ...r.interaction, contactId: p.contactId }) === null) continue;
    usage = recordUsage(usage, r.interaction);
    found = true;
  }
  return found ? { usage, usageSeq: seq } : {};
}

/**
 * `own` with the INTERACTION records of `theirs` placed by stream position (`seq`): each goes
 * before the first interaction of `own` that came after it. Their decay and stage-reset records are
 * left out: decay is applied again at each interaction's time, and stage resets belong to the
 * survivor's own phases. An interaction present in both (by id) is kept once.
 */
export function interleaveInteractions(own: readonly ScoreRecord[], theirs: readonly ScoreRecord[]): ScoreRecord[] {
  const ownIds = new Set(own.flatMap((r) => (r.type === 'INTERACTION' ? [r.interaction.interactionId] : [])));
  const incoming = theirs
    .filter((r): r is Extract<ScoreRecord, { type: 'INTERACTION' }> => r.type === 'INTERACTION')
    .filter((r) => !ownIds.has(r.interaction.interactionId))
    .sort((a, b) => a.seq - b.seq);
  const out: ScoreRecord[] = [];
  let i = 0;
  for (const record of own) {
    if (record.type === 'INTERACTION') {
      while (i < incoming.length && incoming[i]!.seq < record.seq) out.push(incoming[i++]!);
    }
    out.push(record);
  }
  return [...out, ...incoming.slice(i)];
}

function firstCustomerKind(records: readonly ScoreRecord[]): InteractionRecorded['kind'] | null {
  for (const r of records) {
    if (r.type === 'INTERACTION' && CUSTOMER_KINDS.has(r.interaction.kind as InteractionRecorded['kind'])) {
      return r.interaction.kind as InteractionRecorded['kind'];
    }
  }
  return null;
}

/** What a rebuild from the records keeps of the state before: its phase and its traits. */
function kept(before: ScoreState): Pick<ScoreState, 'phase' | 'phaseTransitionId' | 'profile'> {
  return {
    phase: before.phase,
    phaseTransitionId: before.phaseTransitionId,
    ...(before.profile ? { profile: before.profile } : {}),
  };
}

function appended(p: ContactProgress, records: ScoreRecord[]): Pick<ContactProgress, 'records' | 'rebuilt'> {
  return p.rebuilt
    ? { records: p.records, rebuilt: [...p.rebuilt, ...records] }
    : { records: [...p.records, ...records], rebuilt: null };
}

function withRecords(p: ContactProgress, records: ScoreRecord[]): ContactProgress {
  return { ...p, state: records.reduce(applyRecord, p.state), ...appended(p, records) };
}

/** Queues the score change `input` made: the general score went from `previous` to where it is now. */
function withChange(
  p: ContactProgress,
  previous: number,
  ctx: Pick<StepContext, 'at' | 'features'>,
  input: { seq: number; event: ScoringInput },
): ContactProgress {
  const { at } = ctx;
  const { general, stage, tags, activity } = p.state;
  const figures = {
    seq: input.seq,
    delta: round(general - previous),
    general,
    stage,
    at: at.toISOString(),
    // Lifecycle's likelihood rules read them from the change (it never calls scoring back).
    likelihoods: phaseLikelihoods(activity, at, likelihoodUsage(p.usage, ctx.features, at)),
    // Carried for lifecycle's lead routing and lists; nothing for the many contacts without tags.
    ...(Object.keys(tags).length > 0 ? { tags: { ...tags } } : {}),
    // Lists of contacts filter and sort on it (kept by lifecycle); with it, absent tags mean none.
    lastInteractionAt: activity.lastInteractionAt,
  };
  return { ...p, published: general, changes: [...p.changes, scoreChangeOf(input.event, figures)] };
}

/**
 * The next decay check of a contact: when its score will have fallen significantly
 * below the last published value (null: never). `scheduled` is the check the server
 * holds already (null: none, or not known to be there). One that comes no later than due
 * (within the slack) is kept: a check that finds no significant drop yet schedules the
 * next one then (DECAY_CHECK clears `decayCheckAt`). So an active contact, whose due time
 * moves later with every interaction, costs one check per drop interval, not a new schedule
 * published for every batch that holds it.
 */
export function nextDecayCheck(
  p: Pick<ContactProgress, 'state' | 'published'>,
  halfLifeDays: number | null,
  scheduled: Date | null,
): { at: Date | null; schedule: boolean } {
  const { state, published } = p;
  const due = state.asOf ? nextSignificantDropAt(halfLifeDays, Date.parse(state.asOf), state.general, published) : null;
  if (due === null) return { at: null, schedule: false };
  if (scheduled && scheduled.getTime() < due + RESCHEDULE_SLACK_MS) return { at: scheduled, schedule: false };
  return { at: new Date(due), schedule: true };
}
