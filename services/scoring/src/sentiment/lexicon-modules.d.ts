// Types for the lexicon packages the analyser uses; they ship JavaScript only.
declare module '@nlpjs/core' {
  export class Container {
    use(plugin: unknown): void;
    get(name: string): unknown;
  }
}
declare module '@nlpjs/lang-en' {
  export const LangEn: unknown;
}
declare module '@nlpjs/lang-de' {
  export const LangDe: unknown;
}
declare module '@nlpjs/lang-fr' {
  export const LangFr: unknown;
}
declare module '@nlpjs/lang-id' {
  export const LangId: unknown;
}
declare module 'sentiment' {
  interface AnalysisResult {
    score: number;
    comparative: number;
    /** One entry per scored token: { token: weight } (after negation). */
    calculation: Record<string, number>[];
    tokens: string[];
    positive: string[];
    negative: string[];
  }
  class Sentiment {
    analyze(phrase: string, options?: { language?: string }): AnalysisResult;
  }
  export = Sentiment;
}
