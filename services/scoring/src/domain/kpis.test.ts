import { emptyActivity, recordActivity, type ActivityInput, type ContactActivity } from './activity';
import { contactKpis, SOCIAL_ENGAGEMENT_WEIGHTS, workspaceKpis } from './kpis';

const interaction = (kind: string, occurredAt: string, properties: Record<string, unknown> = {}): ActivityInput => ({
  kind,
  variant: null,
  occurredAt,
  properties,
  points: 1,
});
const fold = (inputs: ActivityInput[]): ContactActivity => inputs.reduce(recordActivity, emptyActivity());

// Ana: a buyer who changed her mind from detractor (6) to promoter (9); one ticket solved at once.
const ana = fold([
  interaction('PAGE_VISIT', '2024-03-04T10:00:00Z'),
  interaction('PURCHASE', '2024-03-05T10:00:00Z', { amount: 120.5, currency: 'EUR', items: ['boots'] }),
  interaction('SURVEY_RESPONSE', '2024-03-06T10:00:00Z', { nps: 6, csat: 4 }),
  interaction('SURVEY_RESPONSE', '2024-03-10T10:00:00Z', { nps: 9, ces: 2 }),
  interaction('SUPPORT_TICKET', '2024-03-11T10:00:00Z', { resolvedOnFirstContact: true, handleTimeSeconds: 300 }),
  interaction('SOCIAL_SHARE', '2024-03-12T10:00:00Z'),
  interaction('SOCIAL_LIKE', '2024-03-12T11:00:00Z'),
  interaction('COMMENT_ADDED', '2024-03-12T12:00:00Z'),
]);
// Ben: free plan, then paid; an unhappy detractor whose ticket was not solved at once.
const ben = fold([
  interaction('SUBSCRIPTION_STARTED', '2024-03-01T10:00:00Z', { amount: 0 }),
  interaction('FEATURE_USAGE', '2024-03-02T10:00:00Z', { feature: 'export' }),
  interaction('SUBSCRIPTION_RENEWED', '2024-03-08T10:00:00Z', { amount: 49.99 }),
  interaction('SURVEY_RESPONSE', '2024-03-09T10:00:00Z', { nps: 3, csat: 2, ces: 5 }),
  interaction('SUPPORT_TICKET', '2024-03-10T10:00:00Z', { resolvedOnFirstContact: false, handleTimeSeconds: 600 }),
  interaction('LIVE_CHAT', '2024-03-10T11:00:00Z', { handleTimeSeconds: 120 }),
  interaction('SOCIAL_DISLIKE', '2024-03-11T10:00:00Z'),
  interaction('COMMENT_REMOVED', '2024-03-11T11:00:00Z'),
]);
// Cleo: a promoter (10) whose older 7 arrives late and must not replace it; malformed values ignored.
const cleo = fold([
  interaction('SURVEY_RESPONSE', '2024-03-10T10:00:00Z', { nps: 10, csat: 5 }),
  interaction('SURVEY_RESPONSE', '2024-02-01T10:00:00Z', { nps: 7 }),
  interaction('SUPPORT_TICKET', '2024-03-11T10:00:00Z', { resolvedOnFirstContact: 'yes', handleTimeSeconds: 'long' }),
  interaction('CALL_CENTER_CONTACT', '2024-03-11T11:00:00Z', { handleTimeSeconds: 240 }),
  interaction('PURCHASE', '2024-03-12T10:00:00Z', { amount: -5 }),
  interaction('SOCIAL_LIKE', '2024-03-12T11:00:00Z'),
  interaction('SOCIAL_LIKE', '2024-03-12T12:00:00Z'),
]);

