// versionedConfig reads a workspace's configuration from its store only when it may have changed
// (a real nats-server of the jest global setup, a lone server): either because an announcement
// arrived on the instance's connection (`auto`, the default on a lone server) or because the
// version kept in the stream moved (`read`, what a cluster uses), so that every instance sees a
// change another announced on its next read.
import { createLogger } from '@cei/config';
import { topology, type Topology } from '@cei/contracts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  freePort,
  probeSubject,
  startNats,
  testNamespace,
  waitFor,
  type NatsProbe,
  type RunningServer,
} from '@cei/testing';
import { connectNats, type Nats } from './connection';
import { ensureStreams } from './streams';
import { versionedConfig, type VersionedConfig } from './config-versions';

const log = createLogger('config-versions-test', 'error');

/** An instance whose "database" is `stored`, recording the workspace of each load in `loads`. */
const storeBacked = (
  nats: Nats,
  ns: Topology,
  stored: Map<string, number>,
  loads: string[],
  freshness?: 'auto' | 'read',
): VersionedConfig<number> =>
  versionedConfig({
    nats,
    topology: ns,
    kind: 'test',
    log,
    freshness,
    load: async (workspaceId) => {
      loads.push(workspaceId);
      return stored.get(workspaceId) ?? 0;
    },
  });

const read = async (config: VersionedConfig<number>, ...workspaces: string[]) => {
  const valueOf = await config.forWorkspaces(workspaces);
  return workspaces.map(valueOf);
};

describe.each(['auto', 'read'] as const)('versionedConfig (freshness: %s)', (freshness) => {
  const ns = topology(testNamespace(`cfgver${freshness}`));
  /** The "database": what a load returns, and every load made, per instance. */
  const stored = new Map<string, number>();
  let nats: Nats;
  let loads: string[][];
  let first: VersionedConfig<number>;
  let second: VersionedConfig<number>;

  beforeAll(async () => {
    nats = await connectNats(process.env.NATS_URL!, 'config-versions-test');
    await ensureStreams(nats.jsm, ns);
    loads = [[], []];
    first = storeBacked(nats, ns, stored, loads[0]!, freshness);
    second = storeBacked(nats, ns, stored, loads[1]!, freshness);
  });
  afterAll(async () => {
    await nats?.close();
  });

  it('loads each workspace once while it stands, and again on every instance after a change is announced', async () => {
    stored.set('a', 1);
    stored.set('b', 2);
    // Both instances load what they have not seen, once per workspace however often it is named
    expect(await read(first, 'a', 'b', 'a')).toEqual([1, 2, 1]);
    expect(await read(second, 'a')).toEqual([1]);
    // While nothing changes, reads come from the cache
    expect(await read(first, 'a', 'b')).toEqual([1, 2]);
    expect(await read(second, 'a')).toEqual([1]);
    // (The loads of one read run at once: their order within a read is the network's.)
    const sorted = () => loads.map((l) => [...l].sort());
    expect(sorted()).toEqual([['a', 'b'], ['a']]);

    // When the first instance writes a change of a and announces it
    stored.set('a', 10);
    await first.changed('a');
    // Then the second instance's next read loads a again (and only a), and so does the first
    expect(await read(second, 'a', 'b')).toEqual([10, 2]);
    expect(await read(first, 'a', 'b')).toEqual([10, 2]);
    expect(sorted()).toEqual([
      ['a', 'a', 'b'],
      ['a', 'a', 'b'],
    ]);
  });

  it('keeps one version per workspace and kind in the stream', async () => {
    await first.changed('c');
    await first.changed('c');
    const info = await nats.jsm.streams.info(ns.configVersions.name, {
      subjects_filter: ns.subjects.configChanged('c', 'test'),
    });
    expect(info.state.subjects).toEqual({ [ns.subjects.configChanged('c', 'test')]: 1 });
  });
});

