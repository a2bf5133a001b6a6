import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { interactionListType, readCollectItems } from './collect-body';

const listType = interactionListType(readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8'));
const JSON_LINES = 'application/x-ndjson; charset=utf-8';
const visit = { id: 'v1', kind: 'PAGE_VISIT', contactId: 'c1', properties: { url: '/pricing' } };

function refusal(text: string, contentType?: string) {
  const read = readCollectItems(text, contentType, listType);
  if (read.ok) throw new Error('expected a refusal');
  return { message: read.error.message, extensions: read.error.extensions };
}

describe('readCollectItems', () => {
  it('reads a JSON array, {"interactions": [...]} and JSON lines (blank lines skipped) alike', () => {
    const items = [visit, { ...visit, id: 'v2' }];
    const expected = { ok: true, interactions: items };

    expect(readCollectItems(JSON.stringify(items), 'application/json', listType)).toEqual(expected);
    expect(readCollectItems(JSON.stringify({ interactions: items }), undefined, listType)).toEqual(expected);
    expect(
      readCollectItems(`${JSON.stringify(items[0])}\n\n${JSON.stringify(items[1])}\r\n`, JSON_LINES, listType),
    ).toEqual(expected);
  });

  it('coerces as the graph does: an ID may be a number', () => {
    expect(readCollectItems(JSON.stringify([{ ...visit, id: 42 }]), undefined, listType)).toMatchObject({
      ok: true,
      interactions: [{ id: '42' }],
    });
  });

  it('names the line that is not JSON, by its number', () => {
    expect(refusal(`${JSON.stringify(visit)}\n\n{"id": "v3",}\n`, JSON_LINES)).toEqual({
      message: expect.stringMatching(/^line 3 is not valid JSON \(.+\): send one interaction per line$/),
      extensions: { code: 'BAD_USER_INPUT', line: 3 },
    });
  });

  it('says which shapes it takes when the body is none of them', () => {
    for (const body of ['', '{"interaction": []}', '"text"', '{oops']) {
      expect(refusal(body).message).toMatch(
        /send a JSON array of interactions, \{"interactions": \[\.\.\.\]\}, or one interaction per line with Content-Type: application\/x-ndjson$/,
      );
    }
    expect(refusal('\n \n', JSON_LINES).message).toMatch(/^the body has no lines/);
  });

  it('names every wrong field at its path, as fields', () => {
    const body = [visit, { id: 'v2', kind: 7, contactId: 'c1', colour: 'red' }, 'not an object'];

    expect(refusal(JSON.stringify(body)).extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fields: [
        { path: 'interactions[1].kind', message: 'String cannot represent a non string value: 7' },
        {
          path: 'interactions[1]',
          message: expect.stringMatching(/^Field "colour" is not defined by type "InteractionInput"/),
        },
        { path: 'interactions[2]', message: 'Expected type "InteractionInput" to be an object.' },
      ],
    });
  });
});
