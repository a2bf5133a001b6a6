import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyseSentiment, detectLanguage, SENTIMENT_LANGUAGES, type SentimentLanguage } from './analyser';

interface Labelled {
  text: string;
  label: 'POSITIVE' | 'NEUTRAL' | 'NEGATIVE';
}

const fixtures = (language: string): Labelled[] =>
  (
    JSON.parse(readFileSync(join(__dirname, '../../../../test/fixtures/sentiment', `${language}.json`), 'utf8')) as {
      texts: Labelled[];
    }
  ).texts;

/**
 * The floor per language, a little under what `pnpm bench:sentiment` measured (README): a change
 * of lexicon, tokenizer or threshold that loses accuracy fails here.
 */
const MINIMUM_ACCURACY: Record<SentimentLanguage, number> = { en: 0.9, de: 0.83, fr: 0.75, id: 0.8 };

describe('analyseSentiment on the labelled texts (20 positive, 20 negative, 20 neutral per language)', () => {
  it.each(SENTIMENT_LANGUAGES)('%s: at least the stated accuracy, language given or detected', (language) => {
    const texts = fixtures(language);
    expect(texts.length).toBeGreaterThanOrEqual(60);
    for (const label of ['POSITIVE', 'NEUTRAL', 'NEGATIVE']) {
      expect(texts.filter((t) => t.label === label)).toHaveLength(texts.length / 3);
    }
    const given = texts.filter(({ text, label }) => analyseSentiment(text, language).label === label).length;
    const detected = texts.filter(({ text, label }) => analyseSentiment(text).label === label).length;
    expect(given / texts.length).toBeGreaterThanOrEqual(MINIMUM_ACCURACY[language]);
    expect(detected / texts.length).toBeGreaterThanOrEqual(MINIMUM_ACCURACY[language]);
  });

  it.each(SENTIMENT_LANGUAGES)('%s: every labelled text is detected as its language', (language) => {
    for (const { text } of fixtures(language)) expect([text, detectLanguage(text)]).toEqual([text, language]);
  });
});

describe('analyseSentiment explains itself', () => {
  it('names the words that drove an English text, with their AFINN weights over 5', () => {
    // AFINN-165: great +3, support +2, broken −1 → 0.6 + 0.4 − 0.2 = 0.8; 0.8 / √(0.8² + 1) = 0.6247.
    const result = analyseSentiment('The support team was great, but the app is slow and the export is broken.', 'en');
    expect(result).toEqual({
      score: 0.625,
      label: 'POSITIVE',
      language: 'en',
      languageSource: 'GIVEN',
      drivers: [
        { word: 'great', weight: 0.6 },
        { word: 'support', weight: 0.4 },
        { word: 'broken', weight: -0.2 },
      ],
    });
  });

  it('flips a negated word and says so in its weight', () => {
    // "not" flips happy (+3): −0.6 / √(0.36 + 1) = −0.5145.
    expect(analyseSentiment('I am not happy with the delivery.')).toEqual({
      score: -0.514,
      label: 'NEGATIVE',
      language: 'en',
      languageSource: 'DETECTED',
      drivers: [{ word: 'happy', weight: -0.6 }],
    });
  });

  it('shows a German text its SentiCon words (unstemmed) with their weights', () => {
    // SentiCon-de: hervorrag 0.5891, langsam −0.0167 → 0.5724 / √(0.5724² + 1) = 0.4968.
    expect(analyseSentiment('Der Support war hervorragend, aber die App ist langsam.', 'de')).toMatchObject({
      score: 0.497,
      label: 'POSITIVE',
      drivers: [
        { word: 'hervorragend', weight: 0.589 },
        { word: 'langsam', weight: -0.017 },
      ],
    });
  });

  it('keeps a text with only a faint word neutral, and still names the word (as the tokenizer folds it)', () => {
    expect(analyseSentiment('Wann öffnet das Geschäft am Sonntag?')).toEqual({
      score: 0.004,
      label: 'NEUTRAL',
      language: 'de',
      languageSource: 'DETECTED',
      drivers: [{ word: 'geschaft', weight: 0.004 }],
    });
    expect(analyseSentiment('How do I change my password?', 'en')).toMatchObject({
      score: 0,
      label: 'NEUTRAL',
      drivers: [],
    });
  });
});

describe('the nlp.js lexicons, scored word by word', () => {
  it('agree in sign with @nlpjs/sentiment itself on every labelled text (de, fr, id)', async () => {
    // The library's own analyser (JavaScript only).
    const { Container } = require('@nlpjs/core') as { Container: new () => { use(p: unknown): void } };
    const { SentimentAnalyzer } = require('@nlpjs/sentiment') as {
      SentimentAnalyzer: new (s: object) => {
        process(i: { locale: string; text: string }): Promise<{ sentiment: { score: number } }>;
      };
    };
    const container = new Container();
    container.use((require('@nlpjs/lang-de') as { LangDe: unknown }).LangDe);
    container.use((require('@nlpjs/lang-fr') as { LangFr: unknown }).LangFr);
    container.use((require('@nlpjs/lang-id') as { LangId: unknown }).LangId);
    const nlpjs = new SentimentAnalyzer({ container });
    for (const language of ['de', 'fr', 'id'] as const) {
      for (const { text } of fixtures(language)) {
        const theirs = (await nlpjs.process({ locale: language, text })).sentiment.score;
        const ours = analyseSentiment(text, language).score;
        expect([text, Math.sign(ours)]).toEqual([text, Math.abs(theirs) < 0.005 ? Math.sign(ours) : Math.sign(theirs)]);
      }
    }
  });
});
