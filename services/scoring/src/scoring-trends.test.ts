// Trends for management against the real servers, with two scoring instances and a clock the test
// moves across several days: each night's snapshot is taken once whichever instance takes it, a
// day's figures are those of its close (hand-computed below), a week rolls its days up, a day no
// snapshot was taken for says so, each workspace sees only its own contacts, and an index is read
// decayed to the close it is counted at.
import { databaseName } from '@cei/config';
import { connectDatabase, type Database } from '@cei/mongo';
import { testWorkspace, waitFor } from '@cei/testing';
import { scoringModels, type ScoringModels } from './models';
import { startScoringKit, type ScoringKit } from './scoring-test-kit';

const TRENDS = /* GraphQL */ `
  query ($from: DateTime!, $to: DateTime!, $granularity: TrendGranularity) {
    trends(from: $from, to: $to, granularity: $granularity) {
      granularity
      buckets {
        id
        start
        end
        closed
        snapshotAt
        contacts
        engagementIndex {
          contacts
          mean
          p25
          median
          p75
          histogram {
            from
            to
            contacts
          }
        }
        nps
        npsRespondents
        csatMean
        csatSatisfiedShare
        csatAnswers
        ces
        cesAnswers
        churnRisk
        everyone: churnRisk(threshold: 0)
      }
    }
  }
`;

interface Bucket {
  id: string;
  closed: boolean;
  snapshotAt: string | null;
  contacts: number | null;
  engagementIndex: {
    contacts: number;
    mean: number | null;
    p25: number | null;
    median: number | null;
    p75: number | null;
    histogram: { from: number; to: number; contacts: number }[];
  } | null;
  nps: number | null;
  npsRespondents: number | null;
  csatMean: number | null;
  csatSatisfiedShare: number | null;
  csatAnswers: number | null;
  ces: number | null;
  cesAnswers: number | null;
  churnRisk: number | null;
  everyone: number | null;
}

/** A deadline for work on a shared, busy machine (not a timing claim). */
const PATIENCE = { timeoutMs: 30_000 };

/** Ten bins of width 10 with these counts from the first. */
const bins = (...counts: number[]) =>
  Array.from({ length: 10 }, (_, i) => ({ from: i * 10, to: i * 10 + 10, contacts: counts[i] ?? 0 }));

