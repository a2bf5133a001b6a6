// versionedConfig reads a workspace's configuration from its store only when it may have changed
// (a real nats-server of the jest global setup, a lone server): either because an announcement
// arrived on the instance's connection (`auto`, the default on a lone server) or because the
// version kept in the stream moved (`read`, what a cluster uses), so that every instance sees a
// change another announced on its next read.
import { createLogger } from '@cei/config';
import { topology } from '@cei/contracts';
import { probeSubject, testNamespace, type NatsProbe } from '@cei/testing';
import { connectNats, type Nats } from './connection';
import { ensureStreams } from './streams';
import { versionedConfig, type VersionedConfig } from './config-versions';

const log = createLogger('config-versions-test', 'error');

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

  const instance = (index: number): VersionedConfig<number> =>
    versionedConfig({
      nats,
      topology: ns,
      kind: 'test',
      log,
      freshness,
      load: async (workspaceId) => {
        loads[index]!.push(workspaceId);
        return stored.get(workspaceId) ?? 0;
      },
    });

  beforeAll(async () => {
    nats = await connectNats(process.env.NATS_URL!, 'config-versions-test');
    await ensureStreams(nats.jsm, ns);
    loads = [[], []];
    first = instance(0);
    second = instance(1);
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

  const instance = (nats: Nats, index: number) =>
    versionedConfig({
      nats,
      topology: ns,
      kind: 'test',
      log,
      load: async (workspaceId) => {
        loads[index]!.push(workspaceId);
        return stored.get(workspaceId) ?? 0;
      },
    });

  beforeAll(async () => {
    connections = await Promise.all([0, 1, 2].map((i) => connectNats(process.env.NATS_URL!, `config-push-${i}`)));
    await ensureStreams(connections[0]!.jsm, ns);
    loads = [[], [], []];
    instances = connections.map(instance);
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
    // The instances' next reads, with no wait, apply it; w2 stays cached
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
