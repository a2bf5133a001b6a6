// What a state update costs the database by itself: read a ~3 KB document by `_id`, then replace it —
// what every consumer does per contact — as the collection grows, against the raw insertMany rate of
// the same server. Through the plain driver, so that only the database is measured.
import { MongoClient, type Collection } from 'mongodb';

export interface LookupBenchSizes {
  /** Collection sizes to measure at, ascending; the collection grows from one to the next. */
  documents: number[];
  /** Sequential reads, and sequential read+replace pairs, per size. */
  sequentialOps: number;
  /** read+replace pairs per size, 8 at a time (the driver pool of a service). */
  parallelOps: number;
}

export const RAW_INSERT_DOCS = 20_000;
const PARALLEL = 8;

interface StateDoc {
  _id: string;
  workspaceId: string;
  contactId: string;
  n: number;
  /** The state as one JSON string, as scoring stores it: ~3 KB, compressible like real state. */
  state: string;
}

const stateOf = (i: number, n: number) =>
  JSON.stringify({
    n,
    history: Array.from({ length: 36 }, (_, k) => ({
      at: 1_764_000_000_000 + k * 3_600_000 + i,
      kind: ['PAGE_VISIT', 'LINK_CLICK', 'EMAIL_OPEN', 'PURCHASE'][k % 4],
      points: (i * 31 + k * 7) % 17,
      id: `i${i}-${k}`,
    })),
  });

const perSecond = (count: number, ms: number) => Math.round((count / ms) * 1000);
const msEach = (count: number, ms: number) => Math.round((ms / count) * 100) / 100;
const ratio = (a: number, b: number) => Math.round((a / b) * 1000) / 1000;

/** The same insertMany baseline as `pnpm bench`: 20k small documents in batches of 1000. */
export async function measureRawInsertMany(client: MongoClient, dbName: string): Promise<number> {
  const collection = client.db(dbName).collection<{ _id: string }>('raw');
  const docs = Array.from({ length: RAW_INSERT_DOCS }, (_, i) => ({
    _id: `ws:${i}`,
    workspaceId: 'ws',
    contactId: `c${i % 500}`,
    kind: 'PAGE_VISIT',
    occurredAt: new Date(),
    properties: { url: '/pricing' },
  }));
  const started = performance.now();
  for (let i = 0; i < docs.length; i += 1000) await collection.insertMany(docs.slice(i, i + 1000), { ordered: false });
  const rate = perSecond(docs.length, performance.now() - started);
  await collection.drop();
  return rate;
}

export async function measureLookups(
  client: MongoClient,
  dbName: string,
  sizes: LookupBenchSizes,
  rawInsertManyDocsPerSecond: number,
  progress: (message: string) => void,
) {
  const collection = client.db(dbName).collection<StateDoc>('contact_states');
  const results = [];
  let stored = 0;
  for (const target of sizes.documents) {
    progress(`lookups: growing the collection to ${target} documents of ~3 KB…`);
    const insertStarted = performance.now();
    for (; stored < target; stored += 1000) {
      const batch = Array.from({ length: Math.min(1000, target - stored) }, (_, j) => document(stored + j, 0));
      await collection.insertMany(batch, { ordered: false });
    }
    const insertDocsPerSecond = perSecond(target - (results.at(-1)?.documents ?? 0), performance.now() - insertStarted);

    progress(`lookups: ${sizes.sequentialOps} findOne, then read+replace, by _id at ${target}…`);
    const ids = spread(target, sizes.sequentialOps);
    let started = performance.now();
    for (const i of ids) await collection.findOne({ _id: key(i) });
    const findOneMs = msEach(ids.length, performance.now() - started);
    started = performance.now();
    for (const i of ids) await readAndReplace(collection, i);
    const readReplaceMs = msEach(ids.length, performance.now() - started);

    const parallelIds = spread(target, sizes.parallelOps);
    let next = 0;
    started = performance.now();
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < parallelIds.length) await readAndReplace(collection, parallelIds[next++]!);
      }),
    );
    const parallelPerSecond = perSecond(parallelIds.length, performance.now() - started);
    results.push({
      documents: target,
      insertManyDocsPerSecond: insertDocsPerSecond,
      findOneByIdMs: findOneMs,
      readReplaceByIdMs: readReplaceMs,
      readReplaceByIdPerSecond8Parallel: parallelPerSecond,
      readReplaceRatioToRawInsertMany: ratio(parallelPerSecond, rawInsertManyDocsPerSecond),
    });
  }
  await collection.drop();
  return results;
}

const key = (i: number) => `ws:c${i}`;
const document = (i: number, n: number): StateDoc => ({
  _id: key(i),
  workspaceId: 'ws',
  contactId: `c${i}`,
  n,
  state: stateOf(i, n),
});

/** `count` ids spread over the whole collection, in a scattered order (not the table's order). */
function spread(size: number, count: number): number[] {
  return Array.from({ length: count }, (_, k) => (k * 7919) % size);
}

async function readAndReplace(collection: Collection<StateDoc>, i: number): Promise<void> {
  const current = await collection.findOne({ _id: key(i) });
  if (!current) throw new Error(`document ${key(i)} is missing`);
  const { acknowledged, matchedCount } = await collection.replaceOne({ _id: key(i) }, document(i, current.n + 1));
  if (!acknowledged || matchedCount !== 1) throw new Error(`replace of ${key(i)} matched ${matchedCount}`);
}
