import { countText, dayOf, emptyDay, reputationFigures, type ReputationInput } from './reputation';
import type { ScoredText } from './sentiment';

const text = (
  interactionId: string,
  channel: string,
  score: number,
  label: ScoredText['label'],
  at = '2024-05-01T23:59:00Z',
): ReputationInput => ({
  workspaceId: 'w',
  seq: Number(interactionId.replace(/\D/g, '')),
  text: {
    interactionId,
    kind: 'COMMENT_ADDED',
    channel,
    at,
    score,
    label,
    language: 'en',
    languageSource: 'GIVEN',
    drivers: [],
  },
});

describe('reputation figures', () => {
  it('counts a text once per day, channel and partition, however often it comes', () => {
    const day = emptyDay('w', dayOf('2024-05-01T23:59:00Z'), 3);
    expect(countText(day, text('i1', 'chat', 0.5, 'POSITIVE'))).toBe(true);
    expect(countText(day, text('i2', 'chat', -0.3, 'NEGATIVE'))).toBe(true);
    expect(countText(day, text('i1', 'chat', 0.5, 'POSITIVE'))).toBe(false); // redelivered
    expect(countText(day, text('i3', 'app-store', 0, 'NEUTRAL'))).toBe(true);
    expect(day).toMatchObject({
      day: '2024-05-01',
      lastSeq: 3,
      channels: [
        { channel: 'app-store', texts: 1, positive: 0, neutral: 1, negative: 0, scoreSum: 0 },
        { channel: 'chat', texts: 2, positive: 1, neutral: 0, negative: 1, scoreSum: 0.2 },
      ],
    });
    expect(day.counted.size).toBe(3);
  });

  it('adds the partitions up per day and channel, days ascending', () => {
    const a = emptyDay('w', '2024-05-02', 0);
    const b = emptyDay('w', '2024-05-02', 1);
    const c = emptyDay('w', '2024-05-01', 1);
    countText(a, text('i1', 'chat', 0.6, 'POSITIVE'));
    countText(b, text('i2', 'chat', -0.2, 'NEGATIVE'));
    countText(c, text('i3', 'chat', 0.1, 'POSITIVE'));
    expect(reputationFigures([a, b, c])).toEqual([
      { day: '2024-05-01', channel: 'chat', texts: 1, positive: 1, neutral: 0, negative: 0, meanScore: 0.1 },
      { day: '2024-05-02', channel: 'chat', texts: 2, positive: 1, neutral: 0, negative: 1, meanScore: 0.2 },
    ]);
  });
});
