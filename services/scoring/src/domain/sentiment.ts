// A contact's sentiment as a fold over its scored texts: counts per label, the sum of
// scores (for the mean), the latest text and a short window of recent ones (the
// trend). The whole history stays in the score records (one per interaction).
import {
  analyseSentiment,
  isSentimentLanguage,
  type SentimentLanguage,
  type TextSentiment,
} from '../sentiment/analyser';
import type { RuleInteraction } from './rules';

/** The interaction property that carries the free text (comment, review, survey answer, chat transcript). */
export const TEXT_PROPERTY = 'text';
/** Optional: the text's language (ISO 639-1, e.g. `de` or `de-AT`); detected when absent. */
export const LANGUAGE_PROPERTY = 'language';
/** Optional: where the text was written (`app-store`, `twitter`, `chat`…); else the interaction's kind. */
export const CHANNEL_PROPERTY = 'channel';
/** Texts kept in the contact's document for the trend and the card (the rest are in the history). */
export const RECENT_KEPT = 10;
/** A trend's means differing by less than this (on −1..1) are STABLE. */
export const TREND_STEP = 0.1;
const MAX_CHANNEL_CHARS = 40;

/** One interaction's text scored, with what the contact card and the reputation need of it. */
export interface ScoredText extends TextSentiment {
  interactionId: string;
  kind: string;
  channel: string;
  /** The interaction's time (ISO 8601). */
  at: string;
}

export interface ContactSentiment {
  texts: number;
  positive: number;
  neutral: number;
  negative: number;
  scoreSum: number;
  /** The text with the latest `at` (ties: the later arrival). */
  latest: ScoredText | null;
  /** The newest RECENT_KEPT texts by `at`, oldest first. */
  recent: ScoredText[];
}

export type TrendDirection = 'IMPROVING' | 'STABLE' | 'DECLINING' | 'UNKNOWN';

export interface SentimentTrend {
  direction: TrendDirection;
  /** Mean score of the newer half of the recent texts. */
  recentMean: number | null;
  /** Mean score of the older half. */
  previousMean: number | null;
  delta: number | null;
}

export function emptySentiment(): ContactSentiment {
  return { texts: 0, positive: 0, neutral: 0, negative: 0, scoreSum: 0, latest: null, recent: [] };
}

/** Where a text counts in the reputation: its `channel` property, else the interaction's kind. */
export function channelOf(interaction: Pick<RuleInteraction, 'kind' | 'properties'>): string {
  const channel = interaction.properties[CHANNEL_PROPERTY];
  if (typeof channel === 'string' && channel.trim() !== '') {
    return channel.trim().toLowerCase().slice(0, MAX_CHANNEL_CHARS);
  }
  return interaction.kind;
}

/**
 * The language a text is to be scored in: the `language` property's primary subtag when
 * it is a supported one; undefined (detect) when absent; null when it names a language
 * the analyser does not support (the text is then not scored rather than mis-scored).
 */
export function givenLanguage(properties: Record<string, unknown>): SentimentLanguage | undefined | null {
  const value = properties[LANGUAGE_PROPERTY];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return null;
  const primary = value.trim().toLowerCase().split(/[-_]/)[0];
  return isSentimentLanguage(primary) ? primary : null;
}

/**
 * Results by interaction object: the scoring step and the reputation count of one batch
 * get the same event, which is then analysed once. Weak: gone with the batch.
 */
const analysed = new WeakMap<
  RuleInteraction,
  { defaultLanguage: SentimentLanguage | null; scored: ScoredText | null }
>();

/**
 * The interaction's text scored, or null when it has no text (or one in an unsupported
 * language). Its language: the `language` property, else the workspace's default
 * (`defaultLanguage`, the `sentimentLanguage` setting), else detected.
 */
export function interactionSentiment(
  interaction: RuleInteraction,
  defaultLanguage: SentimentLanguage | null = null,
): ScoredText | null {
  // Most interactions (visits, clicks) have no text: nothing to analyse, nothing to remember (a
  // weak map's entries are work for every garbage collection while they live).
  const text = textOf(interaction);
  if (text === null) return null;
  const memo = analysed.get(interaction);
  if (memo && memo.defaultLanguage === defaultLanguage) return memo.scored;
  const scored = analyseInteraction(interaction, text, defaultLanguage);
  analysed.set(interaction, { defaultLanguage, scored });
  return scored;
}

function textOf(interaction: RuleInteraction): string | null {
  const text = interaction.properties[TEXT_PROPERTY];
  return typeof text === 'string' && text.trim() !== '' ? text : null;
}

function analyseInteraction(
  interaction: RuleInteraction,
  text: string,
  defaultLanguage: SentimentLanguage | null,
): ScoredText | null {
  const given = givenLanguage(interaction.properties);
  if (given === null) return null;
  const analysis =
    given !== undefined
      ? analyseSentiment(text, given, 'GIVEN')
      : analyseSentiment(text, defaultLanguage ?? undefined, 'WORKSPACE_DEFAULT');
  return {
    interactionId: interaction.interactionId,
    kind: interaction.kind,
    channel: channelOf(interaction),
    at: interaction.occurredAt,
    ...analysis,
  };
}

/** Returns the sentiment with `scored` folded in; the given one is left untouched. */
export function recordSentiment(sentiment: ContactSentiment | undefined, scored: ScoredText): ContactSentiment {
  const previous = sentiment ?? emptySentiment();
  const at = Date.parse(scored.at);
  const recent = [...previous.recent, scored]
    .map((text, arrival) => ({ text, arrival }))
    .sort((a, b) => Date.parse(a.text.at) - Date.parse(b.text.at) || a.arrival - b.arrival)
    .map(({ text }) => text)
    .slice(-RECENT_KEPT);
  const isLatest = previous.latest === null || at >= Date.parse(previous.latest.at);
  return {
    texts: previous.texts + 1,
    positive: previous.positive + (scored.label === 'POSITIVE' ? 1 : 0),
    neutral: previous.neutral + (scored.label === 'NEUTRAL' ? 1 : 0),
    negative: previous.negative + (scored.label === 'NEGATIVE' ? 1 : 0),
    scoreSum: Math.round((previous.scoreSum + scored.score) * 1000) / 1000,
    latest: isLatest ? scored : previous.latest,
    recent,
  };
}

/**
 * The trend over the recent texts: the newer half's mean score against the older
 * half's (with 5 texts, the newest 3 against the 2 before). Fewer than two texts: UNKNOWN.
 */
export function sentimentTrend(sentiment: ContactSentiment | undefined): SentimentTrend {
  const recent = sentiment?.recent ?? [];
  if (recent.length < 2) {
    const only = recent[0]?.score ?? null;
    return { direction: 'UNKNOWN', recentMean: only, previousMean: null, delta: null };
  }
  const split = Math.floor(recent.length / 2);
  const recentMean = mean(recent.slice(split).map((t) => t.score));
  const previousMean = mean(recent.slice(0, split).map((t) => t.score));
  const delta = round(recentMean - previousMean);
  const direction = delta >= TREND_STEP ? 'IMPROVING' : delta <= -TREND_STEP ? 'DECLINING' : 'STABLE';
  return { direction, recentMean, previousMean, delta };
}

function mean(values: number[]): number {
  return round(values.reduce((sum, v) => sum + v, 0) / values.length);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000 + 0;
}
