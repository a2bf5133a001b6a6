// replaceAtPosition against the real database of the jest global setup (FerretDB on
// PostgreSQL here): the fence holds on FerretDB v1 as on MongoDB.
import { Schema, type Model } from 'mongoose';
import { testNamespace } from '@cei/testing';
import { connectDatabase, type Database } from './connection';
import { replaceAtPosition, StaleStateError } from './positioned-write';

interface StateDoc {
  _id: string;
  lastSeq: number;
  value: string;
}

describe('replaceAtPosition', () => {
  let db: Database;
  const model = (): Model<StateDoc> =>
    (db.connection.models.State as Model<StateDoc> | undefined) ??
    db.connection.model<StateDoc>(
      'State',
      new Schema<StateDoc>({ _id: String, lastSeq: Number, value: String }, { versionKey: false }),
      'states',
    );

  beforeAll(async () => {
    db = await connectDatabase(process.env.MONGO_URL!, `${testNamespace('fence')}_mongo`);
  });
  afterAll(async () => {
    await db.connection.db?.dropDatabase();
    await db.close();
  });

  const stored = async (id: string) => model().findById(id).lean<StateDoc>().exec();

  it('creates a document at position 0 and moves it forward from the position it is at', async () => {
    await replaceAtPosition(model(), { _id: 'c1', lastSeq: 5, value: 'first' }, 0);
    await replaceAtPosition(model(), { _id: 'c1', lastSeq: 9, value: 'second' }, 5);
    expect(await stored('c1')).toEqual({ _id: 'c1', lastSeq: 9, value: 'second' });
  });

  it('writes nothing and throws StaleStateError when the document is not at the expected position', async () => {
    await replaceAtPosition(model(), { _id: 'c2', lastSeq: 7, value: 'by the owner' }, 0);
    // A writer that remembers an older position
    await expect(replaceAtPosition(model(), { _id: 'c2', lastSeq: 8, value: 'stale' }, 3)).rejects.toThrow(
      StaleStateError,
    );
    // One that thinks the document does not exist yet
    await expect(replaceAtPosition(model(), { _id: 'c2', lastSeq: 8, value: 'stale' }, 0)).rejects.toThrow(
      /no longer at stream position 0/,
    );
    expect(await stored('c2')).toEqual({ _id: 'c2', lastSeq: 7, value: 'by the owner' });
  });
});
