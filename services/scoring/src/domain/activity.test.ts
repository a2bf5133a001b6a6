import {
  emptyActivity,
  recordActivity,
  weekOf,
  WEEKS_KEPT,
  type ActivityInput,
  type ContactActivity,
} from './activity';

const interaction = (
  kind: string,
  occurredAt: string,
  properties: Record<string, unknown> = {},
  points = 1,
): ActivityInput => ({ kind, variant: null, occurredAt, properties, points });

const fold = (inputs: ActivityInput[], from: ContactActivity = emptyActivity()): ContactActivity =>
  inputs.reduce(recordActivity, from);

/** Deep-freezes a value so that a mutation inside recordActivity throws in strict mode. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

describe('weekOf', () => {
  it('names a week by its UTC Monday', () => {
    expect(weekOf(new Date('2024-03-04T00:00:00Z'))).toBe('2024-03-04'); // Monday
    expect(weekOf(new Date('2024-03-10T23:59:59Z'))).toBe('2024-03-04'); // Sunday
    expect(weekOf(new Date('2024-03-11T00:00:00Z'))).toBe('2024-03-11');
    // Still Sunday in UTC although Monday in Paris.
    expect(weekOf(new Date('2024-03-11T00:30:00+01:00'))).toBe('2024-03-04');
    expect(weekOf(new Date('2024-01-03T12:00:00Z'))).toBe('2024-01-01');
    expect(weekOf(new Date('1969-12-31T23:00:00Z'))).toBe('1969-12-29');
    expect(weekOf(new Date('1970-01-05T00:00:00Z'))).toBe('1970-01-05');
  });

  it('gives every hour of two years, asked again and again, the Monday the calendar gives it', () => {
    const mondayOf = (ms: number) => {
      const date = new Date(ms);
      date.setUTCHours(0, 0, 0, 0);
      date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
      return date.toISOString().slice(0, 10);
    };
    const from = Date.parse('2023-06-01T00:00:00Z');
    const wrong: string[] = [];
    for (let round = 0; round < 2; round++) {
      for (let ms = from; ms < from + 2 * 365 * 86_400_000; ms += 3_600_000 + 7) {
        if (weekOf(ms) !== mondayOf(ms)) wrong.push(`${new Date(ms).toISOString()}: ${weekOf(ms)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('recordActivity', () => {
  it('starts empty and stays plain JSON', () => {
    const activity = fold([
      interaction('PAGE_VISIT', '2024-03-05T10:00:00Z'),
      interaction('PURCHASE', '2024-03-06T10:00:00Z', { amount: 10, currency: 'EUR', items: ['a'] }),
    ]);
    expect(JSON.parse(JSON.stringify(activity))).toEqual(activity);
    expect(emptyActivity().interactions).toBe(0);
  });

  it('returns a new object and leaves the given one untouched', () => {
    const before = deepFreeze(fold([interaction('SURVEY_RESPONSE', '2024-03-05T10:00:00Z', { nps: 8, csat: 4 })]));
    const snapshot = JSON.parse(JSON.stringify(before));
    const after = recordActivity(before, interaction('SURVEY_RESPONSE', '2024-03-06T10:00:00Z', { nps: 2 }));
    expect(after).not.toBe(before);
    expect(before).toEqual(snapshot);
    expect(after.nps).toEqual({ latest: 2, latestAt: '2024-03-06T10:00:00.000Z', answers: 2 });
  });

  it('sums purchase and paid subscription amounts into revenue, in cents', () => {
    const activity = fold([
      interaction('PURCHASE', '2024-03-01T10:00:00Z', { amount: 0.1 }),
      interaction('PURCHASE', '2024-03-02T10:00:00Z', { amount: 0.2 }),
      interaction('SUBSCRIPTION_STARTED', '2024-03-03T10:00:00Z', { amount: 29.9 }),
      interaction('SUBSCRIPTION_RENEWED', '2024-03-04T10:00:00Z', { amount: 29.9 }),
    ]);
    expect(activity.purchases).toBe(2);
    expect(activity.revenue).toBe(60.1); // 0.1 + 0.2 + 29.9 + 29.9, without float drift
  });

  it('ignores properties of the wrong type or out of range instead of throwing', () => {
    const activity = fold([
      interaction('PURCHASE', '2024-03-01T10:00:00Z', { amount: '100' }),
      interaction('PURCHASE', '2024-03-01T11:00:00Z', { amount: -5 }),
      interaction('SURVEY_RESPONSE', '2024-03-02T10:00:00Z', { nps: 11, csat: 0, ces: 'easy' }),
      interaction('SURVEY_RESPONSE', '2024-03-02T11:00:00Z', { nps: 7.5 }),
      interaction('SUPPORT_TICKET', '2024-03-03T10:00:00Z', { resolvedOnFirstContact: 'yes', handleTimeSeconds: -1 }),
      interaction('CALL_CENTER_CONTACT', '2024-03-03T11:00:00Z', { resolvedOnFirstContact: true }),
    ]);
    expect(activity.purchases).toBe(2);
    expect(activity.revenue).toBe(0);
    expect(activity.nps).toEqual({ latest: null, latestAt: null, answers: 0 });
    expect(activity.csat).toEqual({ sum: 0, count: 0, satisfied: 0 });
    expect(activity.ces).toEqual({ sum: 0, count: 0 });
    // The ticket counts; FCR only comes from support tickets, and neither reported a usable time.
    expect(activity.support).toEqual({
      tickets: 1,
      firstContactAnswers: 0,
      resolvedOnFirstContact: 0,
      handleTimeSeconds: 0,
      handled: 0,
    });
    expect(activity.interactions).toBe(6);
  });

  it('counts handle time of tickets, calls and chats, and FCR of tickets only', () => {
    const activity = fold([
      interaction('SUPPORT_TICKET', '2024-03-01T10:00:00Z', { resolvedOnFirstContact: true, handleTimeSeconds: 300 }),
      interaction('SUPPORT_TICKET', '2024-03-01T11:00:00Z', { resolvedOnFirstContact: false }),
      interaction('CALL_CENTER_CONTACT', '2024-03-01T12:00:00Z', { handleTimeSeconds: 200 }),
      interaction('LIVE_CHAT', '2024-03-01T13:00:00Z', { handleTimeSeconds: 100 }),
      interaction('PAGE_VISIT', '2024-03-01T14:00:00Z', { handleTimeSeconds: 999 }),
    ]);
    expect(activity.support).toEqual({
      tickets: 2,
      firstContactAnswers: 2,
      resolvedOnFirstContact: 1,
      handleTimeSeconds: 600,
      handled: 3,
    });
  });

  it('counts social actions, SOCIAL_SHARE included', () => {
    const activity = fold(
      ['SOCIAL_LIKE', 'SOCIAL_LIKE', 'SOCIAL_DISLIKE', 'SOCIAL_SHARE', 'COMMENT_ADDED', 'COMMENT_REMOVED'].map((kind) =>
        interaction(kind, '2024-03-01T10:00:00Z'),
      ),
    );
    expect(activity.social).toEqual({ likes: 2, dislikes: 1, shares: 1, commentsAdded: 1, commentsRemoved: 1 });
  });

  describe('subscription state', () => {
    it('starts free, becomes paid on a paid renewal, and ends on cancellation', () => {
      const free = fold([interaction('SUBSCRIPTION_STARTED', '2024-03-01T10:00:00Z')]);
      expect(free.subscription).toMatchObject({ started: 1, active: true, paid: false });
      const paid = recordActivity(free, interaction('SUBSCRIPTION_RENEWED', '2024-04-01T10:00:00Z', { amount: 49 }));
      expect(paid.subscription).toMatchObject({ renewed: 1, active: true, paid: true });
      const cancelled = recordActivity(paid, interaction('SUBSCRIPTION_CANCELLED', '2024-04-15T10:00:00Z'));
      expect(cancelled.subscription).toEqual({
        started: 1,
        renewed: 1,
        cancelled: 1,
        active: false,
        paid: false,
        changedAt: '2024-04-15T10:00:00.000Z',
      });
    });

    it('does not let a late, older start reactivate a cancelled subscription', () => {
      const activity = fold([
        interaction('SUBSCRIPTION_CANCELLED', '2024-04-15T10:00:00Z'),
        interaction('SUBSCRIPTION_STARTED', '2024-03-01T10:00:00Z', { amount: 20 }),
      ]);
      expect(activity.subscription).toMatchObject({ started: 1, cancelled: 1, active: false, paid: false });
      expect(activity.revenue).toBe(20); // the money was still paid
    });
  });

  it('keeps the NPS answer that occurred last, whatever the arrival order', () => {
    const activity = fold([
      interaction('SURVEY_RESPONSE', '2024-03-10T10:00:00Z', { nps: 10 }),
      interaction('SURVEY_RESPONSE', '2024-03-01T10:00:00Z', { nps: 3 }),
    ]);
    expect(activity.nps).toEqual({ latest: 10, latestAt: '2024-03-10T10:00:00.000Z', answers: 2 });
  });

  describe('weekly buckets', () => {
    // One interaction every Wednesday for 14 weeks, from 2024-01-03 (week of 2024-01-01)
    // to 2024-04-03 (week of 2024-04-01), i-th earning i points.
    const wednesdays = Array.from({ length: 14 }, (_, i) =>
      interaction('FEATURE_USAGE', new Date(Date.UTC(2024, 0, 3 + 7 * i, 12)).toISOString(), {}, i + 1),
    );

    it('keeps the 12 most recent weeks and prunes older ones', () => {
      const activity = fold(wednesdays);
      expect(activity.weeks).toHaveLength(WEEKS_KEPT);
      expect(activity.weeks[0]).toEqual({ week: '2024-01-15', interactions: 1, points: 3, usage: 1 });
      expect(activity.weeks[11]).toEqual({ week: '2024-04-01', interactions: 1, points: 14, usage: 1 });
      expect(activity.interactions).toBe(14);
      expect(activity.firstInteractionAt).toBe('2024-01-03T12:00:00.000Z');
      expect(activity.lastInteractionAt).toBe('2024-04-03T12:00:00.000Z');
    });

    it('adds to an existing bucket, sums negative points, and only counts usage kinds as usage', () => {
      const activity = fold([
        interaction('PAGE_VISIT', '2024-03-04T08:00:00Z', {}, 5),
        interaction('SOCIAL_DISLIKE', '2024-03-09T08:00:00Z', {}, -2),
        interaction('MOBILE_APP_USAGE', '2024-03-10T23:00:00Z', { feature: 'scan' }, 1),
      ]);
      expect(activity.weeks).toEqual([{ week: '2024-03-04', interactions: 3, points: 4, usage: 1 }]);
    });

    it('puts a late interaction in its own week without moving lastInteractionAt back', () => {
      const activity = fold([
        interaction('PAGE_VISIT', '2024-03-20T10:00:00Z', {}, 2),
        interaction('EMAIL_OPEN', '2024-03-06T10:00:00Z', {}, 3), // two weeks late
        interaction('FEATURE_USAGE', '2024-03-21T10:00:00Z', {}, 1),
        interaction('LINK_CLICK', '2024-03-07T10:00:00Z', {}, 4), // into the late week's bucket
      ]);
      expect(activity.weeks).toEqual([
        { week: '2024-03-04', interactions: 2, points: 7, usage: 0 },
        { week: '2024-03-18', interactions: 2, points: 3, usage: 1 },
      ]);
      expect(activity.lastInteractionAt).toBe('2024-03-21T10:00:00.000Z');
      expect(activity.firstInteractionAt).toBe('2024-03-06T10:00:00.000Z');
    });

    it('leaves a late interaction older than the window out of the buckets but counts it', () => {
      const recent = fold(wednesdays);
      const activity = recordActivity(recent, interaction('PURCHASE', '2023-11-01T10:00:00Z', { amount: 5 }, 30));
      expect(activity.weeks).toEqual(recent.weeks);
      expect(activity.interactions).toBe(15);
      expect(activity.revenue).toBe(5);
      expect(activity.firstInteractionAt).toBe('2023-11-01T10:00:00.000Z');
      expect(activity.lastInteractionAt).toBe(recent.lastInteractionAt);
    });

    it('prunes every old week when the contact comes back after a long pause', () => {
      const activity = recordActivity(fold(wednesdays), interaction('PAGE_VISIT', '2024-09-02T10:00:00Z', {}, 1));
      expect(activity.weeks).toEqual([{ week: '2024-09-02', interactions: 1, points: 1, usage: 0 }]);
    });
  });
});
