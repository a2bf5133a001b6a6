// Which contact an id stands for, against the real database of the jest global setup: the merge
// marker's reads are shared by the calls that arrive together, and a call never takes the answer
// of a read that started before it (a merge that ended before the call began is always seen).
import { connectDatabase, type Database } from '@cei/mongo';
import { contactKey } from '@cei/contracts';
import { testNamespace } from '@cei/testing';
import { ingestionModels, type IngestionModels } from '../models';
import { createContactAliases } from './contact-aliases';

describe('contact aliases', () => {
  let db: Database;
  let models: IngestionModels;

  beforeAll(async () => {
    db = await connectDatabase(process.env.MONGO_URL!, `${testNamespace('aliases')}_ingestion`);
    models = ingestionModels(db.connection);
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await db.connection.db?.dropDatabase();
    await db.close();
  });

  /** Counts the merge marker's reads while `run` runs (each read still goes to the database). */
  async function countingMarkerReads<T>(run: () => Promise<T>): Promise<{ result: T; reads: number }> {
    const findById = jest.spyOn(models.MergeMarker, 'findById');
    try {
      return { result: await run(), reads: findById.mock.calls.length };
    } finally {
      findById.mockRestore();
    }
  }

  /** What another instance's merge stores: the workspace's marker, then the alias. */
  async function mergedElsewhere(workspaceId: string, from: string, into: string) {
    const now = new Date();
    await models.MergeMarker.create({ _id: workspaceId, createdAt: now });
    await models.ContactAlias.create({ _id: contactKey(workspaceId, from), workspaceId, from, into, mergedAt: now });
  }

  it('reads the marker once per round trip for a burst of calls, not once per call', async () => {
    const aliases = createContactAliases(db, models);
    const { result, reads } = await countingMarkerReads(() =>
      Promise.all(Array.from({ length: 30 }, (_, n) => aliases.survivorsOf('ws-burst', [`c${n}`]))),
    );

    // The first call reads at once; the 29 that arrive while it is under way share the next read.
    expect(reads).toBe(2);
    expect(result.every((survivors) => survivors.size === 0)).toBe(true);
  });

  it('sees a merge that ended before the call began, though a read from before the merge was still under way', async () => {
    // Given a read of the marker that ran before the merge and answers only after it (its answer held back)
    const aliases = createContactAliases(db, models);
    const findById = models.MergeMarker.findById.bind(models.MergeMarker);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let readDone!: () => void;
    const readRan = new Promise<void>((resolve) => (readDone = resolve));
    jest.spyOn(models.MergeMarker, 'findById').mockImplementationOnce(((id: string) => {
      const answer = findById(id).lean().exec();
      void answer.then(() => readDone());
      return { lean: () => ({ exec: () => answer.then(async (marker) => (await held, marker)) }) };
    }) as unknown as typeof models.MergeMarker.findById);
    const before = aliases.survivorsOf('ws-race', ['ann']);
    await readRan;

    // When another instance merges ann into bob, and only then a call for ann arrives
    await mergedElsewhere('ws-race', 'ann', 'bob');
    const after = aliases.survivorsOf('ws-race', ['ann']);
    release();

    // Then the later call is bob's: it did not take the answer of the read that began before the merge
    expect(await after).toEqual(new Map([['ann', 'bob']]));
    // (the earlier call began before the merge ended: either answer is right for it)
    expect([0, 1]).toContain((await before).size);
  });

  it('remembers a workspace with merges: no marker read after the first that found it', async () => {
    const aliases = createContactAliases(db, models);
    await mergedElsewhere('ws-marked', 'cat', 'dan');
    expect(await aliases.survivorsOf('ws-marked', ['cat', 'eve'])).toEqual(new Map([['cat', 'dan']]));

    const { result, reads } = await countingMarkerReads(() => aliases.survivorsOf('ws-marked', ['cat']));
    expect(reads).toBe(0);
    expect(result).toEqual(new Map([['cat', 'dan']]));
  });
});
