// Accepting while NATS is unreachable: the batch is stored and answered ACCEPTED, its publishes
// fail, and once NATS is back the outbox sweeper publishes it — each event once in the stream.
// NATS goes away behind a TCP proxy the test cuts.
import { once } from 'node:events';
import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@cei/config';
import { topology } from '@cei/contracts';
import { connectNats, type Nats } from '@cei/nats';
import { callSubgraph, serviceEnv, testNamespace, testWorkspace, waitFor } from '@cei/testing';
import { loadIngestionConfig } from './config';
import { startIngestion, type Ingestion } from './server';

const TRACK = `mutation($i: [InteractionInput!]!) { trackInteractions(interactions: $i) { accepted items { status } } }`;
const CONTACT = `query($id: ID!) { contact(id: $id) { email } }`;

/** A TCP proxy in front of NATS: `cut()` drops every connection and refuses new ones, as an outage would. */
async function natsProxy(natsUrl: string) {
  const target = new URL(natsUrl);
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
      socket.on('close', () => sockets.delete(socket));
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `nats://127.0.0.1:${port}`,
    async cut() {
      const closed = once(server, 'close');
      server.close();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    async restore() {
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
    },
    close: () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve())),
  };
}

describe('accepting while NATS is down', () => {
  const namespace = testNamespace('outage');
  const ns = topology(namespace);
  const logged: { msg?: string }[] = [];
  let proxy: Awaited<ReturnType<typeof natsProxy>>;
  let ingestion: Ingestion;
  let nats: Nats;

  beforeAll(async () => {
    proxy = await natsProxy(process.env.NATS_URL!);
    const log = createLogger('ingestion', 'warn', { write: (line: string) => void logged.push(JSON.parse(line)) });
    ingestion = await startIngestion(
      loadIngestionConfig(
        serviceEnv(namespace, {
          INGESTION_PORT: '0',
          NATS_URL: proxy.url,
          OUTBOX_GRACE_MS: '2000',
          OUTBOX_SWEEP_MS: '250',
        }),
      ),
      log,
    );
    nats = await connectNats(process.env.NATS_URL!, 'outage-test');
  });
  afterAll(async () => {
    await nats?.close();
    await ingestion?.stop();
    await proxy?.close();
  });

  const writer = (workspaceId: string) => ({ workspaceId, role: 'write' as const });
  /** Messages the interactions stream holds for the workspace (a re-publish JetStream dropped is not one). */
  const storedInStream = async (ws: string) => {
    const info = await nats.jsm.streams.info(ns.streams.interactions.name, {
      subjects_filter: `${namespace}.${ws}.interactions.*.*`,
    });
    return Object.values(info.state.subjects ?? {}).reduce((sum, count) => sum + count, 0);
  };
  const emailOf = async (ws: string, id: string) =>
    (await callSubgraph<{ contact: { email: string | null } | null }>(ingestion.url, writer(ws), CONTACT, { id })).data
      ?.contact?.email;

  it('stores and accepts, then publishes through the sweeper once NATS is back, each event once', async () => {
    const ws = testWorkspace();
    const batch = ['o1', 'o2', 'o3'].map((id) => ({ id, kind: 'PAGE_VISIT', contactId: 'olga' }));

    // Given NATS is unreachable
    await proxy.cut();
    // When a batch is tracked
    const accepted = await callSubgraph<{ trackInteractions: { accepted: number } }>(ingestion.url, writer(ws), TRACK, {
      i: batch,
    });
    // Then it is accepted (stored; its outbox entry written first), and its publishes fail
    expect(accepted.data?.trackInteractions.accepted).toBe(3);
    await waitFor(
      'the publishes to fail',
      () => logged.some((line) => line.msg === 'publish failed; the outbox sweeper retries it'),
      { timeoutMs: 30_000 },
    );
    expect(await storedInStream(ws)).toBe(0);

    // When NATS is back, the sweeper publishes the batch
    await proxy.restore();
    await waitFor('the batch in the stream', async () => (await storedInStream(ws)) >= 3, { timeoutMs: 30_000 });
    await waitFor(
      'the outbox entry removed',
      async () => (await ingestion.recording.models.Outbox.countDocuments({ workspaceId: ws })) === 0,
    );

    // Sentinel: a later interaction of olga (its email shows it applied), published after anything
    // the sweeps could still cause.
    await callSubgraph(ingestion.url, writer(ws), TRACK, {
      i: [{ id: 'sentinel', kind: 'PAGE_VISIT', contactId: 'olga', email: 'olga@example.com' }],
    });
    await waitFor('the sentinel applied', async () => (await emailOf(ws, 'olga')) === 'olga@example.com', {
      timeoutMs: 30_000,
    });
    expect(await storedInStream(ws)).toBe(4);
  }, 90_000);
});
