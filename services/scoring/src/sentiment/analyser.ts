// Scores a short text's sentiment in process, from lexicons that ship inside npm
// packages (no network, no model download): English with `sentiment` (AFINN-165),
// German, French and Indonesian with nlp.js's lexicons (SentiCon, Pattern, AFINN).
// The choice per language is measured: `pnpm bench:sentiment` and the README's table.
// Each result names the words that drove it, so a label is explainable.
import { Container } from '@nlpjs/core';
import { LangDe } from '@nlpjs/lang-de';
import { LangEn } from '@nlpjs/lang-en';
import { LangFr } from '@nlpjs/lang-fr';
import { LangId } from '@nlpjs/lang-id';
import Sentiment from 'sentiment';
import { detect } from 'tinyld';

export const SENTIMENT_LANGUAGES = ['en', 'de', 'fr', 'id'] as const;
export type SentimentLanguage = (typeof SENTIMENT_LANGUAGES)[number];

export type SentimentLabel = 'POSITIVE' | 'NEUTRAL' | 'NEGATIVE';
export type LanguageSource = 'GIVEN' | 'WORKSPACE_DEFAULT' | 'DETECTED';

/** A word of the text and what it added to the score (after negation), on the −1..1 word scale. */
export interface SentimentDriver {
  word: string;
  weight: number;
}

export interface TextSentiment {
  /** −1 (very negative) .. 1 (very positive): the words' weights summed, then squashed (see `squash`). */
  score: number;
  label: SentimentLabel;
  language: SentimentLanguage;
  /**
   * GIVEN: the interaction's `language` property; WORKSPACE_DEFAULT: the workspace's
   * `sentimentLanguage` setting; DETECTED: guessed from the text.
   */
  languageSource: LanguageSource;
  /** The words that moved the score most, strongest first (at most MAX_DRIVERS). */
  drivers: SentimentDriver[];
}

/** A score closer to 0 than this is NEUTRAL (one mildly coloured word stays neutral). */
export const NEUTRAL_BAND = 0.1;
export const MAX_DRIVERS = 5;
/** Longer texts are scored on their start: a transcript's first part, bounded work per text. */
export const MAX_TEXT_CHARS = 4000;

interface Tokenizer {
  tokenize(text: string, normalize?: boolean): string[];
}
interface Stemmer {
  stemWord(word: string): string;
}
interface NlpSentimentData {
  senticon?: Record<string, number>;
  pattern?: Record<string, number>;
  afinn?: Record<string, number>;
  negations: { words: string[] };
  stemmed?: boolean;
}

/** A language's scorer: the weighted words of a text, in order, on the −1..1 word scale. */
type WordScorer = (text: string) => SentimentDriver[];

/**
 * nlp.js's lexicon scoring (SentimentAnalyzer.calculate), word by word so each word's
 * part is known: a negation word flips every later word, as in nlp.js. The dictionary
 * nlp.js picks first (SentiCon, then Pattern, then AFINN) is used, scaled to −1..1.
 */
function nlpjsScorer(container: Container, language: SentimentLanguage): WordScorer {
  const data = container.get(`sentiment-${language}`) as NlpSentimentData;
  const dictionary = data.senticon ?? data.pattern ?? data.afinn;
  if (!dictionary) throw new Error(`nlp.js ships no sentiment lexicon for ${language}`);
  const scale = Math.max(...Object.values(dictionary).map(Math.abs));
  const negations = new Set(data.negations.words);
  const tokenizer = container.get(`tokenizer-${language}`) as Tokenizer;
  const stemmer = data.stemmed ? (container.get(`stemmer-${language}`) as Stemmer) : null;
  return (text) => {
    const drivers: SentimentDriver[] = [];
    let negator = 1;
    for (const token of tokenizer.tokenize(text, true)) {
      const word = token.toLowerCase();
      const key = stemmer ? stemmer.stemWord(word)?.trim() : word;
      if (!key) continue;
      if (negations.has(key)) negator = -1;
      else if (dictionary[key] !== undefined && dictionary[key] !== 0) {
        drivers.push({ word, weight: (negator * dictionary[key]) / scale });
      }
    }
    return drivers;
  };
}

/** AFINN-165 via `sentiment` (weights −5..5, a "not" before a word flips it), scaled to −1..1. */
function afinnScorer(): WordScorer {
  const analyser = new Sentiment();
  return (text) =>
    analyser
      .analyze(text)
      .calculation.flatMap((entry) => Object.entries(entry).map(([word, weight]) => ({ word, weight: weight / 5 })))
      .reverse(); // `sentiment` lists the calculation last word first
}

function scorers(): Record<SentimentLanguage, WordScorer> {
  const container = new Container();
  for (const plugin of [LangEn, LangDe, LangFr, LangId]) container.use(plugin);
  return {
    en: afinnScorer(),
    de: nlpjsScorer(container, 'de'),
    fr: nlpjsScorer(container, 'fr'),
    id: nlpjsScorer(container, 'id'),
  };
}

let loaded: Record<SentimentLanguage, WordScorer> | undefined;

/** The lexicons load on first use (a few MB of JSON, ~100 ms), then stay in memory. */
function scorerFor(language: SentimentLanguage): WordScorer {
  loaded ??= scorers();
  return loaded[language];
}

export function isSentimentLanguage(value: unknown): value is SentimentLanguage {
  return typeof value === 'string' && (SENTIMENT_LANGUAGES as readonly string[]).includes(value);
}

/** The language of a text among the supported ones (tinyld, restricted to them); English when it cannot tell. */
export function detectLanguage(text: string): SentimentLanguage {
  const guess = detect(text, { only: [...SENTIMENT_LANGUAGES] });
  return isSentimentLanguage(guess) ? guess : 'en';
}

/** The summed word weights squashed into −1..1 as VADER does (x / √(x² + α)); α = 1 on the −1..1 word scale. */
export function squash(sum: number): number {
  return sum / Math.sqrt(sum * sum + 1);
}

export function labelOf(score: number): SentimentLabel {
  if (score >= NEUTRAL_BAND) return 'POSITIVE';
  if (score <= -NEUTRAL_BAND) return 'NEGATIVE';
  return 'NEUTRAL';
}

/**
 * Scores `text` in `language` (an ISO 639-1 code the caller gave), or in the language
 * detected among the supported ones when none is given. Pure and synchronous: the
 * same text gives the same result, so a recompute scores it again identically.
 */
export function analyseSentiment(
  text: string,
  language?: SentimentLanguage,
  source: Exclude<LanguageSource, 'DETECTED'> = 'GIVEN',
): TextSentiment {
  const sample = text.slice(0, MAX_TEXT_CHARS);
  const lang = language ?? detectLanguage(sample);
  const words = scorerFor(lang)(sample);
  const sum = words.reduce((total, w) => total + w.weight, 0);
  const score = round(squash(sum));
  const drivers = [...words]
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
    .slice(0, MAX_DRIVERS)
    .map((w) => ({ word: w.word, weight: round(w.weight) }));
  return { score, label: labelOf(score), language: lang, languageSource: language ? source : 'DETECTED', drivers };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000 + 0;
}
