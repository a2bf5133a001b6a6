import { MAX_CHANGES_PER_MESSAGE, scoreChangeId, scoreChangeMessageOf } from './events';

describe('score change ids', () => {
  it("names a message's first change by its position, a later one by the first one's position and its place", () => {
    expect(scoreChangeId('ann', 41)).toBe('ann~41');
    expect(scoreChangeId('ann', 41, 0)).toBe('ann~41');
    expect(scoreChangeId('ann', 41, 3)).toBe('ann~41.3');
  });

  it('finds the message of an id, whatever the contact id holds', () => {
    expect(scoreChangeMessageOf('ann~41')).toEqual({ firstId: 'ann~41', member: 0 });
    expect(scoreChangeMessageOf('ann~41.3')).toEqual({ firstId: 'ann~41', member: 3 });
    // A contact id may itself hold "~" and ".": the position is what follows the last "~".
    expect(scoreChangeMessageOf('a.b~c~7.2')).toEqual({ firstId: 'a.b~c~7', member: 2 });
    expect(scoreChangeMessageOf(scoreChangeId('x~1', 9, 5))).toEqual({ firstId: 'x~1~9', member: 5 });
  });

  it('answers null for what is not an id it makes', () => {
    for (const id of [
      '',
      'ann',
      'ann~',
      '~5',
      'ann~x',
      'ann~5.',
      'ann~5.0',
      'ann~5.-1',
      `ann~5.${MAX_CHANGES_PER_MESSAGE}`,
    ]) {
      expect(scoreChangeMessageOf(id)).toBeNull();
    }
  });
});
