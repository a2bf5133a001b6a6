// Two ingestion instances of one namespace, on the real NATS server and database: whether a
// workspace has merges is cached by version on each instance's accept path, and a merge on one
// instance announces itself, so an accept on the other instance that is answered after the merge
// was answered redirects the merged-away id at once (the cache alone would keep "no merges" for
// its 30 s).
import { topology, type InteractionRecorded } from '@cei/contracts';
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
    published = await probeSubject<InteractionRecorded>(topology(namespace).everyWorkspace.interactionsRecorded);
  });
  afterAll(async () => {
    await published?.close();
    await b?.stop();
    await a?.stop();
  });

  it("redirects a merged-away id on the other instance's next accept, though it had cached that the workspace has no merges", async () => {
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

    // B accepts first: it now knows the workspace's merge version (none).
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
