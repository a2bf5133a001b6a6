// A contact's lifecycle document as stored (ContactLifecycleRow): the fields lists filter and
// sort on stay fields, the nested history is one string, and what is read back is the document
// that was written, times as times; a document written before rows existed reads as it is.
// Against the real database of the jest global setup.
import { connectDatabase, writeAtPosition, type Database } from '@cei/mongo';
import { testNamespace } from '@cei/testing';
import { noSales } from '../domain/qualification';
import { lifecycleDoc, lifecycleModels, lifecycleRow, type ContactLifecycleDoc, type LifecycleModels } from './index';

const at = (iso: string) => new Date(iso);

function contact(id: string): ContactLifecycleDoc {
  return {
    _id: `ws:${id}`,
    workspaceId: 'ws',
    contactId: id,
    phase: 'PURCHASE',
    half: 'PROSPECT',
    score: 40,
    engagementIndex: 33,
    tags: { shoes: 5 },
    lastInteractionAt: at('2026-05-01T10:00:00Z'),
    startedAt: at('2026-05-01T09:00:00Z'),
    customerEnteredAt: null,
    msInPhases: { NURTURE: 3_600_000, PURCHASE: 0, RETENTION: 0, EXIT: 0 },
    transitionCount: 1,
    archivedThrough: 0,
    transitions: [
      {
        n: 1,
        from: 'NURTURE',
        to: 'PURCHASE',
        half: 'PROSPECT',
        seq: 7,
        at: at('2026-05-01T10:00:00Z'),
        reason: 'score 40 reached the purchase threshold 40',
        score: 40,
        cause: 'INTERACTION',
        interactionId: 'i7',
        rule: 'SCORE',
      },
    ],
    stage: 8,
    likelihoods: { churn: 0.03, purchase: 0.76 },
    cancelledAt: null,
    phaseCheckAt: null,
    reevaluations: [{ jobId: 'job1', seq: 9, transitioned: true }],
    lastSeq: 9,
    updatedAt: at('2026-05-01T10:00:01Z'),
    qualification: 'MQL',
    ownerId: 'o1',
    sales: {
      ...noSales(),
      // A property named like a time field is a property: it stays a string.
      properties: { at: 'the booth' },
      stepCount: 1,
      steps: [
        {
          n: 1,
          action: 'MARKETING_QUALIFY',
          from: 'NONE',
          to: 'MQL',
          at: at('2026-05-01T10:00:00Z'),
          actor: null,
          reason: 'score reached the MQL threshold',
          seq: 7,
        },
      ],
      assignmentCount: 1,
      assignments: [
        {
          n: 1,
          ownerId: 'o1',
          previousOwnerId: null,
          teamId: null,
          method: 'MANUAL',
          actor: 'admin-key',
          at: at('2026-05-01T10:05:00Z'),
          seq: 8,
        },
      ],
    },
  };
}

describe('the lifecycle row', () => {
  let db: Database;
  let models: LifecycleModels;

  beforeAll(async () => {
    db = await connectDatabase(process.env.MONGO_URL!, `${testNamespace('lrow')}_lifecycle`);
    models = lifecycleModels(db);
  });
  afterAll(async () => {
    await db.connection.db?.dropDatabase();
    await db.close();
  });

  it('stores the history as one string beside the list fields, and reads back the document written', async () => {
    const doc = contact('ana');
    await writeAtPosition(db, models.ContactLifecycle, lifecycleRow(doc), 0);

    const stored = await db.connection.collection('contact_lifecycles').findOne({ _id: 'ws:ana' as never });
    expect(stored).not.toHaveProperty('transitions');
    expect(stored).toMatchObject({
      phase: 'PURCHASE',
      score: 40,
      tags: { shoes: 5 },
      qualification: 'MQL',
      ownerId: 'o1',
    });
    expect(stored).not.toHaveProperty('sales');
    expect(typeof stored!.history).toBe('string');

    const read = lifecycleDoc((await models.ContactLifecycle.findById('ws:ana').lean().exec())!);
    expect(read).toEqual(doc);
    expect(read.transitions[0]!.at).toBeInstanceOf(Date);
    expect(read.sales.assignments[0]!.at).toBeInstanceOf(Date);
  });

  it('reads a document written before rows, its history in fields, as it is', async () => {
    const { _id, ...legacy } = contact('ole');
    await db.connection.collection('contact_lifecycles').insertOne({ _id, ...legacy } as never);
    const read = lifecycleDoc((await models.ContactLifecycle.findById('ws:ole').lean().exec())!);
    expect(read).toEqual(contact('ole'));
  });
});
