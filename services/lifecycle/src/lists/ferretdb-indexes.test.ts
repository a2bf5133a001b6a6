// On FerretDB the contact-list indexes are left out (see models/contact-list-indexes.ts): FerretDB
// v1 answers every list by a scan, and PostgreSQL wrote each of them on every write of a contact.
// A database an earlier version built them in has them dropped when lifecycle starts.
import { databaseName } from '@cei/config';
import { connectDatabase, type Database } from '@cei/mongo';
import { serviceEnv, testNamespace } from '@cei/testing';
import { loadLifecycleConfig } from '../config';
import { startLifecycle, type Lifecycle } from '../server';

const onFerretDB = (process.env.CEI_TEST_DATABASE ?? '').startsWith('ferretdb');
const describeOnFerretDB = onFerretDB ? describe : describe.skip;

describeOnFerretDB('contact-list indexes on FerretDB', () => {
  const namespace = testNamespace('ferret_indexes');
  let db: Database;
  let lifecycle: Lifecycle | undefined;

  beforeAll(async () => {
    db = await connectDatabase(process.env.MONGO_URL!, databaseName(namespace, 'lifecycle'), 2);
  });
  afterAll(async () => {
    await lifecycle?.stop();
    await db?.close();
  });

  it('builds none, and drops those an earlier version built, before its consumer writes', async () => {
    // Given the contact collection as an earlier version left it: two of the list indexes
    const contacts = db.connection.collection('contact_lifecycles');
    await contacts.createIndex({ workspaceId: 1, score: -1, _id: -1 });
    await contacts.createIndex({ workspaceId: 1, phase: 1, lastInteractionAt: -1, _id: -1 });
    expect(await contacts.indexes()).toHaveLength(3);

    // When lifecycle starts on it
    lifecycle = await startLifecycle(loadLifecycleConfig(serviceEnv(namespace, { LIFECYCLE_PORT: '0' })));

    // Then only the _id index is left
    expect((await contacts.indexes()).map((index) => index.name)).toEqual(['_id_']);
  });
});
