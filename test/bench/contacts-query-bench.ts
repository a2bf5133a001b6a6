// What a contact list costs the database: Query.contacts' own queries (listQuery: the filter,
// sort and page size the resolver runs) and the per-phase counts of phaseDistribution, against
// lifecycle's contact documents at growing sizes, with the indexes the model declares. On
// FerretDB v1 each is a scan of the collection (FERRETDB.md §2), so the figure that travels is
// the scan rate as a ratio to the same run's raw insertMany rate.
import { PHASES } from '@cei/contracts';
import { connectDatabase } from '@cei/mongo';
import { MongoClient, type Document, type Filter, type Sort } from 'mongodb';
import { listQuery, type ContactListArgs } from '@cei/lifecycle/src/lists/contact-list';
import { encodeCursor } from '@cei/lifecycle/src/lists/cursor';
import { lifecycleModels, lifecycleRow, type ContactLifecycleDoc } from '@cei/lifecycle/src/models';
import { noSales } from '@cei/lifecycle/src/domain/qualification';
import { measureRawInsertMany } from './db-lookups-bench';

export interface ContactsQueryBenchOptions {
  mongoUrl: string;
  dbName: string;
  /** Contacts in the workspace at each measurement, ascending; the collection grows from one to the next. */
  contacts: number[];
  /** Runs of each query per size (the median is reported). */
  repeats: number;
  /** The run's raw insertMany rate (docs/s); measured here on `mongoUrl` when not given. */
  rawInsertManyDocsPerSecond?: number;
  progress?: (message: string) => void;
}

const WS = 'bench-ws';
const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const TAGS = ['shoes', 'hats', 'bags', 'socks', 'belts'];

/** The lists a front end asks for first: the default page, filtered pages, a later page. */
const QUERIES: Record<string, ContactListArgs> = {
  firstPage: { first: 50 },
  filteredFirstPage: { first: 50, filter: { phases: ['PURCHASE'], scoreMin: 40, tag: 'shoes', tagScoreMin: 5 } },
  customersByLastInteraction: {
    first: 50,
    filter: { half: 'CUSTOMER', lastInteractionBefore: new Date(T0 + 200 * DAY) },
    sort: { field: 'LAST_INTERACTION', direction: 'ASC' },
  },
};

/** A contact as lifecycle keeps it: a few transitions, a few tag scores. */
function contact(i: number): ContactLifecycleDoc {
  const phase = PHASES[i % 4]!;
  const startedAt = new Date(T0 + (i % 300) * DAY);
  const transitions = Array.from({ length: i % 4 }, (_, k) => ({
    n: k + 1,
    from: PHASES[k]!,
    to: PHASES[k + 1]!,
    half: k + 1 < 2 ? ('PROSPECT' as const) : ('CUSTOMER' as const),
    seq: i * 10 + k,
    at: new Date(startedAt.getTime() + (k + 1) * DAY),
    reason: 'score 55 reached the purchase threshold 50',
    score: 55,
    cause: 'INTERACTION' as const,
    interactionId: `i${i}-${k}`,
  })).reverse();
  return {
    _id: `${WS}:c${i}`,
    workspaceId: WS,
    contactId: `c${i}`,
    phase,
    half: i % 4 < 2 ? 'PROSPECT' : 'CUSTOMER',
    score: (i * 37) % 100,
    engagementIndex: Math.round((1 - Math.exp(-((i * 37) % 100) / 100)) * 1000) / 10,
    tags: Object.fromEntries(TAGS.filter((_, t) => (i + t) % 3 === 0).map((tag, t) => [tag, (i + t) % 12])),
    lastInteractionAt: new Date(T0 + (i % 365) * DAY),
    startedAt,
    customerEnteredAt: null,
    msInPhases: { NURTURE: DAY, PURCHASE: 0, RETENTION: 0, EXIT: 0 },
    transitionCount: transitions.length,
    archivedThrough: 0,
    transitions,
    lastSeq: i + 1,
    updatedAt: new Date(),
    qualification: (i * 37) % 100 >= 40 ? 'MQL' : 'NONE',
    ownerId: i % 5 === 0 ? `owner${i % 3}` : null,
    sales: noSales(),
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

export async function measureContactsQuery(opts: ContactsQueryBenchOptions) {
  const progress = opts.progress ?? (() => {});
  let raw = opts.rawInsertManyDocsPerSecond;
  if (raw === undefined) {
    progress('contacts: raw insertMany baseline…');
    const client = await new MongoClient(opts.mongoUrl, { maxPoolSize: 8 }).connect();
    try {
      raw = await measureRawInsertMany(client, opts.dbName);
    } finally {
      await client.close();
    }
  }
  // The model builds the collection and its indexes as lifecycle does; the queries go through a client
  // that waits as long as they take (the services give up after 15 s: SOCKET_TIMEOUT_MS in @cei/mongo).
  const db = await connectDatabase(opts.mongoUrl, opts.dbName);
  const models = lifecycleModels(db);
  const client = await new MongoClient(opts.mongoUrl, { maxPoolSize: 8, socketTimeoutMS: 600_000 }).connect();
  try {
    await models.ContactLifecycle.init();
    const collection = client.db(opts.dbName).collection<Document>(models.ContactLifecycle.collection.collectionName);
    const page = (args: ContactListArgs, skip = 0, limit?: number) => {
      const { filter, order, size } = listQuery(WS, args);
      return collection
        .find(filter as Filter<Document>)
        .sort(order as Sort)
        .skip(skip)
        .limit(limit ?? size + 1)
        .toArray();
    };
    const sizes = [];
    let stored = 0;
    for (const target of opts.contacts) {
      progress(`contacts: growing the workspace to ${target} contacts…`);
      for (; stored < target; stored += 1000) {
        // As lifecycle stores them (its rows).
        const batch = Array.from({ length: Math.min(1000, target - stored) }, (_, j) =>
          lifecycleRow(contact(stored + j)),
        );
        await collection.insertMany(batch as unknown as Document[], { ordered: false });
      }
      const queries: Record<string, { medianMs: number; rows: number; scanRatioToRawInsertMany: number }> = {};
      const time = async (name: string, run: () => Promise<number>) => {
        progress(`contacts: ${name} at ${target}, ${opts.repeats}×…`);
        const ms: number[] = [];
        let rows = 0;
        for (let r = 0; r < opts.repeats; r++) {
          const started = performance.now();
          rows = await run();
          ms.push(performance.now() - started);
        }
        const medianMs = median(ms);
        // The collection read per second, against the rate the same server appends at.
        queries[name] = {
          medianMs: round(medianMs),
          rows,
          scanRatioToRawInsertMany: round(target / (medianMs / 1000) / raw!, 3),
        };
      };
      for (const [name, args] of Object.entries(QUERIES)) {
        await time(name, async () => (await page(args)).length);
      }
      // A later page: after the cursor of the first page's last contact.
      const [last] = await page({ first: 50 }, 49, 1);
      const after = encodeCursor(
        { key: 'score', direction: -1 },
        { value: last!.score as number, id: String(last!._id) },
      );
      await time('secondPage', async () => (await page({ first: 50, after })).length);
      await time('phaseCounts', async () => {
        const counts = await Promise.all(PHASES.map((phase) => collection.countDocuments({ workspaceId: WS, phase })));
        return counts.reduce((a, b) => a + b, 0);
      });
      sizes.push({ contacts: target, queries });
    }
    await collection.drop();
    return { rawInsertManyDocsPerSecond: raw, database: db.isFerretDB ? 'ferretdb' : 'mongodb', sizes };
  } finally {
    await client.close();
    await db.close();
  }
}
