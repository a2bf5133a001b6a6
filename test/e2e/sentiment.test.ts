// Sentiment through the real platform: texts tracked through the gateway are scored by
// scoring, and a client reads them on the contact card and as the workspace's reputation
// per day and channel, through the federated graph, with a read key, per workspace.
import { databaseName } from '@cei/config';
import { connectDatabase, type Database } from '@cei/mongo';
import { testNamespace, waitFor } from '@cei/testing';
import { createWorkspace, type WorkspaceKeys } from '@cei/gateway/src/auth/api-keys';
import { startPlatform, type Platform } from '../src/platform';
import { gql } from '../src/gateway-client';

const CARD = /* GraphQL */ `
  query ($id: ID!) {
    contact(id: $id) {
      id
      sentiment {
        texts
        latest {
          label
          score
          language
          languageSource
          channel
          drivers {
            word
            weight
          }
        }
        trend {
          direction
          delta
        }
      }
      kpis {
        sentimentPositiveShare
        sentimentTexts
        csatMean
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
    }
  }
`;
interface Card {
  contact: {
    sentiment: {
      texts: number;
      latest: {
        label: string;
        score: number;
        language: string;
        languageSource: string;
        channel: string;
        drivers: { word: string; weight: number }[];
      } | null;
      trend: { direction: string; delta: number | null };
    };
    kpis: { sentimentPositiveShare: number | null; sentimentTexts: number; csatMean: number | null };
  } | null;
}

describe('sentiment, end to end', () => {
  const namespace = testNamespace('e2e-sentiment');
  let platform: Platform;
  let gatewayDb: Database;
  let workspace: WorkspaceKeys;
  let other: WorkspaceKeys;

  beforeAll(async () => {
    platform = await startPlatform({ natsUrl: process.env.NATS_URL!, mongoUrl: process.env.MONGO_URL!, namespace });
    gatewayDb = await connectDatabase(process.env.MONGO_URL!, databaseName(namespace, 'gateway'));
    workspace = await createWorkspace(gatewayDb.connection);
    other = await createWorkspace(gatewayDb.connection);
  }, 90_000);
  afterAll(async () => {
    await gatewayDb?.close();
    await platform?.stop();
  });

  it('reads a tracked review on the contact card and in the reputation per day and channel', async () => {
    const http = platform.gateways[0]!.httpUrl;
    const day1 = '2026-03-02';
    const day2 = '2026-03-03';
    const tracked = await gql<{ trackInteractions: { accepted: number } }>(
      http,
      workspace.keys.write,
      `mutation($i: [InteractionInput!]!) { trackInteractions(interactions: $i) { accepted } }`,
      {
        i: [
          {
            id: 'r1',
            contactId: 'eva',
            kind: 'COMMENT_ADDED',
            occurredAt: `${day1}T09:00:00Z`,
            properties: { text: 'Great support, thank you!', channel: 'reviews' },
          },
          {
            id: 'r2',
            contactId: 'eva',
            kind: 'SURVEY_RESPONSE',
            occurredAt: `${day2}T09:00:00Z`,
            properties: { csat: 2, text: 'Je suis très déçu par la qualité.', language: 'fr' },
          },
          {
            id: 'r3',
            contactId: 'max',
            kind: 'LIVE_CHAT',
            occurredAt: `${day2}T10:00:00Z`,
            properties: { text: 'Pelayanan buruk, petugasnya kasar.', channel: 'chat' },
          },
        ],
      },
    );
    expect(tracked.data?.trackInteractions.accepted).toBe(3);
    const card = () => gql<Card>(http, workspace.keys.read, CARD, { id: 'eva' });
    await waitFor('both texts of eva scored', async () => (await card()).data?.contact?.sentiment.texts === 2);
    const from = `${day1}T00:00:00Z`;
    const to = `${day2}T23:59:59Z`;
    const reputation = () =>
      gql<{ reputation: { figures: unknown[]; texts: number } }>(http, workspace.keys.read, REPUTATION, { from, to });
    await waitFor('three texts in the reputation', async () => (await reputation()).data?.reputation.texts === 3);

    const { contact } = (await card()).data!;
    // Pattern-fr: déçu −1, qualité +0.4, très +0.01 → −0.59 / √(0.59² + 1) = −0.508. The survey's CSAT stays
    // the answer's 2: the text is a separate signal.
    expect(contact!.sentiment.latest).toMatchObject({
      label: 'NEGATIVE',
      language: 'fr',
      languageSource: 'GIVEN',
      channel: 'SURVEY_RESPONSE',
    });
    expect(contact!.sentiment.latest).toMatchObject({
      score: -0.508,
      drivers: [
        { word: 'decu', weight: -1 },
        { word: 'qualite', weight: 0.4 },
        { word: 'tres', weight: 0.01 },
      ],
    });
    expect(contact!.sentiment.trend.direction).toBe('DECLINING');
    expect(contact!.kpis).toEqual({ sentimentPositiveShare: 0.5, sentimentTexts: 2, csatMean: 2 });

    // AFINN-165: great +3, support +2, thank +2 → 1.4 / √(1.4² + 1) = 0.814 (English, detected);
    // nlp.js AFINN-id: buruk −3, kasar −3 → −1.2 / √(1.2² + 1) = −0.768 (Indonesian, detected).
    const { figures } = (await reputation()).data!.reputation;
    expect(figures).toEqual([
      { day: day1, channel: 'reviews', texts: 1, positive: 1, neutral: 0, negative: 0, meanScore: 0.814 },
      {
        day: day2,
        channel: 'SURVEY_RESPONSE',
        texts: 1,
        positive: 0,
        neutral: 0,
        negative: 1,
        meanScore: expect.any(Number),
      },
      { day: day2, channel: 'chat', texts: 1, positive: 0, neutral: 0, negative: 1, meanScore: -0.768 },
    ]);

    // Another workspace sees none of it.
    const elsewhere = await gql<{ reputation: { texts: number } }>(http, other.keys.read, REPUTATION, { from, to });
    expect(elsewhere.data?.reputation.texts).toBe(0);
    const otherCard = await gql<Card>(http, other.keys.read, CARD, { id: 'eva' });
    expect(otherCard.errors).toBeUndefined();
    expect(otherCard.data?.contact).toBeNull();
  });
});
