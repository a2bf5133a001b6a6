import { daysOf, DailyDistribution, FunnelCount, median } from './figures';
import { firstEntry, phaseAt, type Timeline } from './timeline';

const t = (iso: string) => new Date(iso);
const ann: Timeline = {
  startedAt: t('2026-03-01T12:00:00Z'),
  phase: 'EXIT',
  transitions: [
    { at: t('2026-03-02T12:00:00Z'), from: 'NURTURE', to: 'PURCHASE' },
    { at: t('2026-03-03T18:00:00Z'), from: 'PURCHASE', to: 'RETENTION' },
    { at: t('2026-03-04T06:00:00Z'), from: 'RETENTION', to: 'EXIT' },
  ],
};
const bob: Timeline = {
  startedAt: t('2026-03-01T12:00:00Z'),
  phase: 'RETENTION',
  transitions: [{ at: t('2026-03-03T18:00:00Z'), from: 'NURTURE', to: 'RETENTION' }],
};
const cid: Timeline = { startedAt: t('2026-03-02T00:00:00Z'), phase: 'NURTURE', transitions: [] };

describe('a timeline', () => {
  it('knows the phase at an instant: none before lifecycle saw the contact', () => {
    expect(phaseAt(ann, t('2026-03-01T11:59:59Z'))).toBeNull();
    expect(phaseAt(ann, t('2026-03-01T12:00:00Z'))).toBe('NURTURE');
    expect(phaseAt(ann, t('2026-03-02T12:00:00Z'))).toBe('PURCHASE');
    expect(phaseAt(ann, t('2026-03-09T00:00:00Z'))).toBe('EXIT');
    expect(phaseAt(cid, t('2026-03-09T00:00:00Z'))).toBe('NURTURE');
  });

  it('knows when the contact first entered a phase, after an instant', () => {
    expect(firstEntry(ann, 'NURTURE')).toEqual(ann.startedAt);
    expect(firstEntry(bob, 'PURCHASE')).toBeNull();
    expect(firstEntry(ann, 'EXIT', t('2026-03-03T18:00:00Z'))).toEqual(t('2026-03-04T06:00:00Z'));
    expect(firstEntry(bob, 'RETENTION', t('2026-03-04T00:00:00Z'))).toBeNull();
  });
});

describe('figures', () => {
  it('counts each UTC day at its end, today at now', () => {
    const days = daysOf(t('2026-03-01T09:00:00Z'), t('2026-03-10T00:00:00Z'), t('2026-03-03T08:00:00Z'));
    expect(days.map((d) => [d.day, d.at.toISOString()])).toEqual([
      ['2026-03-01', '2026-03-01T23:59:59.999Z'],
      ['2026-03-02', '2026-03-02T23:59:59.999Z'],
      ['2026-03-03', '2026-03-03T08:00:00.000Z'],
    ]);
    const daily = new DailyDistribution(days);
    [ann, bob, cid].forEach((timeline) => daily.add(timeline));
    expect(daily.result().map((d) => d.phases.map((p) => p.contacts))).toEqual([
      [2, 0, 0, 0],
      [2, 1, 0, 0],
      [2, 1, 0, 0],
    ]);
  });

  it('follows a cohort through the funnel with the median time between steps', () => {
    const funnel = new FunnelCount();
    [ann, bob, cid].forEach((timeline) => funnel.add(timeline));
    expect(funnel.result()).toEqual({
      entered: 3,
      steps: [
        { phase: 'NURTURE', reached: 3, conversion: 1, medianSecondsFromPrevious: null },
        { phase: 'PURCHASE', reached: 1, conversion: 1 / 3, medianSecondsFromPrevious: 86_400 },
        { phase: 'RETENTION', reached: 2, conversion: 1, medianSecondsFromPrevious: 108_000 },
        { phase: 'EXIT', reached: 1, conversion: 0.5, medianSecondsFromPrevious: 43_200 },
      ],
    });
    expect(new FunnelCount().result().steps[1]).toEqual({
      phase: 'PURCHASE',
      reached: 0,
      conversion: 0,
      medianSecondsFromPrevious: null,
    });
  });

  it('takes the median of an even count as the mean of the middle two', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