describe('versionedConfig on a lone server, following the announcements', () => {
  const ns = topology(testNamespace('cfgpush'));
  const stored = new Map<string, number>();
  /** Two service instances and an admin's process that changes configurations, each on its own connection. */
  let connections: Nats[];
  let loads: string[][];
  let instances: VersionedConfig<number>[];
  let versionReads: NatsProbe<unknown>;

  beforeAll(async () => {
    connections = await Promise.all([0, 1, 2].map((i) => connectNats(process.env.NATS_URL!, `config-push-${i}`)));
    await ensureStreams(connections[0]!.jsm, ns);
    loads = [[], [], []];
    instances = connections.map((nats, i) => storeBacked(nats, ns, stored, loads[i]!));
    // Every version read is a JetStream API request for the last message of a subject of the stream.
    versionReads = await probeSubject(`$JS.API.STREAM.MSG.GET.${ns.configVersions.name}`);
  });
  afterAll(async () => {
    await versionReads?.close();
    await Promise.all((connections ?? []).map((nats) => nats.close()));
  });

  it('asks NATS nothing per read, and loads again after a change announced from another connection', async () => {
    const [one, two, admin] = instances as [VersionedConfig<number>, VersionedConfig<number>, VersionedConfig<number>];
    stored.set('w1', 1);
    stored.set('w2', 2);
    for (let i = 0; i < 20; i++) {
      expect(await read(one, 'w1', 'w2')).toEqual([1, 2]);
      expect(await read(two, 'w1')).toEqual([1]);
    }
    expect(loads.slice(0, 2).map((l) => [...l].sort())).toEqual([['w1', 'w2'], ['w1']]);

    // The admin's process writes w1 and announces it; when `changed` returns the change is answered
    stored.set('w1', 7);
    await admin.changed('w1');
    // What the promise rests on: the server queued the announcement to each instance's connection
    // before it answered the change, so anything it sends an instance after that (a batch's events; here
    // the answer to a flush) comes behind it. The instances' next reads then apply it; w2 stays cached
    await Promise.all([connections[0]!.nc.flush(), connections[1]!.nc.flush()]);
    expect(await read(one, 'w1', 'w2')).toEqual([7, 2]);
    expect(await read(two, 'w1')).toEqual([7]);
    expect(loads.slice(0, 2).map((l) => [...l].sort())).toEqual([
      ['w1', 'w1', 'w2'],
      ['w1', 'w1'],
    ]);

    // 42 reads and not one version asked of the stream (the probe sees requests of any connection)
    await connections[0]!.nc.flush();
    await versionReads.nc.flush();
    expect(versionReads.events).toEqual([]);
  });

  it('does not keep a value loaded while a change was announced (the load may have read before the write)', async () => {
    const admin = instances[2]!;
    stored.set('w4', 4);
    // The second instance's load of w4 reads the database, then stalls until the change is announced
    let release!: () => void;
    const stalled = new Promise<void>((resolve) => (release = resolve));
    const loading = versionedConfig({
      nats: connections[1]!,
      topology: ns,
      kind: 'stall',
      log,
      load: async (workspaceId) => {
        loads[1]!.push(`stall:${workspaceId}`);
        const value = stored.get(workspaceId) ?? 0;
        await stalled;
        return value;
      },
    });
    const adminOfStall = versionedConfig({
      nats: connections[2]!,
      topology: ns,
      kind: 'stall',
      log,
      load: async () => 0,
    });
    const first = read(loading, 'w4');
    await waitFor('the stalled load', () => loads[1]!.includes('stall:w4'));
    stored.set('w4', 40);
    await adminOfStall.changed('w4');
    await connections[1]!.nc.flush();
    release();
    // That read gets what it read (it started before the change was answered)…
    expect(await first).toEqual([4]);
    // …but the next one loads again and gets the change
    expect(await read(loading, 'w4')).toEqual([40]);
    expect(loads[1]!.filter((l) => l === 'stall:w4')).toHaveLength(2);
    // Announcements of another kind leave this one's cache alone
    await admin.changed('w4');
    await connections[1]!.nc.flush();
    expect(await read(loading, 'w4')).toEqual([40]);
    expect(loads[1]!.filter((l) => l === 'stall:w4')).toHaveLength(2);
  });

  it('loads everything again after its connection reconnected (announcements may have been missed)', async () => {
    const one = instances[0]!;
    stored.set('w3', 3);
    expect(await read(one, 'w3')).toEqual([3]);
    expect(await read(one, 'w3')).toEqual([3]);
    const before = loads[0]!.length;

    const reconnected = (async () => {
      for await (const status of connections[0]!.nc.status()) if (status.type === 'reconnect') return;
    })();
    await connections[0]!.nc.reconnect();
    await reconnected;
    // Changed meanwhile without an announcement this connection could have seen
    stored.set('w3', 30);
    expect(await read(one, 'w3')).toEqual([30]);
    expect(loads[0]!.slice(before)).toEqual(['w3']);
    // And from then on it follows the announcements again: cached until the next one
    expect(await read(one, 'w3')).toEqual([30]);
    expect(loads[0]!.slice(before)).toEqual(['w3']);
  });
});

