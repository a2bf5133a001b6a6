// On a real MongoDB, every filter and sort of Query.contacts is served by an index (no
// collection scan; no in-memory sort where the index order is the list's order). Runs only
// where a mongod exists (MONGOMS_SYSTEM_BINARY, or MONGO_URL at a MongoDB): FerretDB v1 answers
// explain() with its PostgreSQL plan and never uses these indexes (every query is a full scan
// there, FERRETDB.md §2), so there is nothing of them to check; README gives its timings instead.
import { connectDatabase, type Database } from '@cei/mongo';
import { testNamespace } from '@cei/testing';
import { lifecycleModels, type LifecycleModels } from '../models';
import { listQuery, type ContactListArgs } from './contact-list';

const database = process.env.CEI_TEST_DATABASE ?? '';
const onFerretDB = database.startsWith('ferretdb');
const describeOnMongoDB = onFerretDB ? describe.skip : describe;
if (onFerretDB) {
  process.stderr.write(
    `[contact-list-indexes] skipped: the test database is ${database}, which never uses secondary indexes; ` +
      'set MONGOMS_SYSTEM_BINARY to a mongod to run it\n',
  );
}

interface PlanStage {
  stage: string;
  inputStage?: PlanStage;
  inputStages?: PlanStage[];
}
const stagesOf = (plan: PlanStage): string[] => [
  plan.stage,
  ...[plan.inputStage, ...(plan.inputStages ?? [])].flatMap((s) => (s ? stagesOf(s) : [])),
];

describeOnMongoDB('contact lists on MongoDB: served by indexes', () => {
  let db: Database;
  let models: LifecycleModels;
  const ws = 'explain-ws';

  beforeAll(async () => {
    db = await connectDatabase(process.env.MONGO_URL!, testNamespace('list_indexes'), 2);
    models = lifecycleModels(db);
    await models.ContactLifecycle.init();
    const phases = ['NURTURE', 'PURCHASE', 'RETENTION', 'EXIT'] as const;
    await models.ContactLifecycle.insertMany(
      Array.from({ length: 2000 }, (_, i) => ({
        _id: `${i % 4 === 0 ? 'other' : ws}:c${i}`,
        workspaceId: i % 4 === 0 ? 'other' : ws,
        contactId: `c${i}`,
        phase: phases[i % 4]!,
        half: i % 4 < 2 ? ('PROSPECT' as const) : ('CUSTOMER' as const),
        score: i % 97,
        engagementIndex: (i % 97) / 2,
        tags: i % 3 === 0 ? { shoes: i % 11 } : { hats: 1 },
        lastInteractionAt: i % 5 === 0 ? null : new Date(1_764_000_000_000 + i * 60_000),
        qualification: (['NONE', 'MQL', 'SAL', 'SQL', 'NURTURE'] as const)[i % 5]!,
        ownerId: i % 7 === 0 ? null : `o${i % 7}`,
        startedAt: new Date(1_764_000_000_000 + i * 1000),
        history: JSON.stringify({ transitions: [] }),
        transitionCount: 0,
        lastSeq: 1,
        updatedAt: new Date(),
      })),
    );
  });
  afterAll(async () => {
    await db?.connection.dropDatabase();
    await db?.close();
  });

  async function stages(args: ContactListArgs): Promise<string[]> {
    const { filter, order, size } = listQuery(ws, args);
    const explained = (await models.ContactLifecycle.find(filter)
      .sort(order)
      .limit(size + 1)
      .explain('queryPlanner')) as unknown as
      | { queryPlanner: { winningPlan: PlanStage & { queryPlan?: PlanStage } } }
      | { queryPlanner: { winningPlan: PlanStage & { queryPlan?: PlanStage } } }[];
    const plan = (Array.isArray(explained) ? explained[0]! : explained).queryPlanner.winningPlan;
    return stagesOf(plan.queryPlan ?? plan);
  }

  const sorts = ['SCORE', 'ENGAGEMENT_INDEX', 'LAST_INTERACTION'] as const;
  const filters: Record<string, ContactListArgs['filter']> = {
    none: {},
    phase: { phases: ['PURCHASE'] },
    phases: { phases: ['NURTURE', 'EXIT'] },
    half: { half: 'CUSTOMER' },
    score: { scoreMin: 10, scoreMax: 40 },
    index: { engagementIndexMin: 5 },
    qualification: { qualifications: ['SAL'] },
    qualifications: { qualifications: ['MQL', 'NONE'] },
    owner: { ownerId: 'o3' },
    owned: { owned: true },
    unowned: { owned: false },
    lastInteraction: {
      lastInteractionAfter: new Date(1_764_000_000_000),
      lastInteractionBefore: new Date(1_800_000_000_000),
    },
  };

  for (const field of sorts) {
    for (const [name, filter] of Object.entries(filters)) {
      for (const direction of ['DESC', 'ASC'] as const) {
        it(`filter ${name}, sort ${field} ${direction}: an index scan in the list's order`, async () => {
          const used = await stages({ filter, sort: { field, direction } });
          expect(used).not.toContain('COLLSCAN');
          expect(used).toContain('IXSCAN');
          // The phase-, qualification-, owner- and workspace-led indexes hold the list's order: nothing sorted in memory.
          if (['none', 'phase', 'phases', 'half', 'qualification', 'owner'].includes(name)) {
            expect(used).not.toContain('SORT');
          }
        });
      }
    }
    it(`filter by tag and tag score, sort ${field}: an index scan, no collection scan`, async () => {
      for (const filter of [{ tag: 'shoes' }, { tag: 'shoes', tagScoreMin: 3, tagScoreMax: 8 }]) {
        const used = await stages({ filter, sort: { field } });
        expect(used).not.toContain('COLLSCAN');
        expect(used).toContain('IXSCAN');
      }
    });
  }

  it('a page after a cursor is an index scan too', async () => {
    const { filter, order } = listQuery(ws, { first: 5 });
    const [last] = await models.ContactLifecycle.find(filter).sort(order).skip(4).limit(1).lean().exec();
    expect(last).toBeDefined();
    const { encodeCursor } = await import('./cursor');
    const after = encodeCursor({ key: 'score', direction: -1 }, { value: last!.score, id: last!._id });
    const used = await stages({ first: 5, after });
    expect(used).not.toContain('COLLSCAN');
  });
});
