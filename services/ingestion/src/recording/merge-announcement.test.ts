// Two ingestion instances of one namespace, on the real NATS server and database: an accept on
// one instance that is answered after a merge on the other was answered redirects the merged-away
// id, although that instance had already accepted for the workspace before the merge (whatever it
// remembers of the workspace's merges must not hide a new one). Accepting must also go on while
// NATS is down (nats-outage.test.ts), so the check reads the database, not NATS.
import { interactionsIn, topology, type InteractionRecorded } from '@cei/contracts';
import {
  callSubgraph,
  probeSubject,
  serviceEnv,
  testNamespace,
  testWorkspace,
  waitFor,
  type NatsProbe,
} from '@cei/testing';
import { loadIngestionConfig } from '../config';
import { startIngestion, type Ingestion } from '../server';

const TRACK = `mutation($i: [InteractionInput!]!) { trackInteractions(interactions: $i) { accepted } }`;
const MERGE = `mutation($from: ID!, $into: ID!) { mergeContacts(from: $from, into: $into) { from } }`;
const CONTACT = `query($id: ID!) { contact(id: $id) { id } }`;

describe('merges seen by every ingestion instance', () => {
  const namespace = testNamespace('mergeann');
  let a: Ingestion;
  let b: Ingestion;
  let published: NatsProbe<InteractionRecorded>;

  beforeAll(async () => {
    const env = () => loadIngestionConfig(serviceEnv(namespace, { INGESTION_PORT: '0' }));
    a = await startIngestion(env());
    b = await startIngestion(env());
    // A pack counts as its members.
    published = await probeSubject<InteractionRecorded>(
      topology(namespace).everyWorkspace.interactionsRecorded,
      undefined,
      interactionsIn,
    );
  });
  afterAll(async () => {
    await published?.close();
    await b?.stop();
    await a?.stop();
  });

  it("redirects a merged-away id on the other instance's next accept, though that instance had accepted for the workspace before", async () => {
    const ws = testWorkspace();
    const caller = { workspaceId: ws, role: 'write' as const };
    const track = async (on: Ingestion, id: string, contactId: string) => {
      const response = await callSubgraph<{ trackInteractions: { accepted: number } }>(on.url, caller, TRACK, {
        i: [{ id, kind: 'PAGE_VISIT', contactId }],
      });
      expect(response.data?.trackInteractions.accepted).toBe(1);
      return waitFor(`${id} published`, () =>
        published.events.find((e) => e.payload.workspaceId === ws && e.payload.interactionId === id),
      );
    };

    // B accepts first, while the workspace has no merges.
    expect((await track(b, 'v1', 'visitor')).payload.contactId).toBe('visitor');
    await track(b, 'k1', 'known');
    // The merge checks that the contact exists: wait for the projector.
    await waitFor(
      'the visitor projected',
      async () => (await callSubgraph<{ contact: unknown }>(a.url, caller, CONTACT, { id: 'visitor' })).data?.contact,
    );

    const merge = await callSubgraph(a.url, caller, MERGE, { from: 'visitor', into: 'known' });
    expect(merge.errors).toBeUndefined();

    // The next accept on B lands on the survivor.
    expect((await track(b, 'v2', 'visitor')).payload.contactId).toBe('known');
  });
});