describe('contactKpis', () => {
  it("computes one contact's KPIs from its own answers", () => {
    // Social: share 3 + like 1 + comment added 2 = 6.
    expect(contactKpis(ana)).toEqual({
      nps: 100,
      promoters: 1,
      passives: 0,
      detractors: 0,
      csat: 4,
      csatMean: 4,
      csatSatisfiedShare: 1,
      csatAnswers: 1,
      ces: 2,
      cesAnswers: 1,
      npsScale: { min: 0, max: 10 },
      csatScale: { min: 1, max: 5 },
      cesScale: { min: 1, max: 7 },
      firstContactResolution: 1,
      averageHandleTimeSeconds: 300,
      customerLifetimeValue: 120.5,
      historicalCustomerLifetimeValue: 120.5,
      customers: 1,
      socialEngagement: 6,
      sentimentPositiveShare: null,
      sentimentNegativeShare: null,
      sentimentMean: null,
      sentimentTexts: 0,
      respondents: 1,
      contacts: 1,
    });
    // AHT: (600 ticket + 120 chat) / 2 = 360; CLV: the free start adds 0, the renewal 49.99;
    // social: dislike −1 + comment removed −2 = −3.
    expect(contactKpis(ben)).toEqual({
      nps: -100,
      promoters: 0,
      passives: 0,
      detractors: 1,
      csat: 2,
      csatMean: 2,
      csatSatisfiedShare: 0,
      csatAnswers: 1,
      ces: 5,
      cesAnswers: 1,
      npsScale: { min: 0, max: 10 },
      csatScale: { min: 1, max: 5 },
      cesScale: { min: 1, max: 7 },
      firstContactResolution: 0,
      averageHandleTimeSeconds: 360,
      customerLifetimeValue: 49.99,
      historicalCustomerLifetimeValue: 49.99,
      customers: 1,
      socialEngagement: -3,
      sentimentPositiveShare: null,
      sentimentNegativeShare: null,
      sentimentMean: null,
      sentimentTexts: 0,
      respondents: 1,
      contacts: 1,
    });
    // The ticket says nothing usable, so no FCR; only the call's 240 s counts; two likes = 2.
    expect(contactKpis(cleo)).toMatchObject({
      nps: 100,
      csat: 5,
      csatSatisfiedShare: 1,
      ces: null,
      firstContactResolution: null,
      averageHandleTimeSeconds: 240,
      customerLifetimeValue: 0,
      historicalCustomerLifetimeValue: null,
      customers: 0,
      socialEngagement: 2,
    });
  });

  it('gives nulls and zeros to a contact without interactions', () => {
    expect(contactKpis(emptyActivity())).toEqual({
      nps: null,
      promoters: 0,
      passives: 0,
      detractors: 0,
      csat: null,
      csatMean: null,
      csatSatisfiedShare: null,
      csatAnswers: 0,
      ces: null,
      cesAnswers: 0,
      npsScale: { min: 0, max: 10 },
      csatScale: { min: 1, max: 5 },
      cesScale: { min: 1, max: 7 },
      firstContactResolution: null,
      averageHandleTimeSeconds: null,
      customerLifetimeValue: 0,
      historicalCustomerLifetimeValue: null,
      customers: 0,
      socialEngagement: 0,
      sentimentPositiveShare: null,
      sentimentNegativeShare: null,
      sentimentMean: null,
      sentimentTexts: 0,
      respondents: 0,
      contacts: 0,
    });
  });

  it('scores a passive 0', () => {
    const passive = fold([interaction('SURVEY_RESPONSE', '2024-03-10T10:00:00Z', { nps: 8 })]);
    expect(contactKpis(passive)).toMatchObject({ nps: 0, passives: 1, respondents: 1 });
  });
});

describe('workspaceKpis', () => {
  it('aggregates contacts: NPS by contact, the other averages by answer', () => {
    // By hand:
    //   NPS: latest answers 9 (Ana), 3 (Ben), 10 (Cleo) → 2 promoters, 1 detractor of 3:
    //        (2 − 1) / 3 × 100 = 33.33… → 33.3
    //   CSAT: 4, 2, 5 → mean 11 / 3 = 3.666… → 3.67; satisfied (4 or 5): 2 of 3 → 0.667
    //   CES: 2, 5 → 3.5
    //   FCR: Ana yes, Ben no, Cleo's ticket does not say → 1 / 2 = 0.5
    //   AHT: 300 + 600 + 120 + 240 = 1260 over 4 → 315
    //   CLV: (120.5 + 49.99 + 0) / 3 contacts = 56.83; historical CLV per customer (Ana, Ben):
    //        170.49 / 2 = 85.245 → 85.25 (half away from zero)
    //   Social: (6 − 3 + 2) / 3 = 1.666… → 1.67
    expect(workspaceKpis([ana, ben, cleo])).toEqual({
      nps: 33.3,
      promoters: 2,
      passives: 0,
      detractors: 1,
      csat: 3.67,
      csatMean: 3.67,
      csatSatisfiedShare: 0.667,
      csatAnswers: 3,
      ces: 3.5,
      cesAnswers: 2,
      npsScale: { min: 0, max: 10 },
      csatScale: { min: 1, max: 5 },
      cesScale: { min: 1, max: 7 },
      firstContactResolution: 0.5,
      averageHandleTimeSeconds: 315,
      customerLifetimeValue: 56.83,
      historicalCustomerLifetimeValue: 85.25,
      customers: 2,
      socialEngagement: 1.67,
      sentimentPositiveShare: null,
      sentimentNegativeShare: null,
      sentimentMean: null,
      sentimentTexts: 0,
      respondents: 3,
      contacts: 3,
    });
  });

  it('averages lifetime value and social engagement over contacts with interactions only', () => {
    const kpis = workspaceKpis(new Set([ana, emptyActivity()]));
    expect(kpis.contacts).toBe(1);
    expect(kpis.customerLifetimeValue).toBe(120.5);
    expect(kpis.socialEngagement).toBe(6);
  });

  it('is empty for an empty workspace', () => {
    expect(workspaceKpis([])).toEqual(contactKpis(emptyActivity()));
  });

  it('weighs shares most and removals least', () => {
    expect(SOCIAL_ENGAGEMENT_WEIGHTS).toEqual({
      shares: 3,
      commentsAdded: 2,
      likes: 1,
      dislikes: -1,
      commentsRemoved: -2,
    });
  });
});

