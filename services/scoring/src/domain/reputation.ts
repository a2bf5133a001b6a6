// The workspace's reputation: per UTC day and channel, how many texts were scored and
// their labels and mean score. Each partition's owner keeps its own figures per day
// (one writer per document), a query adds the partitions up. A text is counted once:
// the figures remember a short hash of every interaction counted in them, in the same
// document, so a redelivered or re-published interaction is recognised and skipped.
import { createHash } from 'node:crypto';
import type { ScoredText } from './sentiment';

export interface ChannelFigures {
  channel: string;
  texts: number;
  positive: number;
  neutral: number;
  negative: number;
  scoreSum: number;
}

/** One partition's figures for one workspace and day. */
export interface ReputationDay {
  workspaceId: string;
  /** `YYYY-MM-DD`, UTC: the day the texts were written (the interactions' time). */
  day: string;
  partition: number;
  channels: ChannelFigures[];
  /** Hashes of the interactions counted (see countedKey). */
  counted: Set<string>;
  /** The latest stream position counted here. */
  lastSeq: number;
}

export interface ReputationInput {
  workspaceId: string;
  seq: number;
  text: ScoredText;
}

/** 72 bits of the interaction id's SHA-256: unique enough within a day of one workspace. */
export function countedKey(interactionId: string): string {
  return createHash('sha256').update(interactionId).digest('base64url').slice(0, 12);
}

export function dayOf(at: string): string {
  return new Date(Date.parse(at)).toISOString().slice(0, 10);
}

export function reputationKey(workspaceId: string, day: string, partition: number): string {
  return `${workspaceId}:${day}:${partition}`;
}

export function emptyDay(workspaceId: string, day: string, partition: number): ReputationDay {
  return { workspaceId, day, partition, channels: [], counted: new Set(), lastSeq: 0 };
}

/** Counts `input` into `figures` unless it was counted before; returns whether it was new. Mutates `figures`. */
export function countText(figures: ReputationDay, input: ReputationInput): boolean {
  const key = countedKey(input.text.interactionId);
  if (figures.counted.has(key)) return false;
  figures.counted.add(key);
  figures.lastSeq = Math.max(figures.lastSeq, input.seq);
  let channel = figures.channels.find((c) => c.channel === input.text.channel);
  if (!channel) {
    channel = { channel: input.text.channel, texts: 0, positive: 0, neutral: 0, negative: 0, scoreSum: 0 };
    figures.channels.push(channel);
    figures.channels.sort((a, b) => (a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : 0));
  }
  channel.texts += 1;
  if (input.text.label === 'POSITIVE') channel.positive += 1;
  else if (input.text.label === 'NEGATIVE') channel.negative += 1;
  else channel.neutral += 1;
  channel.scoreSum = Math.round((channel.scoreSum + input.text.score) * 1000) / 1000;
  return true;
}

/** One day and channel of the reputation, all partitions added up. */
export interface ReputationFigure {
  day: string;
  channel: string;
  texts: number;
  positive: number;
  neutral: number;
  negative: number;
  /** −1..1; null without texts. */
  meanScore: number | null;
}

/** Adds the partitions' figures up per day and channel, days ascending, then channels. */
export function reputationFigures(days: readonly Pick<ReputationDay, 'day' | 'channels'>[]): ReputationFigure[] {
  const sums = new Map<string, ChannelFigures & { day: string }>();
  for (const { day, channels } of days) {
    for (const c of channels) {
      const key = `${day}\u0000${c.channel}`;
      const sum = sums.get(key) ?? {
        day,
        channel: c.channel,
        texts: 0,
        positive: 0,
        neutral: 0,
        negative: 0,
        scoreSum: 0,
      };
      sum.texts += c.texts;
      sum.positive += c.positive;
      sum.neutral += c.neutral;
      sum.negative += c.negative;
      sum.scoreSum += c.scoreSum;
      sums.set(key, sum);
    }
  }
  return [...sums.values()]
    .sort((a, b) => (a.day === b.day ? (a.channel < b.channel ? -1 : 1) : a.day < b.day ? -1 : 1))
    .map(({ day, channel, texts, positive, neutral, negative, scoreSum }) => ({
      day,
      channel,
      texts,
      positive,
      neutral,
      negative,
      meanScore: texts > 0 ? Math.round((scoreSum / texts) * 1000) / 1000 + 0 : null,
    }));
}
