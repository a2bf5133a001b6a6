// Sentiment on the real servers with two scoring instances (they split the partitions) and a
// clock the test moves across days: a contact's latest text, trend and recent texts, each text
// on its history entry, the reputation per day and channel, counted once, per workspace.
import { messageIds } from '@cei/contracts';
import { testWorkspace, waitFor } from '@cei/testing';
import { startScoringKit, type ScoringKit } from './scoring-test-kit';

const DAY = 86_400_000;

const TEXT = /* GraphQL */ `interactionId kind channel at score label language languageSource drivers { word weight }`;

const SENTIMENT = /* GraphQL */ `
  query ($id: ID!) {
    _entities(representations: [{ __typename: "Contact", id: $id }]) {
      ... on Contact {
        sentiment {
          texts positive neutral negative meanScore
          latest { ${TEXT} }
          trend { direction recentMean previousMean delta }
          recent(first: 3) { interactionId label }
        }
        scoreHistory(first: 10) { entries { interactionId sentiment { label score drivers { word weight } } } }
        kpis { csatMean csatSatisfiedShare sentimentPositiveShare sentimentNegativeShare sentimentMean sentimentTexts }
      }
    }
  }
`;

const REPUTATION = /* GraphQL */ `
  query ($from: DateTime!, $to: DateTime!) {
    reputation(from: $from, to: $to) {
      figures {
        day
        channel
        texts
        positive
        neutral
        negative
        meanScore
      }
      texts
      positive
      neutral
      negative
      meanScore
    }
  }
`;

interface SentimentView {
  texts: number;
  positive: number;
  neutral: number;
  negative: number;
  meanScore: number | null;
  latest: { interactionId: string; label: string; score: number; channel: string; drivers: unknown[] } | null;
  trend: { direction: string; recentMean: number | null; previousMean: number | null; delta: number | null };
  recent: { interactionId: string; label: string }[];
}

interface ReputationView {
  figures: {
    day: string;
    channel: string;
    texts: number;
    positive: number;
    neutral: number;
    negative: number;
    meanScore: number | null;
  }[];
  texts: number;
  meanScore: number | null;
}