describe('versionedConfig on a NATS cluster, reading versions', () => {
  // Three servers: an announcement and an event's delivery may come by different routes there.
  const ns = topology(testNamespace('cfgcluster'));
  const stored = new Map<string, number>();
  const dir = mkdtempSync(join(tmpdir(), 'cei-cfg-cluster-'));
  let servers: RunningServer[] = [];
  let connections: Nats[] = [];
  const loads: string[] = [];

  beforeAll(async () => {
    const routes = await Promise.all([0, 1, 2].map(() => freePort()));
    servers = await Promise.all(
      routes.map((route, i) =>
        startNats({
          dataDir: join(dir, `n${i}`),
          args: [
            ...['-n', `cfg-n${i}`, '--cluster_name', 'cei-cfg', '--cluster', `nats://127.0.0.1:${route}`],
            ...['--routes', routes.map((r) => `nats://127.0.0.1:${r}`).join(',')],
          ],
        }),
      ),
    );
    // JetStream answers once the servers have elected their meta leader.
    connections = await Promise.all(
      servers.map((server, i) =>
        waitFor(`JetStream on ${server.url}`, () => connectNats(server.url, `config-cluster-${i}`), {
          timeoutMs: 30_000,
          intervalMs: 250,
        }),
      ),
    );
    await ensureStreams(connections[0]!.jsm, ns);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(connections.map((nats) => nats.close()));
    await Promise.all(servers.map((server) => server.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks the stream for the version on every read, and applies a change announced through another server', async () => {
    const [one, , admin] = connections.map((nats, i) => storeBacked(nats, ns, stored, i === 0 ? loads : [])) as [
      VersionedConfig<number>,
      VersionedConfig<number>,
      VersionedConfig<number>,
    ];
    // Each server says it is part of a cluster
    expect(connections.map((nats) => nats.nc.info?.cluster)).toEqual(['cei-cfg', 'cei-cfg', 'cei-cfg']);
    // On the reading instance's server: a subscriber elsewhere sees requests only once its interest has
    // crossed the routes.
    const versionReads = await probeSubject(`$JS.API.STREAM.MSG.GET.${ns.configVersions.name}`, servers[0]!.url);
    try {
      stored.set('w', 1);
      for (let i = 0; i < 3; i++) expect(await read(one, 'w')).toEqual([1]);
      stored.set('w', 2);
      await admin.changed('w');
      expect(await read(one, 'w')).toEqual([2]);
      expect(loads).toEqual(['w', 'w']);
      // One version read per read
      expect(await versionReads.waitForCount(4)).toHaveLength(4);
    } finally {
      await versionReads.close();
    }
  });
});