describe('trends for management', () => {
  let kit: ScoringKit;
  let db: Database;
  let models: ScoringModels;
  const acme = testWorkspace('acme');
  const other = testWorkspace('other');

  const setClock = (iso: string) => kit.advance(Date.parse(iso) - kit.now().getTime());

  async function trends(ws: string, from: string, to: string, granularity = 'DAY'): Promise<Bucket[]> {
    const response = await kit.gql<{ trends: { buckets: Bucket[] } }>(ws, TRENDS, { from, to, granularity }, 'read');
    if (response.errors) throw new Error(JSON.stringify(response.errors));
    return response.data!.trends.buckets;
  }

  /** Moves the clock just past the midnight after `day` and waits for that day's snapshot. */
  async function closeDay(day: string) {
    setClock(new Date(Date.parse(`${day}T00:00:30Z`) + 86_400_000).toISOString());
    await waitFor(`the snapshot of ${day}`, async () => (await trends(acme, day, day))[0]!.snapshotAt, PATIENCE);
  }

  let interactions = 0;
  async function record(
    ws: string,
    contactId: string,
    kind: Parameters<ScoringKit['interaction']>[2],
    extra: Parameters<ScoringKit['interaction']>[3] = {},
  ) {
    interactions += 1;
    await kit.record(kit.interaction(ws, contactId, kind, extra));
  }
  /** Waits until every interaction recorded so far was scored. */
  const scored = () =>
    waitFor(
      'every interaction scored',
      () => (kit.changesOf(acme).length + kit.changesOf(other).length >= interactions ? true : null),
      PATIENCE,
    );

  async function rule(ws: string, kind: string, points: number) {
    const response = await kit.gql(
      ws,
      `mutation($input: ScoringRuleInput!) { createScoringRule(input: $input) { id } }`,
      { input: { kind, points } },
    );
    expect(response.errors).toBeUndefined();
  }

  beforeAll(async () => {
    // From midday: started within six hours after a real midnight, the instances took that night's
    // snapshot before the test moved the clock (a night the expectations below do not list).
    kit = await startScoringKit('trends', {}, { CEI_TREND_CHECK_SECONDS: '0.1' }, '2027-02-28T12:00:00Z');
    db = await connectDatabase(process.env.MONGO_URL!, databaseName(kit.namespace, 'scoring'), 2);
    models = scoringModels(db.connection);
    await rule(acme, 'PAGE_VISIT', 10);
    await rule(acme, 'SURVEY_RESPONSE', 5);
    await rule(acme, 'PURCHASE', 50);
    await rule(other, 'PAGE_VISIT', 10);
    const halfLife = await kit.gql(
      other,
      `mutation { updateScoringSettings(input: { halfLifeDays: 1 }) { halfLifeDays } }`,
    );
    expect(halfLife.errors).toBeUndefined();

    // Sunday 2027-02-28 and Thursday 2027-03-04 close with no contact anywhere yet.
    setClock('2027-02-28T12:00:00Z');
    await closeDay('2027-02-28');
    setClock('2027-03-04T12:00:00Z');
    await closeDay('2027-03-04');

    // Friday: ann visits (10 → index 9.5), bob visits three times (30 → 25.9), cat answers a
    // survey (5 → 4.9; NPS 10, CSAT 5, CES 6), eve's only visit was two months ago (10 → 9.5,
    // and quiet since: a churn risk). The other workspace, whose scores lose half a day: zed
    // visits five times (50).
    setClock('2027-03-05T10:00:00Z');
    await record(acme, 'ann', 'PAGE_VISIT');
    for (let i = 0; i < 3; i++) await record(acme, 'bob', 'PAGE_VISIT');
    await record(acme, 'cat', 'SURVEY_RESPONSE', { properties: { nps: 10, csat: 5, ces: 6 } });
    await record(acme, 'eve', 'PAGE_VISIT', { occurredAt: '2027-01-05T10:00:00.000Z' });
    for (let i = 0; i < 5; i++) await record(other, 'zed', 'PAGE_VISIT');
    await scored();
    await closeDay('2027-03-05');

    // Saturday: ann answers (15 → 13.9; NPS 3, CSAT 2, CES 2), dan buys (50 → 39.3).
    setClock('2027-03-06T10:00:00Z');
    await record(acme, 'ann', 'SURVEY_RESPONSE', { properties: { nps: 3, csat: 2, ces: 2 } });
    await record(acme, 'dan', 'PURCHASE', { properties: { amount: 100 } });
    await scored();
    await closeDay('2027-03-06');

    // Sunday: bob answers (35 → 29.5; NPS 9, CSAT 4).
    setClock('2027-03-07T10:00:00Z');
    await record(acme, 'bob', 'SURVEY_RESPONSE', { properties: { nps: 9, csat: 4 } });
    await scored();
    await closeDay('2027-03-07');
    // Now: Monday 2027-03-08, just after midnight.
  }, 240_000);

  afterAll(async () => {
    await db?.close();
    await kit?.stop();
  });

  it("gives each day the figures of its close, today's as of now, and says which day has no snapshot", async () => {
    const days = await trends(acme, '2027-03-03T00:00:00Z', '2027-03-09T00:00:00Z');
    expect(days.map((b) => [b.id, b.closed])).toEqual([
      ['DAY:2027-03-03', true],
      ['DAY:2027-03-04', true],
      ['DAY:2027-03-05', true],
      ['DAY:2027-03-06', true],
      ['DAY:2027-03-07', true],
      ['DAY:2027-03-08', false],
    ]);
    const [missed, empty, friday, saturday, sunday, today] = days as [Bucket, Bucket, Bucket, Bucket, Bucket, Bucket];
    // No instance ran in the hours after that midnight: nothing is known.
    expect(missed).toMatchObject({
      snapshotAt: null,
      contacts: null,
      engagementIndex: null,
      nps: null,
      churnRisk: null,
    });
    // Taken, with no contact yet; its CSAT needs the close before it, which is missing.
    expect(empty).toMatchObject({ contacts: 0, npsRespondents: 0, nps: null, csatAnswers: null, churnRisk: 0 });
    expect(empty.engagementIndex).toEqual({
      contacts: 0,
      mean: null,
      p25: null,
      median: null,
      p75: null,
      histogram: bins(),
    });

    // Friday's close: 4.9, 9.5, 9.5, 25.9.
    expect(friday).toMatchObject({
      contacts: 4,
      engagementIndex: { contacts: 4, mean: 12.45, p25: 8.35, median: 9.5, p75: 13.6, histogram: bins(3, 0, 1) },
      nps: 100,
      npsRespondents: 1,
      csatMean: 5,
      csatSatisfiedShare: 1,
      csatAnswers: 1,
      ces: 6,
      cesAnswers: 1,
      churnRisk: 1,
      everyone: 4,
    });
    // Saturday's close: 4.9, 9.5, 13.9, 25.9, 39.3; a promoter and a detractor; ann's CSAT 2 that day.
    expect(saturday).toMatchObject({
      contacts: 5,
      engagementIndex: { contacts: 5, mean: 18.7, p25: 9.5, median: 13.9, p75: 25.9, histogram: bins(2, 1, 1, 1) },
      nps: 0,
      npsRespondents: 2,
      csatMean: 2,
      csatSatisfiedShare: 0,
      csatAnswers: 1,
      ces: 2,
      cesAnswers: 1,
      churnRisk: 1,
      everyone: 5,
    });
    // Sunday's close: 4.9, 9.5, 13.9, 29.5, 39.3; two promoters of three; bob's CSAT 4, no CES.
    const sundayFigures = {
      contacts: 5,
      engagementIndex: { contacts: 5, mean: 19.42, p25: 9.5, median: 13.9, p75: 29.5, histogram: bins(2, 1, 1, 1) },
      nps: 33.3,
      npsRespondents: 3,
      churnRisk: 1,
      everyone: 5,
    };
    expect(sunday).toMatchObject({
      ...sundayFigures,
      csatMean: 4,
      csatSatisfiedShare: 1,
      csatAnswers: 1,
      ces: null,
      cesAnswers: 0,
    });
    // Today, as of now: nobody did anything since Sunday's close.
    expect(today).toMatchObject({ ...sundayFigures, csatMean: null, csatAnswers: 0, cesAnswers: 0 });
    expect(Date.parse(today.snapshotAt!)).toBeGreaterThanOrEqual(Date.parse('2027-03-08T00:00:30Z'));
  });

  it('rolls a week up: the distributions at its close, the answers recorded in it', async () => {
    const weeks = await trends(acme, '2027-02-22T00:00:00Z', '2027-03-08T00:00:00Z', 'WEEK');
    expect(weeks.map((b) => [b.id, b.closed])).toEqual([
      ['WEEK:2027-02-22', true],
      ['WEEK:2027-03-01', true],
      ['WEEK:2027-03-08', false],
    ]);
    expect(weeks[0]).toMatchObject({ contacts: 0, csatAnswers: null });
    expect(weeks[1]).toMatchObject({
      // Its close is Sunday's.
      contacts: 5,
      engagementIndex: { mean: 19.42, p25: 9.5, median: 13.9, p75: 29.5 },
      nps: 33.3,
      npsRespondents: 3,
      // CSAT 5, 2 and 4; CES 6 and 2.
      csatMean: 3.67,
      csatSatisfiedShare: 0.667,
      csatAnswers: 3,
      ces: 4,
      cesAnswers: 2,
      churnRisk: 1,
    });
    expect(weeks[2]).toMatchObject({ contacts: 5, csatAnswers: 0, closed: false });
  });

  it('shows each workspace only its own contacts, each index decayed to the close', async () => {
    const [friday, , , today] = await trends(other, '2027-03-05T00:00:00Z', '2027-03-09T00:00:00Z');
    // 50 × 0.5^(14 h / 24 h) = 33.37 at Friday's close → index 28.4.
    expect(friday).toMatchObject({
      contacts: 1,
      engagementIndex: { contacts: 1, mean: 28.4, median: 28.4, histogram: bins(0, 0, 1) },
      npsRespondents: 0,
      csatAnswers: 0,
      churnRisk: 0,
    });
    // Now (Monday 00:00:30, 2 days 14 h on): 50 × 0.5^2.58 = 8.35 → 8.0.
    expect(today).toMatchObject({ closed: false, contacts: 1, engagementIndex: { mean: 8 } });
  });

  it('stores one snapshot per workspace and night although both instances take them', async () => {
    const snapshots = await models.TrendSnapshot.find({ workspaceId: acme }).lean().exec();
    expect(snapshots.map((s) => s.day).sort()).toEqual(['2027-03-05', '2027-03-06', '2027-03-07']);
    const nights = await models.TrendDay.find({}).lean().exec();
    expect(nights.map((n) => n._id).sort()).toEqual([
      '2027-02-28',
      '2027-03-04',
      '2027-03-05',
      '2027-03-06',
      '2027-03-07',
    ]);
  });

  it('names the field of a bad range or threshold', async () => {
    const backwards = await kit.gql(
      acme,
      `{ trends(from: "2027-03-05T00:00:00Z", to: "2027-03-01T00:00:00Z") { granularity } }`,
    );
    expect(backwards.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(JSON.stringify(backwards.errors)).toContain('"to"');
    const threshold = await kit.gql(
      acme,
      `{ trends(from: "2027-03-05T00:00:00Z", to: "2027-03-05T00:00:00Z") { buckets { churnRisk(threshold: 1.5) } } }`,
    );
    expect(JSON.stringify(threshold.errors)).toContain('threshold');
  });
});

describe('the nightly trend snapshot at start', () => {
  let kit: ScoringKit | undefined;
  let db: Database | undefined;

  afterAll(async () => {
    await db?.close();
    await kit?.stop();
  });

  it('is taken when an instance starts after midnight, not a check interval later', async () => {
    // Half an hour after midnight, with checks an hour apart: only the check at start can take it.
    kit = await startScoringKit('trends-at-start', {}, { CEI_TREND_CHECK_SECONDS: '3600' }, '2027-03-10T00:30:00Z');
    db = await connectDatabase(process.env.MONGO_URL!, databaseName(kit.namespace, 'scoring'), 2);
    const models = scoringModels(db.connection);
    const taken = await waitFor(
      'the record of 2027-03-09 taken',
      async () => (await models.TrendDay.findById('2027-03-09').lean().exec()) ?? null,
      PATIENCE,
    );
    expect(taken).toMatchObject({ _id: '2027-03-09', workspaces: 0 });
  });
});
