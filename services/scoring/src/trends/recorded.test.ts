// Figures recorded in a trend period, hand-computed: the sentiment of the period's days from the
// reputation's day documents (partitions and channels added up, other days left out), and each
// declared feature's adoption from the period's usage statistics.
import { periodAdoption, periodSentiment } from './recorded';

const figures = (channel: string, texts: number, positive: number, negative: number, scoreSum: number) => ({
  channel,
  texts,
  positive,
  neutral: texts - positive - negative,
  negative,
  scoreSum,
});

describe('trend figures recorded in the period', () => {
  it('sums the sentiment of the period’s days over partitions and channels', () => {
    const docs = [
      { day: '2027-03-01', channels: [figures('app-store', 2, 1, 1, 0), figures('LIVE_CHAT', 1, 0, 0, 0)] },
      { day: '2027-03-01', channels: [figures('app-store', 1, 1, 0, 0.814)] }, // another partition
      { day: '2027-03-02', channels: [figures('app-store', 1, 0, 1, -0.707)] },
      { day: '2027-03-08', channels: [figures('app-store', 5, 5, 0, 4)] }, // outside
    ];
    // Texts 2 + 1 + 1 + 1 = 5; positive 2, negative 2, neutral 1; mean (0 + 0 + 0.814 − 0.707) / 5 = 0.0214.
    expect(periodSentiment(docs, new Set(['2027-03-01', '2027-03-02', '2027-03-03']))).toEqual({
      texts: 5,
      positive: 2,
      neutral: 1,
      negative: 2,
      meanScore: 0.021,
    });
    expect(periodSentiment(docs, new Set(['2027-03-05']))).toEqual({
      texts: 0,
      positive: 0,
      neutral: 0,
      negative: 0,
      meanScore: null,
    });
  });

  it('lists every declared feature with its distinct contacts in the period, most first', () => {
    const catalog = new Map([
      ['api', { key: 'api', name: 'API', highValue: true }],
      ['reports', { key: 'reports', name: 'Reports', highValue: true }],
      ['export', { key: 'export', name: 'Export', highValue: false }],
    ]);
    const stats = [
      { feature: 'reports', uses: 5, errors: 0, events: 5, contacts: 2 },
      { feature: 'export', uses: 1, errors: 1, events: 1, contacts: 1 },
      { feature: 'undeclared', uses: 9, errors: 0, events: 9, contacts: 4 },
    ];
    expect(periodAdoption(stats, catalog)).toEqual([
      { feature: 'reports', name: 'Reports', highValue: true, contacts: 2, uses: 5 },
      { feature: 'export', name: 'Export', highValue: false, contacts: 1, uses: 1 },
      { feature: 'api', name: 'API', highValue: true, contacts: 0, uses: 0 },
    ]);
  });
});
