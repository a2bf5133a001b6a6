// Trend figures recorded in a period rather than read at its close: the sentiment of the texts
// whose interactions' time falls in the period (the reputation's day documents, every partition
// and channel added up) and each declared feature's adoption in it (distinct contacts using it,
// as Query.productUsage counts it from the usage facts). Late interactions still count in the
// period they happened in. Pure: the resolvers read the documents.
import type { ChannelFigures } from '../domain/reputation';
import type { FeatureCatalog } from '../domain/product-usage';
import type { PeriodFeatureStat } from '../models';
import { round } from './counts';

export interface PeriodSentiment {
  texts: number;
  positive: number;
  neutral: number;
  negative: number;
  /** −1..1 over the period's texts (3 decimals); null without texts. */
  meanScore: number | null;
}

/** The sentiment of `days` (YYYY-MM-DD) from the workspace's reputation day documents. */
export function periodSentiment(
  docs: readonly { day: string; channels: readonly ChannelFigures[] }[],
  days: ReadonlySet<string>,
): PeriodSentiment {
  const sum = { texts: 0, positive: 0, neutral: 0, negative: 0, scoreSum: 0 };
  for (const { day, channels } of docs) {
    if (!days.has(day)) continue;
    for (const c of channels) {
      sum.texts += c.texts;
      sum.positive += c.positive;
      sum.neutral += c.neutral;
      sum.negative += c.negative;
      sum.scoreSum += c.scoreSum;
    }
  }
  const { scoreSum, ...counts } = sum;
  return { ...counts, meanScore: counts.texts > 0 ? round(scoreSum / counts.texts, 3) : null };
}

export interface PeriodAdoption {
  feature: string;
  name: string;
  highValue: boolean;
  contacts: number;
  uses: number;
}

/** Every declared feature with its distinct contacts and uses in the period, most contacts first. */
export function periodAdoption(stats: readonly PeriodFeatureStat[], catalog: FeatureCatalog): PeriodAdoption[] {
  return [...catalog.values()]
    .map((feature) => {
      const stat = stats.find((s) => s.feature === feature.key);
      return {
        feature: feature.key,
        name: feature.name,
        highValue: feature.highValue,
        contacts: stat?.contacts ?? 0,
        uses: stat?.uses ?? 0,
      };
    })
    .sort((a, b) => b.contacts - a.contacts || b.uses - a.uses || a.feature.localeCompare(b.feature));
}
