import { emptyState, scoreInteraction, type ScoringPolicy } from './score-state';
import { channelOf, givenLanguage, interactionSentiment, RECENT_KEPT, sentimentTrend } from './sentiment';
import { contactKpis, workspaceKpis } from './kpis';
import type { RuleInteraction } from './rules';

const policy: ScoringPolicy = { rules: [], halfLifeDays: null };
let n = 0;
const said = (text: string, occurredAt: string, properties: Record<string, unknown> = {}): RuleInteraction => ({
  interactionId: `i${++n}`,
  kind: 'COMMENT_ADDED',
  variant: null,
  occurredAt,
  properties: { text, ...properties },
});
const fold = (interactions: RuleInteraction[]) =>
  interactions.reduce(
    (state, interaction, i) => scoreInteraction(state, policy, interaction, i + 1).state,
    emptyState(),
  );

describe('a contact’s sentiment, folded in its score state', () => {
  it('scores the `text` property once per interaction and keeps it on the interaction’s record', () => {
    const { records, state } = scoreInteraction(
      emptyState(),
      policy,
      said('I am not happy with the delivery.', '2024-05-01T10:00:00Z'),
      1,
    );
    expect(records[0]).toMatchObject({
      type: 'INTERACTION',
      sentiment: {
        label: 'NEGATIVE',
        score: -0.514,
        channel: 'COMMENT_ADDED',
        drivers: [{ word: 'happy', weight: -0.6 }],
      },
    });
    expect(state.activity.sentiment).toMatchObject({
      texts: 1,
      positive: 0,
      neutral: 0,
      negative: 1,
      scoreSum: -0.514,
    });
  });

  it('leaves interactions without text, or with a language it does not support, unscored', () => {
    const visit: RuleInteraction = {
      interactionId: 'v',
      kind: 'PAGE_VISIT',
      variant: null,
      occurredAt: '2024-05-01T10:00:00Z',
      properties: {},
    };
    expect(interactionSentiment(visit)).toBeNull();
    expect(interactionSentiment(said('   ', '2024-05-01T10:00:00Z'))).toBeNull();
    expect(
      interactionSentiment(said('Me encanta este producto', '2024-05-01T10:00:00Z', { language: 'es' })),
    ).toBeNull();
    expect(givenLanguage({ language: 'de-AT' })).toBe('de');
    expect(givenLanguage({ language: 7 })).toBeNull();
    expect(givenLanguage({})).toBeUndefined();
    const state = fold([visit]);
    expect(state.activity.sentiment).toMatchObject({ texts: 0, latest: null, recent: [] });
  });

  it('takes the language from the `language` property, else detects it', () => {
    expect(interactionSentiment(said('Pelayanan buruk, petugasnya kasar.', '2024-05-01T10:00:00Z'))).toMatchObject({
      language: 'id',
      languageSource: 'DETECTED',
      label: 'NEGATIVE',
    });
    expect(interactionSentiment(said('Toller Service!', '2024-05-01T10:00:00Z', { language: 'de' }))).toMatchObject({
      language: 'de',
      languageSource: 'GIVEN',
    });
  });

  it('uses the workspace’s default language for a text that gives none, and the text’s own when it does', () => {
    // "Excellent service!" is also French: detected, it is scored as French.
    expect(interactionSentiment(said('Excellent service!', '2024-05-01T10:00:00Z'))).toMatchObject({
      language: 'fr',
      languageSource: 'DETECTED',
    });
    expect(interactionSentiment(said('Excellent service!', '2024-05-01T10:00:00Z'), 'en')).toMatchObject({
      language: 'en',
      languageSource: 'WORKSPACE_DEFAULT',
      score: 0.514,
    });
    expect(
      interactionSentiment(said('Toller Service!', '2024-05-01T10:00:00Z', { language: 'de' }), 'en'),
    ).toMatchObject({
      language: 'de',
      languageSource: 'GIVEN',
    });
  });

  it('counts a text on its `channel` property (trimmed, lower case), else on its kind', () => {
    expect(channelOf({ kind: 'COMMENT_ADDED', properties: { channel: ' App-Store ' } })).toBe('app-store');
    expect(channelOf({ kind: 'LIVE_CHAT', properties: {} })).toBe('LIVE_CHAT');
  });

  it('keeps the latest text by interaction time, not by arrival', () => {
    const state = fold([
      said('Great service, thank you!', '2024-05-03T10:00:00Z'),
      said('Terrible delivery, very disappointed.', '2024-05-01T10:00:00Z'), // late arrival, older text
    ]);
    expect(state.activity.sentiment?.latest).toMatchObject({ at: '2024-05-03T10:00:00Z', label: 'POSITIVE' });
    expect(state.activity.sentiment?.recent.map((t) => t.at)).toEqual(['2024-05-01T10:00:00Z', '2024-05-03T10:00:00Z']);
  });

  it('keeps only the newest texts in the document', () => {
    const texts = Array.from({ length: RECENT_KEPT + 3 }, (_, i) =>
      said('Good product.', `2024-05-${String(i + 1).padStart(2, '0')}T10:00:00Z`),
    );
    const sentiment = fold(texts).activity.sentiment!;
    expect(sentiment.texts).toBe(RECENT_KEPT + 3);
    expect(sentiment.recent).toHaveLength(RECENT_KEPT);
    expect(sentiment.recent[0]!.at).toBe('2024-05-04T10:00:00Z');
  });
});

