import { closingInstant, parseTrendBucketId, trendBucketId, trendPeriodOf, trendPeriods } from './trend-periods';

const d = (iso: string) => new Date(iso);

describe('trend periods', () => {
  it('puts an instant in its UTC day and in its week from Monday', () => {
    // 2027-03-07 is a Sunday: its week began on Monday 2027-03-01.
    expect(trendPeriodOf('DAY', d('2027-03-07T23:59:59.999Z'))).toEqual({
      granularity: 'DAY',
      start: d('2027-03-07T00:00:00Z'),
      end: d('2027-03-08T00:00:00Z'),
    });
    expect(trendPeriodOf('WEEK', d('2027-03-07T23:59:59.999Z'))).toEqual({
      granularity: 'WEEK',
      start: d('2027-03-01T00:00:00Z'),
      end: d('2027-03-08T00:00:00Z'),
    });
    expect(trendPeriodOf('WEEK', d('2027-03-08T00:00:00Z')).start).toEqual(d('2027-03-08T00:00:00Z'));
  });

  it('lists the periods from the one `from` falls in through the one `to` falls in, none after now', () => {
    const now = d('2027-03-10T12:00:00Z');
    const days = trendPeriods('DAY', d('2027-03-08T15:00:00Z'), d('2027-03-20T00:00:00Z'), now);
    expect(days.map(trendBucketId)).toEqual(['DAY:2027-03-08', 'DAY:2027-03-09', 'DAY:2027-03-10']);
    const weeks = trendPeriods('WEEK', d('2027-02-24T00:00:00Z'), d('2027-03-08T00:00:00Z'), now);
    expect(weeks.map(trendBucketId)).toEqual(['WEEK:2027-02-22', 'WEEK:2027-03-01', 'WEEK:2027-03-08']);
  });

  it('reads a bucket id back, and refuses one that names no period', () => {
    expect(parseTrendBucketId('WEEK:2027-03-01')).toEqual(trendPeriodOf('WEEK', d('2027-03-03T00:00:00Z')));
    expect(parseTrendBucketId('DAY:2027-03-03')).toEqual(trendPeriodOf('DAY', d('2027-03-03T10:00:00Z')));
    expect(parseTrendBucketId('WEEK:2027-03-03')).toBeNull(); // a Wednesday
    expect(parseTrendBucketId('DAY:2027-02-30')).toBeNull();
    expect(parseTrendBucketId('MONTH:2027-03-01')).toBeNull();
    expect(parseTrendBucketId('DAY:2027-03-01:x')).toBeNull();
  });

  it('reads a period at its last millisecond, or now while it runs', () => {
    const day = trendPeriodOf('DAY', d('2027-03-03T10:00:00Z'));
    expect(closingInstant(day, d('2027-03-05T00:00:00Z'))).toEqual(d('2027-03-03T23:59:59.999Z'));
    expect(closingInstant(day, d('2027-03-03T11:00:00Z'))).toEqual(d('2027-03-03T11:00:00Z'));
  });
});
