// A contact's scores as a fold over records: an interaction (scored by the rules),
// decay up to an instant, a stage reset on a new phase. Every record carries its
// explanation entries, and the scores are by construction the sums of the entries,
// so replaying the records under new rules (recompute) is the same fold.
import type { Phase } from '@cei/contracts';
import { grantsFor, type CapLedger, type RuleInteraction, type ScoringRule, type TagPoints } from './rules';
import { decayFactor } from './decay';
import { emptyActivity, recordActivity, type ContactActivity } from './activity';
import { interactionSentiment, recordSentiment, type ScoredText } from './sentiment';
import type { SentimentLanguage } from '../sentiment/analyser';
import type { InfluenceProfile } from './influence';

export interface ScoreValues {
  general: number;
  stage: number;
  tags: Record<string, number>;
}

/** One line of a contact's explanation: what one rule (or decay, or a reset) did to each score. */
export interface Entry {
  /** The rule, or null for decay and stage resets. */
  ruleId: string | null;
  general: number;
  stage: number;
  tags: TagPoints[];
}

export type ScoreRecord =
  | {
      type: 'INTERACTION';
      at: string;
      seq: number;
      interaction: RuleInteraction;
      entries: Entry[];
      /** The sentiment of the interaction's text, when it has one (see domain/sentiment). */
      sentiment?: ScoredText;
    }
  | { type: 'DECAY'; at: string; entries: Entry[] }
  | { type: 'STAGE_RESET'; at: string; transitionId: string; phase: Phase; entries: Entry[] };

export interface ScoreState extends ScoreValues {
  /** The instant the values are valid at: decay runs on from here. */
  asOf: string | null;
  phase: Phase | null;
  /** The transition the stage score started with. */
  phaseTransitionId: string | null;
  scoredInteractions: number;
  caps: CapLedger;
  activity: ContactActivity;
  /** The traits influence reads, from the contact's IDENTIFY events (absent: none yet). */
  profile?: InfluenceProfile;
}

export interface ScoringPolicy {
  rules: readonly ScoringRule[];
  halfLifeDays: number | null;
  /** The language of texts that do not say theirs (null or absent: detected). */
  sentimentLanguage?: SentimentLanguage | null;
}

export function emptyState(): ScoreState {
  return {
    general: 0,
    stage: 0,
    tags: {},
    asOf: null,
    phase: null,
    phaseTransitionId: null,
    scoredInteractions: 0,
    caps: {},
    activity: emptyActivity(),
  };
}

/**
 * Decay is written down whenever it changes a value at the precision scores are kept
 * at: skipping smaller steps would lose them, since the next interaction moves `asOf`.
 */
const DECAY_GRANULARITY = 1e-6;

export function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** The values decayed to `atMs` (read "as of now" without writing anything). */
export function decayedValues(state: ScoreValues & { asOf: string | null }, halfLifeDays: number | null, atMs: number) {
  const factor = state.asOf ? decayFactor(halfLifeDays, Date.parse(state.asOf), atMs) : 1;
  const tags: Record<string, number> = {};
  for (const [tag, points] of Object.entries(state.tags)) tags[tag] = round(points * factor);
  return { general: round(state.general * factor), stage: round(state.stage * factor), tags };
}

/** Decay up to `at` as a record, or null when it would change nothing worth writing. */
export function decayTo(state: ScoreState, halfLifeDays: number | null, at: string): ScoreRecord | null {
  if (!state.asOf || Date.parse(at) <= Date.parse(state.asOf)) return null;
  const decayed = decayedValues(state, halfLifeDays, Date.parse(at));
  const entry: Entry = {
    ruleId: null,
    general: round(decayed.general - state.general),
    stage: round(decayed.stage - state.stage),
    tags: Object.entries(decayed.tags)
      .map(([tag, points]) => ({ tag, points: round(points - (state.tags[tag] ?? 0)) }))
      .filter((t) => t.points !== 0),
  };
  const biggest = Math.max(
    Math.abs(entry.general),
    Math.abs(entry.stage),
    ...entry.tags.map((t) => Math.abs(t.points)),
  );
  if (biggest < DECAY_GRANULARITY) return null;
  return { type: 'DECAY', at, entries: [entry] };
}