describe('sentiment', () => {
  let kit: ScoringKit;
  beforeAll(async () => {
    kit = await startScoringKit('sentiment');
  });
  afterAll(() => kit?.stop());

  async function contact(ws: string, id: string) {
    const response = await kit.gql<{
      _entities: {
        sentiment: SentimentView;
        scoreHistory: { entries: { interactionId: string | null; sentiment: unknown }[] };
        kpis: Record<string, number | null>;
      }[];
    }>(ws, SENTIMENT, { id });
    expect(response.errors).toBeUndefined();
    return response.data!._entities[0]!;
  }
  async function reputation(ws: string, from: Date, to: Date): Promise<ReputationView> {
    const response = await kit.gql<{ reputation: ReputationView }>(ws, REPUTATION, {
      from: from.toISOString(),
      to: to.toISOString(),
    });
    expect(response.errors).toBeUndefined();
    return response.data!.reputation;
  }
  const said = (ws: string, contactId: string, text: string, properties: Record<string, unknown> = {}) =>
    kit.interaction(ws, contactId, 'COMMENT_ADDED', { properties: { text, ...properties } });

  it('reads a contact’s latest text with its drivers, its trend and recent texts, and each text on its history entry', async () => {
    const ws = testWorkspace();
    const first = said(ws, 'ann', 'Great support, thank you!');
    await kit.record(first);
    kit.advance(DAY);
    const second = said(ws, 'ann', 'Good product.');
    await kit.record(second);
    kit.advance(DAY);
    const third = said(ws, 'ann', 'Awful update, very disappointed.');
    await kit.record(third);
    kit.advance(DAY);
    const last = said(ws, 'ann', 'Ich bin nicht zufrieden mit dem Support.', { channel: 'Chat' });
    await kit.record(last);
    await waitFor('four texts scored', async () => (await contact(ws, 'ann')).sentiment.texts === 4);

    const { sentiment, scoreHistory, kpis } = await contact(ws, 'ann');
    // great +3 support +2 thank +2 → 1.4 → 0.814; good +3 → 0.514; awful −3, disappointed −2 → −1 → −0.707;
    // SentiCon-de: "nicht" flips zufrieden (0.5) → −0.5 and Support (0.05) → −0.05 … (the analyser's own test checks words).
    expect(sentiment).toMatchObject({ texts: 4, positive: 2, negative: 2, neutral: 0 });
    expect(sentiment.latest).toMatchObject({
      interactionId: last.interactionId,
      label: 'NEGATIVE',
      channel: 'chat',
      language: 'de',
      languageSource: 'DETECTED',
    });
    expect(sentiment.latest!.drivers[0]).toMatchObject({ word: 'zufrieden' });
    expect(sentiment.trend.direction).toBe('DECLINING');
    expect(sentiment.trend.previousMean).toBe(0.664); // (0.814 + 0.514) / 2
    expect(sentiment.recent.map((t) => t.interactionId)).toEqual([
      last.interactionId,
      third.interactionId,
      second.interactionId,
    ]);
    const firstEntry = scoreHistory.entries.find((e) => e.interactionId === first.interactionId);
    expect(firstEntry?.sentiment).toEqual({
      label: 'POSITIVE',
      score: 0.814,
      drivers: [
        { word: 'great', weight: 0.6 },
        { word: 'support', weight: 0.4 },
        { word: 'thank', weight: 0.4 },
      ],
    });
    expect(kpis).toMatchObject({
      csatMean: null,
      sentimentTexts: 4,
      sentimentPositiveShare: 0.5,
      sentimentNegativeShare: 0.5,
    });
  });

  it('keeps the reputation per day and channel as the clock moves across days, each text counted once', async () => {
    const ws = testWorkspace();
    const start = kit.now();
    // Day 1: two contacts on two channels (different partitions, likely on both instances).
    const dup = said(ws, 'bo', 'Excellent service!', { channel: 'app-store', language: 'en' });
    await kit.record(dup);
    await kit.record(said(ws, 'cy', 'Terrible app.', { channel: 'app-store', language: 'en' }));
    await kit.record(kit.interaction(ws, 'cy', 'LIVE_CHAT', { properties: { text: 'Where is my invoice?' } }));
    await kit.record(kit.interaction(ws, 'cy', 'PAGE_VISIT')); // no text: not in the reputation
    // The same interaction published again outside the stream's duplicate window (a new message id).
    await kit.record(dup, `${messageIds.interactionRecorded(ws, dup.interactionId)}:again`);
    kit.advance(DAY);
    // Day 2.
    const sentinel = said(ws, 'bo', 'Good update.', { channel: 'app-store', language: 'en' });
    await kit.record(sentinel);
    await waitFor('day 2 counted', async () => {
      const r = await reputation(ws, start, kit.now());
      return r.figures.some((f) => f.texts > 0 && f.day !== start.toISOString().slice(0, 10));
    });
    await waitFor('day 1 counted', async () => (await reputation(ws, start, kit.now())).texts === 4);

    const day1 = start.toISOString().slice(0, 10);
    const day2 = kit.now().toISOString().slice(0, 10);
    const all = await reputation(ws, start, kit.now());
    // excellent +3 → 0.514; terrible −3 → −0.514; good +3 → 0.514; the invoice question 0.
    expect(all.figures).toEqual([
      { day: day1, channel: 'LIVE_CHAT', texts: 1, positive: 0, neutral: 1, negative: 0, meanScore: 0 },
      { day: day1, channel: 'app-store', texts: 2, positive: 1, neutral: 0, negative: 1, meanScore: 0 },
      { day: day2, channel: 'app-store', texts: 1, positive: 1, neutral: 0, negative: 0, meanScore: 0.514 },
    ]);
    expect(all).toMatchObject({ texts: 4, positive: 2, neutral: 1, negative: 1, meanScore: 0.129 });
    // A range of one day answers that day only.
    expect((await reputation(ws, kit.now(), kit.now())).figures.map((f) => f.day)).toEqual([day2]);
    // The contact counted its text once too.
    expect((await contact(ws, 'bo')).sentiment.texts).toBe(2);
  });

  it('keeps workspaces apart', async () => {
    const [a, b] = [testWorkspace(), testWorkspace()];
    await kit.record(said(a, 'dee', 'I love it, fantastic work!'));
    await waitFor('a scored', async () => (await contact(a, 'dee')).sentiment.texts === 1);
    const from = new Date(kit.now().getTime() - DAY);
    // The reputation is written after the batch's contacts.
    await waitFor('a counted', async () => (await reputation(a, from, kit.now())).texts === 1);
    expect(await reputation(b, from, kit.now())).toMatchObject({ figures: [], texts: 0, meanScore: null });
    expect((await contact(b, 'dee')).sentiment).toMatchObject({ texts: 0, latest: null, recent: [] });
  });

  it('scores texts without a language in the workspace’s default language, set by updateScoringSettings', async () => {
    const ws = testWorkspace();
    const SETTINGS = `mutation($input: ScoringSettingsInput!) { updateScoringSettings(input: $input) { halfLifeDays sentimentLanguage } }`;
    const refused = await kit.gql(ws, SETTINGS, { input: { sentimentLanguage: 'es' } });
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(refused.errors?.[0]?.message).toMatch(/^input\.sentimentLanguage: one of en, de, fr, id/);
    expect((await kit.gql(ws, SETTINGS, { input: { sentimentLanguage: 'en' } })).data).toEqual({
      updateScoringSettings: { halfLifeDays: null, sentimentLanguage: 'en' },
    });
    // Left out, the language stays.
    expect((await kit.gql(ws, SETTINGS, { input: { halfLifeDays: 30 } })).data).toEqual({
      updateScoringSettings: { halfLifeDays: 30, sentimentLanguage: 'en' },
    });
    // "Excellent service!" is French too: detected, it would be scored as French.
    const review = said(ws, 'fay', 'Excellent service!');
    await kit.record(review);
    await waitFor('the review scored', async () => (await contact(ws, 'fay')).sentiment.texts === 1);
    expect((await contact(ws, 'fay')).sentiment.latest).toMatchObject({
      interactionId: review.interactionId,
      language: 'en',
      languageSource: 'WORKSPACE_DEFAULT',
      score: 0.514,
    });
  });

  it('refuses a range that ends before it starts, or spans more than 366 days, naming the field', async () => {
    const ws = testWorkspace();
    const now = kit.now();
    const backwards = await kit.gql(ws, REPUTATION, {
      from: now.toISOString(),
      to: new Date(now.getTime() - DAY).toISOString(),
    });
    expect(backwards.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(backwards.errors?.[0]?.message).toMatch(/^to: /);
    const long = await kit.gql(ws, REPUTATION, {
      from: now.toISOString(),
      to: new Date(now.getTime() + 400 * DAY).toISOString(),
    });
    expect(long.errors?.[0]?.message).toMatch(/^to: at most 366 days/);
  });
});

describe('the reputation under a real redelivery', () => {
  // Fails one contact's commit once, after its write and publish: the batch comes back with the
  // contact already at its position, and the reputation, not written yet, must count the text then, once.
  let armed: string | null = null;
  const failed: string[] = [];
  let kit: ScoringKit;
  beforeAll(async () => {
    kit = await startScoringKit('sentredeliver', {
      probe: {
        published: (key) => {
          if (key !== armed) return;
          armed = null;
          failed.push(key);
          throw new Error(`injected by the test: the batch of ${key} fails after its write`);
        },
      },
    });
  });
  afterAll(() => kit?.stop());

  const texts = async (ws: string, from: Date) => {
    const response = await kit.gql<{ reputation: { texts: number } }>(ws, REPUTATION, {
      from: from.toISOString(),
      to: kit.now().toISOString(),
    });
    expect(response.errors).toBeUndefined();
    return response.data!.reputation.texts;
  };

  it('counts a text whose batch failed after the contact was written once, when the batch comes back', async () => {
    const ws = testWorkspace();
    const from = kit.now();
    armed = `${ws}:eli`;
    await kit.record(said(kit, ws, 'eli', 'Fantastic support!'));
    await waitFor('the text counted after the redelivery', async () => (await texts(ws, from)) === 1);
    expect(failed).toEqual([`${ws}:eli`]);
    // A sentinel text of the same contact and day: once it is counted, the redelivered one was not counted again.
    await kit.record(said(kit, ws, 'eli', 'Still great.'));
    await waitFor('the sentinel counted', async () => (await texts(ws, from)) >= 2);
    expect(await texts(ws, from)).toBe(2);
  });
});

function said(kit: ScoringKit, ws: string, contactId: string, text: string) {
  return kit.interaction(ws, contactId, 'COMMENT_ADDED', { properties: { text, language: 'en' } });
}
