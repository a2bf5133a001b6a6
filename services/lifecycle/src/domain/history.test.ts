import { bucketsToArchive, durationsOf, pageNumbers, timeInPhases, withStay, noDurations } from './history';

const at = (minutes: number) => new Date(Date.UTC(2026, 2, 1) + minutes * 60_000);

describe('time in phases', () => {
  it('adds up the stays the transitions describe, and the current one up to now', () => {
    const closed = durationsOf(at(0), [
      { from: 'NURTURE', at: at(10) },
      { from: 'PURCHASE', at: at(25) },
      { from: 'NURTURE', at: at(30) },
      { from: 'PURCHASE', at: at(40) },
    ]);
    expect(closed).toEqual({ NURTURE: 15 * 60_000, PURCHASE: 25 * 60_000, RETENTION: 0, EXIT: 0 });
    expect(timeInPhases(closed, 'RETENTION', at(40), at(100))).toEqual([
      { phase: 'NURTURE', seconds: 900 },
      { phase: 'PURCHASE', seconds: 1500 },
      { phase: 'RETENTION', seconds: 3600 },
      { phase: 'EXIT', seconds: 0 },
    ]);
    expect(withStay(noDurations(), 'EXIT', at(5), at(1)).EXIT).toBe(0);
  });
});

describe('history buckets', () => {
  it('archives whole buckets the stored document held, keeping at least the last 100', () => {
    expect(bucketsToArchive(0, 150, 199)).toEqual([]);
    expect(bucketsToArchive(0, 199, 200)).toEqual([1]);
    // Transitions of this batch are never archived: 120 stored, 450 after the batch
    expect(bucketsToArchive(0, 120, 450)).toEqual([1]);
    expect(bucketsToArchive(100, 450, 460)).toEqual([2, 3]);
  });

  it('pages newest first from a cursor', () => {
    expect(pageNumbers(5, null, 2)).toEqual([5, 4]);
    expect(pageNumbers(5, 4, 2)).toEqual([3, 2]);
    expect(pageNumbers(5, 2, 10)).toEqual([1]);
    expect(pageNumbers(5, 1, 10)).toEqual([]);
    expect(pageNumbers(0, null, 10)).toEqual([]);
  });
});
