// `pnpm bench:sentiment`: the sentiment lexicon libraries measured on the labelled texts
// of test/fixtures/sentiment (60 per language: 20 positive, 20 negative, 20 neutral),
// English also on a dataset `sentiment` ships (Amazon reviews of the UCI "Sentiment
// Labelled Sentences", positive/negative only); the language detectors on the same
// texts; and the chosen analyser's texts per second. Prints one JSON document.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { analyseSentiment, NEUTRAL_BAND, type SentimentLanguage } from '@cei/scoring/src/sentiment/analyser';

const require = createRequire(__filename);
const LANGUAGES: SentimentLanguage[] = ['en', 'de', 'fr', 'id'];
type Label = 'POSITIVE' | 'NEUTRAL' | 'NEGATIVE';
interface Labelled {
  text: string;
  label: Label;
}

const fixtures = (language: string): Labelled[] =>
  (
    JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'sentiment', `${language}.json`), 'utf8')) as {
      texts: Labelled[];
    }
  ).texts;

/** Libraries' raw scores mapped to labels: > 0 positive, < 0 negative (VADER: its documented ±0.05). */
const labelOf = (score: number, band = 0): Label =>
  score > band ? 'POSITIVE' : score < -band ? 'NEGATIVE' : 'NEUTRAL';

type Scorer = (text: string, language: SentimentLanguage) => Promise<Label> | Label;

async function candidates(): Promise<Record<string, { languages: SentimentLanguage[]; score: Scorer }>> {
  const { Container } = require('@nlpjs/core');
  const { SentimentAnalyzer } = require('@nlpjs/sentiment');
  const container = new Container();
  const languagePackages: [string, string][] = [
    ['@nlpjs/lang-en', 'LangEn'],
    ['@nlpjs/lang-de', 'LangDe'],
    ['@nlpjs/lang-fr', 'LangFr'],
    ['@nlpjs/lang-id', 'LangId'],
  ];
  for (const [pkg, name] of languagePackages) {
    container.use(require(pkg)[name]);
  }
  const nlpjs = new SentimentAnalyzer({ container });
  const multilang = require('multilang-sentiment');
  const Sentiment = require('sentiment');
  const afinn = new Sentiment();
  const vader = require('vader-sentiment');
  const wink = require('wink-sentiment');
  return {
    '@nlpjs/sentiment': {
      languages: LANGUAGES,
      score: async (text, locale) => labelOf((await nlpjs.process({ locale, text })).sentiment.score),
    },
    'multilang-sentiment': { languages: LANGUAGES, score: (text, lang) => labelOf(multilang(text, lang).score) },
    sentiment: { languages: ['en'], score: (text) => labelOf(afinn.analyze(text).score) },
    'vader-sentiment': {
      languages: ['en'],
      score: (text) => labelOf(vader.SentimentIntensityAnalyzer.polarity_scores(text).compound, 0.05),
    },
    'wink-sentiment': { languages: ['en'], score: (text) => labelOf(wink(text).score) },
    'cei analyser (given language)': {
      languages: LANGUAGES,
      score: (text, lang) => analyseSentiment(text, lang).label,
    },
    'cei analyser (detected language)': { languages: LANGUAGES, score: (text) => analyseSentiment(text).label },
  };
}

async function detectors(): Promise<Record<string, (text: string) => string | undefined>> {
  const tinyld = require('tinyld');
  const { Language } = require('@nlpjs/language-min');
  const nlpjsLanguage = new Language();
  // ESM only.
  const { franc } = (await import('franc-min')) as { franc: (text: string, options: object) => string };
  const iso3 = { eng: 'en', deu: 'de', fra: 'fr', ind: 'id' } as Record<string, string>;
  return {
    tinyld: (text) => tinyld.detect(text, { only: LANGUAGES }),
    '@nlpjs/language-min': (text) => nlpjsLanguage.guessBest(text, LANGUAGES)?.alpha2,
    'franc-min': (text) => iso3[franc(text, { only: Object.keys(iso3) })],
  };
}

async function main() {
  const accuracy: Record<string, Record<string, number>> = {};
  for (const [name, { languages, score }] of Object.entries(await candidates())) {
    accuracy[name] = {};
    for (const language of languages) {
      const texts = fixtures(language);
      let right = 0;
      for (const { text, label } of texts) if ((await score(text, language)) === label) right += 1;
      accuracy[name][language] = round(right / texts.length);
    }
  }

  const detection: Record<string, Record<string, number>> = {};
  for (const [name, detect] of Object.entries(await detectors())) {
    detection[name] = {};
    for (const language of LANGUAGES) {
      const texts = fixtures(language);
      detection[name][language] = round(texts.filter(({ text }) => detect(text) === language).length / texts.length);
    }
  }

  // A dataset a package ships: binary, so a text counts as right when the score's sign matches.
  const amazon = JSON.parse(readFileSync(require.resolve('sentiment/test/fixtures/amazon.json'), 'utf8')) as {
    text: string;
    class: 0 | 1;
  }[];
  const polarity = round(
    amazon.filter(({ text, class: c }) => (analyseSentiment(text, 'en').score > 0 ? 1 : 0) === c).length /
      amazon.length,
  );

  // Texts per second of the chosen analyser, language detected (the costlier path), after a warm-up.
  const all = LANGUAGES.flatMap((language) => fixtures(language).map(({ text }) => text));
  for (const text of all) analyseSentiment(text);
  const rounds = 50;
  const started = process.hrtime.bigint();
  for (let i = 0; i < rounds; i += 1) for (const text of all) analyseSentiment(text);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const givenStarted = process.hrtime.bigint();
  for (let i = 0; i < rounds; i += 1)
    for (const language of LANGUAGES) for (const { text } of fixtures(language)) analyseSentiment(text, language);
  const givenSeconds = Number(process.hrtime.bigint() - givenStarted) / 1e9;

  process.stdout.write(
    `${JSON.stringify(
      {
        fixtures: Object.fromEntries(LANGUAGES.map((l) => [l, fixtures(l).length])),
        neutralBand: NEUTRAL_BAND,
        accuracy,
        languageDetection: detection,
        amazonUciPolarity: { texts: amazon.length, analyser: polarity },
        analyserTextsPerSecond: {
          detected: Math.round((rounds * all.length) / seconds),
          given: Math.round((rounds * all.length) / givenSeconds),
        },
      },
      null,
      2,
    )}\n`,
  );
}

const round = (value: number) => Math.round(value * 1000) / 1000;

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
