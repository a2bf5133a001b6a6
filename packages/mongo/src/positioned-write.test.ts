// writeAtPosition and appendShared against the real database of the jest global setup (FerretDB on
// PostgreSQL here): the fence holds on FerretDB v1 as on MongoDB.
import { Schema, type Model } from 'mongoose';
import pLimit from 'p-limit';
import { testNamespace } from '@cei/testing';
import { connectDatabase, type Database } from './connection';
import { appendNew } from './append';
import { appendShared, REPLACE_GROUP_MAX, StaleStateError, writeAtPosition } from './positioned-write';

interface StateDoc {
  _id: string;
  lastSeq: number;
  value: string;
  note?: string;
}

let db: Database;
const model = (): Model<StateDoc> =>
  (db.connection.models.State as Model<StateDoc> | undefined) ??
  db.connection.model<StateDoc>(
    'State',
    new Schema<StateDoc>({ _id: String, lastSeq: Number, value: String, note: String }, { versionKey: false }),
    'states',
  );
const stored = async (id: string) => model().findById(id).lean<StateDoc>().exec();

beforeAll(async () => {
  db = await connectDatabase(process.env.MONGO_URL!, `${testNamespace('fence')}_mongo`);
});
afterAll(async () => {
  await db.connection.db?.dropDatabase();
  await db.close();
});

describe('appendShared', () => {
  afterEach(() => jest.restoreAllMocks());

  it('inserts the appends that arrive together in one insert, each learning which of its own existed', async () => {
    await appendShared(db, model(), [{ _id: 's-b1', lastSeq: 1, value: 'there before' }]);
    const insertMany = jest.spyOn(model().collection, 'insertMany');

    const [a, b, c] = await Promise.all([
      appendShared(db, model(), [
        { _id: 's-a1', lastSeq: 1, value: 'a' },
        { _id: 's-a2', lastSeq: 1, value: 'a' },
      ]),
      appendShared(db, model(), [
        { _id: 's-b0', lastSeq: 1, value: 'b' },
        { _id: 's-b1', lastSeq: 1, value: 'b' },
      ]),
      // The same id as another caller of the same insert: the later one finds it there.
      appendShared(db, model(), [{ _id: 's-a2', lastSeq: 1, value: 'c' }]),
    ]);

    expect(insertMany).toHaveBeenCalledTimes(1);
    expect(insertMany.mock.calls[0]![0]).toHaveLength(5);
    expect([a, b, c]).toEqual([new Set(), new Set([1]), new Set([0])]);
    expect(await stored('s-b1')).toEqual({ _id: 's-b1', lastSeq: 1, value: 'there before' });
    expect(await stored('s-a2')).toEqual({ _id: 's-a2', lastSeq: 1, value: 'a' });
  });

  it('fails only the caller whose document the database refuses, not the others sharing its insert', async () => {
    const insertMany = jest.spyOn(model().collection, 'insertMany');
    // U+0000 in a string: PostgreSQL's jsonb cannot store it, and FerretDB v1 stops the whole insert
    // with an error naming no document, some of the others stored and some not. MongoDB stores it.
    const outcomes = await Promise.allSettled([
      appendShared(db, model(), [
        { _id: 'r-a1', lastSeq: 1, value: 'a' },
        { _id: 'r-a2', lastSeq: 1, value: 'a' },
      ]),
      appendShared(db, model(), [{ _id: 'r-b1', lastSeq: 1, value: 'b\u0000' }]),
      appendShared(db, model(), [{ _id: 'r-c1', lastSeq: 1, value: 'c' }]),
    ]);

    expect(insertMany.mock.calls[0]![0]).toHaveLength(4);
    expect(await model().countDocuments({ _id: { $in: ['r-a1', 'r-a2', 'r-c1'] } })).toBe(3);
    if (db.isFerretDB) {
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(await stored('r-b1')).toBeNull();
    } else {
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    }
  });
});

