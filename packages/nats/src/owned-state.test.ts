// OwnedState reads from the database only what its partition's owner does not
// remember under the batch's ownership (real FerretDB of the jest global setup).
import { Schema } from 'mongoose';
import { connectDatabase, loadByIds, type Database } from '@cei/mongo';
import { testNamespace } from '@cei/testing';
import { firstDeliveries, OwnedState } from './owned-state';

interface StateDoc {
  _id: string;
  lastSeq: number;
}

describe('OwnedState', () => {
  let db: Database;
  let reads: string[][];
  let state: OwnedState<StateDoc>;

  beforeAll(async () => {
    db = await connectDatabase(process.env.MONGO_URL!, `${testNamespace('owned')}_state`);
    const model = db.connection.model<StateDoc>(
      'State',
      new Schema<StateDoc>({ _id: String, lastSeq: Number }, { versionKey: false }),
      'states',
    );
    await model.insertMany([
      { _id: 'a', lastSeq: 1 },
      { _id: 'b', lastSeq: 2 },
    ]);
    reads = [];
    state = new OwnedState<StateDoc>({
      max: 2,
      load: (keys) => {
        reads.push(keys);
        return loadByIds(db, model, keys);
      },
    });
  });
  afterAll(async () => {
    await db.connection.db?.dropDatabase();
    await db.close();
  });

  it('remembers what was written under the same ownership, reads the rest, and never remembers without one', async () => {
    const held = { ownership: 'p1/1/pin/0' };
    // A first batch reads both documents
    expect([...(await state.read(['a', 'b'], held))]).toEqual([
      ['a', { _id: 'a', lastSeq: 1 }],
      ['b', { _id: 'b', lastSeq: 2 }],
    ]);
    state.written('a', { _id: 'a', lastSeq: 5 }, held);
    // The next batch under the same ownership finds a as written, and reads b again
    expect((await state.read(['a', 'b'], held)).get('a')).toEqual({ _id: 'a', lastSeq: 5 });
    expect(reads).toEqual([['a', 'b'], ['b']]);

    // Under a new ownership (a failed batch, a new pin), a is read from the database again
    expect((await state.read(['a'], { ownership: 'p1/1/pin/1' })).get('a')).toEqual({ _id: 'a', lastSeq: 1 });
    // A handler outside a consumer (no ownership) keeps nothing
    state.written('b', { _id: 'b', lastSeq: 9 }, { ownership: '' });
    expect((await state.read(['b'], { ownership: '' })).get('b')).toEqual({ _id: 'b', lastSeq: 2 });
    expect(reads).toEqual([['a', 'b'], ['b'], ['a'], ['b']]);
  });

  it('remembers that a contact has no document until it is written, under the same ownership only', async () => {
    const held = { ownership: 'p3/1/pin/0' };
    reads.length = 0;
    expect((await state.read(['new'], held)).has('new')).toBe(false);
    // Known absent: not looked for again while nothing was written
    expect((await state.read(['new'], held)).has('new')).toBe(false);
    expect(reads).toEqual([['new']]);
    // Written: found as written
    state.written('new', { _id: 'new', lastSeq: 3 }, held);
    expect((await state.read(['new'], held)).get('new')).toEqual({ _id: 'new', lastSeq: 3 });
    // Under another ownership the absence is not trusted: read again
    expect((await state.read(['new'], { ownership: 'p3/1/pin/1' })).has('new')).toBe(false);
    expect(reads).toEqual([['new'], ['new']]);
  });

  it('takes a contact its events call new as absent without a read, but what it remembers wins', async () => {
    const held = { ownership: 'p4/1/pin/0' };
    reads.length = 0;
    state.written('known', { _id: 'known', lastSeq: 4 }, held);
    const found = await state.read(['fresh', 'known', 'b'], held, new Set(['fresh', 'known']));
    expect([...found]).toEqual([
      ['known', { _id: 'known', lastSeq: 4 }],
      ['b', { _id: 'b', lastSeq: 2 }],
    ]);
    expect(reads).toEqual([['b']]);
    // A hint that is wrong (b exists) is the fenced write's to catch: read says absent.
    expect((await state.read(['a'], { ownership: 'p4/1/pin/1' }, new Set(['a']))).has('a')).toBe(false);
    expect(reads).toEqual([['b']]);
    expect(state.stats().unread).toBe(2);
  });

  it('forgets the least recently used contacts beyond its bound', async () => {
    const held = { ownership: 'p2/1/pin/0' };
    for (const key of ['x', 'y', 'z']) state.written(key, { _id: key, lastSeq: 1 }, held);
    reads.length = 0;
    await state.read(['x', 'y', 'z'], held);
    expect(reads).toEqual([['x']]); // x was the oldest of three in a bound of two
  });

  it('keeps what it remembers in the form its owner packs it in, and gives back the document', async () => {
    const packed: string[] = [];
    const compact = new OwnedState<StateDoc, string>({
      max: 2,
      load: (keys) => loadByIds(db, db.connection.model<StateDoc>('State'), keys),
      keep: {
        pack: (doc) => {
          const kept = `${doc._id}@${doc.lastSeq}`;
          packed.push(kept);
          return kept;
        },
        unpack: (kept) => ({ _id: kept.split('@')[0]!, lastSeq: Number(kept.split('@')[1]) }),
      },
    });
    const held = { ownership: 'p5/1/pin/0' };
    compact.written('a', { _id: 'a', lastSeq: 7 }, held);
    expect(packed).toEqual(['a@7']);
    // Remembered (a@7, not the stored lastSeq 1) and unpacked; b read from the database as it is
    expect([...(await compact.read(['a', 'b'], held))]).toEqual([
      ['a', { _id: 'a', lastSeq: 7 }],
      ['b', { _id: 'b', lastSeq: 2 }],
    ]);
  });

  it('keeps the most recently written documents as written, and packs each once newer writes push it out', async () => {
    const packed: string[] = [];
    const unpacked: string[] = [];
    const compact = new OwnedState<StateDoc, string>({
      max: 10,
      load: (keys) => loadByIds(db, db.connection.model<StateDoc>('State'), keys),
      keep: {
        pack: (doc) => {
          packed.push(`${doc._id}@${doc.lastSeq}`);
          return `${doc._id}@${doc.lastSeq}`;
        },
        unpack: (kept) => {
          unpacked.push(kept);
          return { _id: kept.split('@')[0]!, lastSeq: Number(kept.split('@')[1]) };
        },
        hot: 1,
      },
    });
    const held = { ownership: 'p6/1/pin/0' };
    // Written, then read and written again while it is the most recent: never packed in between
    compact.written('a', { _id: 'a', lastSeq: 7 }, held);
    expect((await compact.read(['a'], held)).get('a')).toEqual({ _id: 'a', lastSeq: 7 });
    compact.written('a', { _id: 'a', lastSeq: 8 }, held);
    expect([packed, unpacked]).toEqual([[], []]);
    // A newer write pushes it out: packed once, as last written, and unpacked when read
    compact.written('b', { _id: 'b', lastSeq: 3 }, held);
    expect(packed).toEqual(['a@8']);
    expect([...(await compact.read(['a', 'b'], held))]).toEqual([
      ['a', { _id: 'a', lastSeq: 8 }],
      ['b', { _id: 'b', lastSeq: 3 }],
    ]);
    expect(unpacked).toEqual(['a@8']);
    // Under another ownership neither is used: both come from the database
    expect([...(await compact.read(['a', 'b'], { ownership: 'p6/1/pin/1' }))]).toEqual([
      ['a', { _id: 'a', lastSeq: 1 }],
      ['b', { _id: 'b', lastSeq: 2 }],
    ]);
  });
});

describe('firstDeliveries', () => {
  const delivery = (contactId: string, seq: number, first: boolean, deliveryCount = 1) => ({
    event: { workspaceId: 'ws', contactId, first },
    seq,
    redelivered: deliveryCount > 1,
    deliveryCount,
  });

  it("names the contacts whose batch starts with their producer's first event, delivered once", () => {
    const byContact = new Map([
      ['ws:new', [delivery('new', 1, true), delivery('new', 3, false)]],
      ['ws:old', [delivery('old', 2, false), delivery('old', 4, true)]],
      ['ws:again', [delivery('again', 5, true, 2)]],
    ]);
    expect(firstDeliveries(byContact, (event) => event.first)).toEqual(new Set(['ws:new']));
  });
});
