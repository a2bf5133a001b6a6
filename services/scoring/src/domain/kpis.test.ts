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
      ces: 2,
      firstContactResolution: 1,
      averageHandleTimeSeconds: 300,
      customerLifetimeValue: 120.5,
      socialEngagement: 6,
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
      ces: 5,
      firstContactResolution: 0,
      averageHandleTimeSeconds: 360,
      customerLifetimeValue: 49.99,
      socialEngagement: -3,
      respondents: 1,
      contacts: 1,
    });
    // The ticket says nothing usable, so no FCR; only the call's 240 s counts; two likes = 2.
    expect(contactKpis(cleo)).toMatchObject({
      nps: 100,
      csat: 5,
      ces: null,
      firstContactResolution: null,
      averageHandleTimeSeconds: 240,
      customerLifetimeValue: 0,
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
      ces: null,
      firstContactResolution: null,
      averageHandleTimeSeconds: null,
      customerLifetimeValue: 0,
      socialEngagement: 0,
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
    //   CSAT: 4, 2, 5 → 11 / 3 = 3.666… → 3.67;  CES: 2, 5 → 3.5
    //   FCR: Ana yes, Ben no, Cleo's ticket does not say → 1 / 2 = 0.5
    //   AHT: 300 + 600 + 120 + 240 = 1260 over 4 → 315
    //   CLV: (120.5 + 49.99 + 0) / 3 contacts = 56.83
    //   Social: (6 − 3 + 2) / 3 = 1.666… → 1.67
    expect(workspaceKpis([ana, ben, cleo])).toEqual({
      nps: 33.3,
      promoters: 2,
      passives: 0,
      detractors: 1,
      csat: 3.67,
      ces: 3.5,
      firstContactResolution: 0.5,
      averageHandleTimeSeconds: 315,
      customerLifetimeValue: 56.83,
      socialEngagement: 1.67,
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