describe('appendNew', () => {
  it('fails, rather than answering stored, when the database refuses an insert without naming a document', async () => {
    // U+0000 in a string: MongoDB stores it; PostgreSQL's jsonb cannot, and FerretDB v1 then stops the
    // insert with a bulk error that names no document, after storing some of the chunk.
    const docs = [
      { _id: 'z1', lastSeq: 1, value: 'before' },
      { _id: 'z2', lastSeq: 1, value: 'a\u0000b' },
      { _id: 'z3', lastSeq: 1, value: 'after' },
    ];
    const outcome = appendNew(model(), docs);
    if (db.isFerretDB) {
      await expect(outcome).rejects.toThrow();
    } else {
      await expect(outcome).resolves.toEqual(new Set());
      expect(await model().countDocuments({ _id: { $in: ['z1', 'z2', 'z3'] } })).toBe(3);
    }
  });
});

describe('writeAtPosition', () => {
  afterEach(() => jest.restoreAllMocks());

  it('creates a document at position 0 and moves it forward from the position it is at', async () => {
    await writeAtPosition(db, model(), { _id: 'c1', lastSeq: 5, value: 'first' }, 0);
    await writeAtPosition(db, model(), { _id: 'c1', lastSeq: 9, value: 'second' }, 5);
    expect(await stored('c1')).toEqual({ _id: 'c1', lastSeq: 9, value: 'second' });
  });

  it('writes nothing and throws StaleStateError when the document is not at the expected position', async () => {
    await writeAtPosition(db, model(), { _id: 'c2', lastSeq: 7, value: 'by the owner' }, 0);
    // A writer that remembers an older position
    await expect(writeAtPosition(db, model(), { _id: 'c2', lastSeq: 8, value: 'stale' }, 3)).rejects.toThrow(
      StaleStateError,
    );
    // One that thinks the document does not exist yet
    await expect(writeAtPosition(db, model(), { _id: 'c2', lastSeq: 8, value: 'stale' }, 0)).rejects.toThrow(
      /no longer at stream position 0/,
    );
    expect(await stored('c2')).toEqual({ _id: 'c2', lastSeq: 7, value: 'by the owner' });
  });

  it('inserts creations that arrive together in one insert, each learning its own outcome', async () => {
    await writeAtPosition(db, model(), { _id: 'g03', lastSeq: 4, value: 'there before' }, 0);
    const collection = model().collection;
    const insertMany = jest.spyOn(collection, 'insertMany');
    const insertOne = jest.spyOn(collection, 'insertOne');

    const ids = Array.from({ length: 20 }, (_, i) => `g${String(i).padStart(2, '0')}`);
    const outcomes = await Promise.allSettled(
      ids.map((id) => writeAtPosition(db, model(), { _id: id, lastSeq: 1, value: 'created' }, 0)),
    );

    expect(insertOne).not.toHaveBeenCalled();
    expect(insertMany).toHaveBeenCalledTimes(1);
    expect(insertMany.mock.calls[0]![0]).toHaveLength(20);
    // The one that existed is refused, alone; the others are written.
    outcomes.forEach((outcome, i) => {
      if (ids[i] === 'g03') {
        expect(outcome.status).toBe('rejected');
        expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(StaleStateError);
      } else {
        expect(outcome.status).toBe('fulfilled');
      }
    });
    expect(await stored('g03')).toEqual({ _id: 'g03', lastSeq: 4, value: 'there before' });
    expect(await model().countDocuments({ value: 'created' })).toBe(19);
  });

  it('replaces the documents that arrive together in one update command, each fenced on its own', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `u${String(i).padStart(2, '0')}`);
    await Promise.all(ids.map((id) => writeAtPosition(db, model(), { _id: id, lastSeq: 2, value: 'first' }, 0)));
    const bulkWrite = jest.spyOn(model().collection, 'bulkWrite');
    const replaceOne = jest.spyOn(model().collection, 'replaceOne');

    // u07's writer remembers an older position than the stored one.
    const outcomes = await Promise.allSettled(
      ids.map((id) => writeAtPosition(db, model(), { _id: id, lastSeq: 5, value: 'second' }, id === 'u07' ? 1 : 2)),
    );

    expect(replaceOne).not.toHaveBeenCalled();
    expect(bulkWrite).toHaveBeenCalledTimes(1);
    expect(bulkWrite.mock.calls[0]![0]).toHaveLength(20);
    outcomes.forEach((outcome, i) => {
      if (ids[i] === 'u07') {
        expect(outcome.status).toBe('rejected');
        expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(StaleStateError);
      } else {
        expect(outcome.status).toBe('fulfilled');
      }
    });
    expect(await stored('u07')).toEqual({ _id: 'u07', lastSeq: 2, value: 'first' });
    expect(await model().countDocuments({ _id: { $in: ids }, lastSeq: 5, value: 'second' })).toBe(19);
  });

  it('fails only the write the database refuses, not the others of its command', async () => {
    const ids = ['x0', 'x1', 'x2'];
    await Promise.all(ids.map((id) => writeAtPosition(db, model(), { _id: id, lastSeq: 1, value: 'first' }, 0)));
    const bulkWrite = jest.spyOn(model().collection, 'bulkWrite');

    // x1's new document has a field no database stores (an empty name). FerretDB v1 stops the whole
    // command at such a statement and names the command's first statement as the one refused.
    const refused = { _id: 'x1', lastSeq: 2, value: 'refused', '': 'no name' } as StateDoc;
    const outcomes = await Promise.allSettled(
      ids.map((id) =>
        writeAtPosition(db, model(), id === 'x1' ? refused : { _id: id, lastSeq: 2, value: 'second' }, 1),
      ),
    );

    expect(bulkWrite.mock.calls[0]![0]).toHaveLength(3);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const reason = (outcomes[1] as PromiseRejectedResult).reason as Error;
    expect(reason).not.toBeInstanceOf(StaleStateError);
    expect(reason.message).toMatch(/empty field name/);
    expect(await stored('x0')).toEqual({ _id: 'x0', lastSeq: 2, value: 'second' });
    expect(await stored('x1')).toEqual({ _id: 'x1', lastSeq: 1, value: 'first' });
    expect(await stored('x2')).toEqual({ _id: 'x2', lastSeq: 2, value: 'second' });
  });

  it('leaves out of the stored document what the new one leaves out, as a replacement does', async () => {
    await writeAtPosition(db, model(), { _id: 'n1', lastSeq: 1, value: 'first', note: 'kept until replaced' }, 0);
    await writeAtPosition(db, model(), { _id: 'n1', lastSeq: 2, value: 'second' }, 1);
    expect(await stored('n1')).toEqual({ _id: 'n1', lastSeq: 2, value: 'second' });
  });

  it('goes through with more replacements at once than FerretDB has connections to PostgreSQL', async () => {
    // FerretDB v1 hangs for good on update commands that hold more matched single-document
    // statements than its pool has connections (150 here: servers.ts), all commands together
    // (../shared/FERRETDB.md §4). 400 at once are two commands of 100 under way, then two more.
    const ids = Array.from({ length: 400 }, (_, i) => `p${i}`);
    await Promise.all(ids.map((id) => writeAtPosition(db, model(), { _id: id, lastSeq: 1, value: 'first' }, 0)));
    const bulkWrite = jest.spyOn(model().collection, 'bulkWrite');

    await Promise.all(ids.map((id) => writeAtPosition(db, model(), { _id: id, lastSeq: 2, value: 'second' }, 1)));

    expect(Math.max(...bulkWrite.mock.calls.map(([operations]) => operations.length))).toBe(REPLACE_GROUP_MAX);
    expect(await model().countDocuments({ _id: { $in: ids }, lastSeq: 2 })).toBe(400);
  });

  it('does not write a creation whose batch was abandoned before its insert started', async () => {
    // A database limit of one turn, held by another operation until released.
    const limit = pLimit(1);
    let release!: () => void;
    const held = limit(() => new Promise<void>((resolve) => (release = resolve)));
    await new Promise((resolve) => setImmediate(resolve)); // the holder has its turn
    const abandonment = new AbortController();

    const creation = writeAtPosition(
      { limit: (operation) => limit(operation) },
      model(),
      { _id: 'a1', lastSeq: 1, value: 'abandoned' },
      0,
      abandonment.signal,
    );
    const refused = expect(creation).rejects.toThrow('the batch was abandoned');
    abandonment.abort(new Error('the batch was abandoned'));
    release();
    await held;
    await refused;
    // A later creation of the collection goes through, and the abandoned one was never written.
    await writeAtPosition(db, model(), { _id: 'a2', lastSeq: 1, value: 'after' }, 0);
    expect(await stored('a2')).toEqual({ _id: 'a2', lastSeq: 1, value: 'after' });
    expect(await stored('a1')).toBeNull();
  });
});