describe('KPIs against their standard definitions', () => {
  const survey = (at: string, properties: Record<string, unknown>) => interaction('SURVEY_RESPONSE', at, properties);

  it('CSAT: satisfied share counts 4 and 5 of 5; answers off the scale or not numbers are ignored', () => {
    // Valid: 5, 4, 3, 1, 4.5 → satisfied 5, 4, 4.5 = 3 of 5 = 0.6; mean 17.5 / 5 = 3.5.
    // Ignored: 0 and 6 (off 1–5), '5' (a string), 10 (a 1–10 answer is not accepted: off the scale).
    const activity = fold(
      [5, 4, 3, 1, 4.5, 0, 6, '5', 10].map((csat, i) => survey(`2024-03-0${(i % 9) + 1}T10:00:00Z`, { csat })),
    );
    expect(contactKpis(activity)).toMatchObject({
      csatMean: 3.5,
      csatSatisfiedShare: 0.6,
      csatAnswers: 5,
      csatScale: { min: 1, max: 5 },
    });
  });

  it('CSAT: a document folded before satisfied answers were counted has an unknown share, not a lower one', () => {
    const old: ContactActivity = { ...emptyActivity(), interactions: 2, csat: { sum: 9, count: 2 } };
    const later = recordActivity(old, survey('2024-03-10T10:00:00Z', { csat: 5 }));
    expect(later.csat).toEqual({ sum: 14, count: 3 });
    expect(contactKpis(later)).toMatchObject({ csatMean: 4.67, csatSatisfiedShare: null, csatAnswers: 3 });
    expect(workspaceKpis([later, ana]).csatSatisfiedShare).toBeNull();
  });

  it('NPS: % promoters (9–10) − % detractors (0–6), each contact by its latest answer on 0–10', () => {
    // Latest answers: 10, 9 (promoters), 8, 7 (passives), 6, 0 (detractors), 11 ignored → 2 − 2 of 6 = 0.
    // One more promoter (9): (3 − 2) / 7 × 100 = 14.285… → 14.3.
    const answers = [10, 9, 8, 7, 6, 0].map((nps) => fold([survey('2024-03-01T10:00:00Z', { nps })]));
    const ignored = fold([survey('2024-03-01T10:00:00Z', { nps: 11 })]);
    expect(workspaceKpis([...answers, ignored])).toMatchObject({ nps: 0, respondents: 6, contacts: 7 });
    const more = fold([survey('2024-03-01T10:00:00Z', { nps: 9 })]);
    expect(workspaceKpis([...answers, more])).toMatchObject({
      nps: 14.3,
      promoters: 3,
      passives: 2,
      detractors: 2,
      npsScale: { min: 0, max: 10 },
    });
  });

  it('CES: the mean of 1–7 agreement answers; off-scale answers ignored', () => {
    // 7, 6, 2 → 15 / 3 = 5; 0 and 8 ignored.
    const activity = fold([7, 6, 2, 0, 8].map((ces) => survey('2024-03-01T10:00:00Z', { ces })));
    expect(contactKpis(activity)).toMatchObject({ ces: 5, cesAnswers: 3, cesScale: { min: 1, max: 7 } });
  });

  it('FCR: resolved on first contact over the support tickets that say', () => {
    // 3 tickets say (2 yes, 1 no), 1 does not say, a live chat is not a ticket → 2 / 3 = 0.667.
    const activity = fold([
      interaction('SUPPORT_TICKET', '2024-03-01T10:00:00Z', { resolvedOnFirstContact: true }),
      interaction('SUPPORT_TICKET', '2024-03-01T11:00:00Z', { resolvedOnFirstContact: true }),
      interaction('SUPPORT_TICKET', '2024-03-01T12:00:00Z', { resolvedOnFirstContact: false }),
      interaction('SUPPORT_TICKET', '2024-03-01T13:00:00Z'),
      interaction('LIVE_CHAT', '2024-03-01T14:00:00Z', { resolvedOnFirstContact: false }),
    ]);
    expect(contactKpis(activity).firstContactResolution).toBe(0.667);
  });

  it('AHT: (talk + hold + after-call work) / handled interactions, or the handle time given', () => {
    // Call: 300 talk + 60 hold + 90 wrap-up = 450; ticket: handleTimeSeconds 150 wins over its parts;
    // chat: talk 120 only; a purchase with talk time is not handled → (450 + 150 + 120) / 3 = 240.
    const activity = fold([
      interaction('CALL_CENTER_CONTACT', '2024-03-01T10:00:00Z', {
        talkSeconds: 300,
        holdSeconds: 60,
        afterCallWorkSeconds: 90,
      }),
      interaction('SUPPORT_TICKET', '2024-03-01T11:00:00Z', { handleTimeSeconds: 150, talkSeconds: 999 }),
      interaction('LIVE_CHAT', '2024-03-01T12:00:00Z', { talkSeconds: 120, holdSeconds: -5 }),
      interaction('PURCHASE', '2024-03-01T13:00:00Z', { talkSeconds: 1000 }),
      interaction('LIVE_CHAT', '2024-03-01T14:00:00Z', { holdSeconds: 'long' }),
    ]);
    expect(contactKpis(activity).averageHandleTimeSeconds).toBe(240);
  });

  it('CLV: revenue per customer = average purchase value × purchases per customer', () => {
    // Dee: 2 purchases of 50 and 150; Eli: 1 of 100 and a paid renewal of 20; Fay: no revenue.
    // Average value (50 + 150 + 100 + 20) / 4 = 80 × 4 purchases / 2 customers = 160 = 320 / 2.
    const dee = fold([
      interaction('PURCHASE', '2024-03-01T10:00:00Z', { amount: 50 }),
      interaction('PURCHASE', '2024-03-02T10:00:00Z', { amount: 150 }),
    ]);
    const eli = fold([
      interaction('PURCHASE', '2024-03-01T10:00:00Z', { amount: 100 }),
      interaction('SUBSCRIPTION_RENEWED', '2024-03-02T10:00:00Z', { amount: 20 }),
    ]);
    const fay = fold([interaction('PAGE_VISIT', '2024-03-01T10:00:00Z')]);
    expect(workspaceKpis([dee, eli, fay])).toMatchObject({
      historicalCustomerLifetimeValue: 160,
      customers: 2,
      customerLifetimeValue: 106.67, // 320 over 3 contacts, buyers or not
      contacts: 3,
    });
  });

  it('social engagement: weighted engagements per engaged contact', () => {
    // Gus: 2 shares (6) + 1 comment (2) + 3 likes (3) − 1 dislike (1) = 10; Hal: page visit only (0) → 10 / 2 = 5.
    const gus = fold([
      ...[
        'SOCIAL_SHARE',
        'SOCIAL_SHARE',
        'COMMENT_ADDED',
        'SOCIAL_LIKE',
        'SOCIAL_LIKE',
        'SOCIAL_LIKE',
        'SOCIAL_DISLIKE',
      ].map((kind, i) => interaction(kind, `2024-03-01T1${i}:00:00Z`)),
    ]);
    const hal = fold([interaction('PAGE_VISIT', '2024-03-01T10:00:00Z')]);
    expect(contactKpis(gus).socialEngagement).toBe(10);
    expect(workspaceKpis([gus, hal]).socialEngagement).toBe(5);
  });
});
