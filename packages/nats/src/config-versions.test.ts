// versionedConfig reads a workspace's configuration from its store only when the version
// announced on NATS moved (a real nats-server of the jest global setup), so that two
// instances each see a change the other announced on their next read.
import { createLogger } from '@cei/config';
import { topology } from '@cei/contracts';
import { testNamespace } from '@cei/testing';
import { connectNats, type Nats } from './connection';
import { ensureStreams } from './streams';
import { versionedConfig, type VersionedConfig } from './config-versions';

describe('versionedConfig', () => {
  const ns = topology(testNamespace('cfgver'));
  const log = createLogger('config-versions-test', 'error');
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

  const read = async (config: VersionedConfig<number>, ...workspaces: string[]) => {
    const valueOf = await config.forWorkspaces(workspaces);
    return workspaces.map(valueOf);
  };

  it('loads each workspace once while its version stands, and again on every instance after a change is announced', async () => {
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