/** Applies a record's entries (and what else it means) to the state. */
export function applyRecord(state: ScoreState, record: ScoreRecord): ScoreState {
  let { general, stage } = state;
  const tags = { ...state.tags };
  for (const entry of record.entries) {
    general = round(general + entry.general);
    stage = round(stage + entry.stage);
    for (const { tag, points } of entry.tags) tags[tag] = round((tags[tag] ?? 0) + points);
  }
  const next: ScoreState = { ...state, general, stage, tags };
  if (record.type === 'DECAY') return { ...next, asOf: record.at };
  if (record.type === 'STAGE_RESET') return { ...next, phase: record.phase, phaseTransitionId: record.transitionId };
  return {
    ...next,
    asOf: state.asOf && Date.parse(state.asOf) > Date.parse(record.at) ? state.asOf : record.at,
    scoredInteractions: state.scoredInteractions + 1,
  };
}

/**
 * Scores one interaction: decay up to its time first (so a contact that was away
 * comes back from a cooled score), then the rules' grants. A general point also
 * counts toward the stage score: the stage is what was earned in this phase.
 */
export function scoreInteraction(
  state: ScoreState,
  policy: ScoringPolicy,
  interaction: RuleInteraction,
  seq: number,
): { state: ScoreState; records: ScoreRecord[] } {
  const records: ScoreRecord[] = [];
  let next = state;
  const decay = decayTo(next, policy.halfLifeDays, interaction.occurredAt);
  if (decay) {
    records.push(decay);
    next = applyRecord(next, decay);
  }
  const { grants, caps } = grantsFor(policy.rules, interaction, next.caps);
  const entries: Entry[] = grants.map((g) => ({
    ruleId: g.ruleId,
    general: g.general,
    stage: round(g.general + g.stage),
    tags: g.tags,
  }));
  // Scored here, once per interaction; a recompute scores the same text again, identically.
  const sentiment = interactionSentiment(interaction, policy.sentimentLanguage ?? null);
  const record: ScoreRecord = {
    type: 'INTERACTION',
    at: interaction.occurredAt,
    seq,
    interaction,
    entries,
    ...(sentiment ? { sentiment } : {}),
  };
  records.push(record);
  next = applyRecord({ ...next, caps }, record);
  const points = entries.reduce((sum, e) => sum + e.general, 0);
  let activity = recordActivity(next.activity, { ...interaction, points });
  if (sentiment) activity = { ...activity, sentiment: recordSentiment(activity.sentiment, sentiment) };
  next = { ...next, activity };
  return { state: next, records };
}

/** A new phase: the stage score starts again from zero. */
export function resetStage(state: ScoreState, transitionId: string, phase: Phase, at: string): ScoreRecord {
  return {
    type: 'STAGE_RESET',
    at,
    transitionId,
    phase,
    entries: state.stage === 0 ? [] : [{ ruleId: null, general: 0, stage: round(-state.stage), tags: [] }],
  };
}

/**
 * Rebuilds a contact from its records under a policy: interactions are scored
 * again, decay and stage resets happen at the same instants. Live scoring is this
 * same fold applied one record at a time, so a rebuild over the same records
 * equals live scoring under the same rules.
 */
export function replay(
  records: readonly ScoreRecord[],
  policy: ScoringPolicy,
): { state: ScoreState; records: ScoreRecord[] } {
  let state = emptyState();
  const rebuilt: ScoreRecord[] = [];
  for (const record of records) {
    if (record.type === 'INTERACTION') {
      const scored = scoreInteraction(state, policy, record.interaction, record.seq);
      state = scored.state;
      rebuilt.push(...scored.records);
    } else if (record.type === 'DECAY') {
      const decay = decayTo(state, policy.halfLifeDays, record.at);
      if (decay) {
        state = applyRecord(state, decay);
        rebuilt.push(decay);
      }
    } else {
      const reset = resetStage(state, record.transitionId, record.phase, record.at);
      state = applyRecord(state, reset);
      rebuilt.push(reset);
    }
  }
  return { state, records: rebuilt };
}