describe('sentimentTrend', () => {
  it('compares the newer half of the recent texts with the older half', () => {
    // good +3 → 0.6 → 0.6/√1.36 = 0.514; awful −3 → −0.514; "bad" −3 → −0.514.
    const declining = fold([
      said('Good.', '2024-05-01T10:00:00Z'),
      said('Good.', '2024-05-02T10:00:00Z'),
      said('Awful.', '2024-05-03T10:00:00Z'),
      said('Bad.', '2024-05-04T10:00:00Z'),
    ]).activity.sentiment;
    expect(sentimentTrend(declining)).toEqual({
      direction: 'DECLINING',
      recentMean: -0.514,
      previousMean: 0.514,
      delta: -1.028,
    });
    const improving = fold([said('Bad.', '2024-05-01T10:00:00Z'), said('Good.', '2024-05-02T10:00:00Z')]).activity
      .sentiment;
    expect(sentimentTrend(improving).direction).toBe('IMPROVING');
    const stable = fold([said('Good.', '2024-05-01T10:00:00Z'), said('Good.', '2024-05-02T10:00:00Z')]).activity
      .sentiment;
    expect(sentimentTrend(stable)).toMatchObject({ direction: 'STABLE', delta: 0 });
  });

  it('is UNKNOWN with fewer than two texts', () => {
    expect(sentimentTrend(undefined)).toEqual({
      direction: 'UNKNOWN',
      recentMean: null,
      previousMean: null,
      delta: null,
    });
    const one = fold([said('Good.', '2024-05-01T10:00:00Z')]).activity.sentiment;
    expect(sentimentTrend(one)).toMatchObject({ direction: 'UNKNOWN', recentMean: 0.514 });
  });
});

describe('sentiment as a CSAT signal in the KPIs', () => {
  it('gives the positive and negative shares and the mean beside, never inside, the survey CSAT', () => {
    // Ana: a CSAT 2 answer with a positive comment; Ben: two comments, one negative, one neutral.
    const ana = fold([
      {
        ...said('Great support, thank you!', '2024-05-01T10:00:00Z'),
        kind: 'SURVEY_RESPONSE',
        properties: { csat: 2, text: 'Great support, thank you!' },
      },
    ]).activity;
    const ben = fold([
      said('Awful.', '2024-05-01T10:00:00Z'),
      said('Where is my invoice?', '2024-05-02T10:00:00Z'),
    ]).activity;
    expect(contactKpis(ana)).toMatchObject({
      csatMean: 2,
      csatSatisfiedShare: 0,
      sentimentPositiveShare: 1,
      sentimentTexts: 1,
    });
    // great +3, support +2, thank +2 → 1.4 → 1.4/√2.96 = 0.8137; awful −0.514; neutral 0 → mean 0.2997 / 3.
    expect(workspaceKpis([ana, ben])).toMatchObject({
      csatMean: 2,
      csatSatisfiedShare: 0,
      sentimentTexts: 3,
      sentimentPositiveShare: 0.333,
      sentimentNegativeShare: 0.333,
      sentimentMean: 0.1,
    });
  });
});
