// Sentiment in the graph: a contact's texts (latest, trend, recent) and the workspace's
// reputation per day and channel.
import { contactKey, invalidFields, type InteractionKind } from '@cei/contracts';
import { emptySentiment, sentimentTrend } from '../domain/sentiment';
import { reputationFigures } from '../domain/reputation';
import type { ReputationDayDoc } from '../models';
import type {
  ContactResolvers,
  ContactSentimentResolvers,
  QueryResolvers,
  TextSentimentResolvers,
} from '../__generated__/resolvers-types';

/** The longest range `reputation` answers: it reads the workspace's figures and keeps the range's. */
export const MAX_REPUTATION_DAYS = 366;
const MAX_RECENT = 10;
const DAY_MS = 86_400_000;

export const contactSentimentField: Pick<ContactResolvers, 'sentiment'> = {
  sentiment: async (contact, _, ctx) => {
    const doc = await ctx.loaders.score.load(contactKey(ctx.caller.workspaceId, contact.id));
    return doc?.state.activity.sentiment ?? emptySentiment();
  },
};

export const sentimentTypes: {
  ContactSentiment: ContactSentimentResolvers;
  TextSentiment: TextSentimentResolvers;
} = {
  ContactSentiment: {
    trend: (sentiment) => sentimentTrend(sentiment),
    recent: (sentiment, { first }) => {
      const count = first ?? MAX_RECENT;
      if (!Number.isInteger(count) || count < 0 || count > MAX_RECENT) {
        throw invalidFields([{ path: 'first', message: `between 0 and ${MAX_RECENT}` }]);
      }
      return [...sentiment.recent].reverse().slice(0, count);
    },
    meanScore: (sentiment) =>
      sentiment.texts > 0 ? Math.round((sentiment.scoreSum / sentiment.texts) * 1000) / 1000 : null,
  },
  TextSentiment: {
    // Interactions are checked against the kinds when they are decoded (contracts/events.ts).
    kind: (text) => text.kind as InteractionKind,
  },
};

export const reputationQueries: Pick<QueryResolvers, 'reputation'> = {
  /** Off the event path: the workspace's day figures (one small document per day and partition), summed in code. */
  reputation: async (_, { from, to }, ctx) => {
    if (Number.isNaN(from.getTime())) throw invalidFields([{ path: 'from', message: 'not a date-time' }]);
    if (Number.isNaN(to.getTime())) throw invalidFields([{ path: 'to', message: 'not a date-time' }]);
    if (to < from) throw invalidFields([{ path: 'to', message: 'before `from`' }]);
    const first = from.toISOString().slice(0, 10);
    const last = to.toISOString().slice(0, 10);
    if (Date.parse(last) - Date.parse(first) >= MAX_REPUTATION_DAYS * DAY_MS) {
      throw invalidFields([{ path: 'to', message: `at most ${MAX_REPUTATION_DAYS} days after \`from\`` }]);
    }
    // Equality on the workspace only (FerretDB pushes it down; a range it would not), the days filtered here.
    const docs = await ctx.models.ReputationDay.find({ workspaceId: ctx.caller.workspaceId }, { day: 1, channels: 1 })
      .lean<Pick<ReputationDayDoc, 'day' | 'channels'>[]>()
      .exec();
    const figures = reputationFigures(docs.filter((d) => d.day >= first && d.day <= last));
    const total = figures.reduce(
      (sum, f) => ({
        texts: sum.texts + f.texts,
        positive: sum.positive + f.positive,
        neutral: sum.neutral + f.neutral,
        negative: sum.negative + f.negative,
        scoreSum: sum.scoreSum + (f.meanScore ?? 0) * f.texts,
      }),
      { texts: 0, positive: 0, neutral: 0, negative: 0, scoreSum: 0 },
    );
    const { scoreSum, ...counts } = total;
    return {
      from,
      to,
      figures,
      ...counts,
      meanScore: counts.texts > 0 ? Math.round((scoreSum / counts.texts) * 1000) / 1000 : null,
    };
  },
};
