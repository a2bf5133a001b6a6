// deleteShared against the real database of the jest global setup (FerretDB on PostgreSQL here).
import { Schema, type Model } from 'mongoose';
import { testNamespace } from '@cei/testing';
import { connectDatabase, type Database } from './connection';
import { appendNew } from './append';
import { deleteShared } from './delete-shared';

interface EntryDoc {
  _id: string;
  note: string;
}

let db: Database;
const model = (): Model<EntryDoc> =>
  (db.connection.models.Entry as Model<EntryDoc> | undefined) ??
  db.connection.model<EntryDoc>(
    'Entry',
    new Schema<EntryDoc>({ _id: String, note: String }, { versionKey: false }),
    'entries',
  );
const ids = async () =>
  (await model().find({}, { _id: 1 }).lean<{ _id: string }[]>().exec()).map((doc) => doc._id).sort();

beforeAll(async () => {
  db = await connectDatabase(process.env.MONGO_URL!, `${testNamespace('deletes')}_mongo`);
});
afterAll(async () => {
  await db.connection.db?.dropDatabase();
  await db.close();
});
afterEach(() => jest.restoreAllMocks());

describe('deleteShared', () => {
  it('deletes the ids that arrive while a delete is under way in one command, and nothing else', async () => {
    await appendNew(
      model(),
      ['e1', 'e2', 'e3', 'e4', 'kept'].map((_id) => ({ _id, note: 'entry' })),
    );
    const deleteOne = jest.spyOn(model().collection, 'deleteOne');
    const deleteMany = jest.spyOn(model().collection, 'deleteMany');

    // When five deletes arrive together: one id twice, and one that is not there
    await Promise.all(['e1', 'e2', 'e3', 'e3', 'absent'].map((id) => deleteShared(model(), id)));

    // Then the first went alone, the four that came while it was under way in one command
    expect(deleteOne).toHaveBeenCalledTimes(1);
    expect(deleteMany).toHaveBeenCalledTimes(1);
    expect(deleteMany.mock.calls[0]![0]).toEqual({ _id: { $in: ['e2', 'e3', 'absent'] } });
    expect(await ids()).toEqual(['e4', 'kept']);

    // And a later delete, with the collection idle again, goes at once on its own
    await deleteShared(model(), 'e4');
    expect(deleteOne).toHaveBeenCalledTimes(2);
    expect(await ids()).toEqual(['kept']);
  });
});
