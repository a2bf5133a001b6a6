// Where the harness's own nats-server keeps its streams: in memory (/dev/shm) by default, removed
// when it stops, a killed run's store removed by the next run; on disk when CEI_NATS_STORE=disk.
// Starts real nats-servers (the database is the global setup's: MONGO_URL is set).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { startInfrastructure } from './infrastructure';

const SHM = '/dev/shm';
const onTmpfs = (() => {
  try {
    return statfsSync(SHM).type === 0x01021994;
  } catch {
    return false;
  }
})();
/** This process's stores (the global setup's too, when jest runs in band). */
const ours = () => readdirSync(SHM).filter((name) => name.startsWith(`cei-nats-${process.pid}-`));

describe('startInfrastructure: the NATS store', () => {
  const saved = { nats: process.env.NATS_URL, store: process.env.CEI_NATS_STORE };
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cei-infra-test-'));
    // Its own nats-server, not the global setup's.
    delete process.env.NATS_URL;
  });
  afterEach(() => {
    process.env.NATS_URL = saved.nats;
    if (saved.store === undefined) delete process.env.CEI_NATS_STORE;
    else process.env.CEI_NATS_STORE = saved.store;
    rmSync(dir, { recursive: true, force: true });
  });

  /** Creates a stream and stores a message in it, so the server has written its store. */
  async function storeOne(url: string): Promise<void> {
    const nc = await connect({ servers: url });
    try {
      // The JetStream API by its subjects (this package has no JetStream client).
      const created = await nc.request(
        '$JS.API.STREAM.CREATE.STORE_TEST',
        JSON.stringify({ name: 'STORE_TEST', subjects: ['store.test'], storage: 'file' }),
      );
      expect(created.json<{ error?: unknown }>().error).toBeUndefined();
      const stored = await nc.request('store.test', 'x');
      expect(stored.json<{ seq: number }>().seq).toBe(1);
    } finally {
      await nc.close();
    }
  }

  (onTmpfs ? it : it.skip)(
    'keeps the streams in /dev/shm while it runs, removes them when it stops, and removes a killed run’s',
    async () => {
      // Given the store of a run whose process is gone
      const dead = spawnSync(process.execPath, ['-e', '0']).pid;
      const abandoned = join(SHM, `cei-nats-${dead}-abandoned`);
      mkdirSync(abandoned, { recursive: true });
      writeFileSync(join(abandoned, 'left-over'), 'x');

      delete process.env.CEI_NATS_STORE;
      const before = ours();
      const infra = await startInfrastructure({ dir });
      try {
        expect(infra.natsStore).toBe('tmpfs');
        expect(existsSync(abandoned)).toBe(false);
        await storeOne(infra.natsUrl);
        const added = ours().filter((name) => !before.includes(name));
        expect(added).toHaveLength(1);
        expect(readdirSync(join(SHM, added[0]!))).toContain('jetstream');
        expect(existsSync(join(dir, 'nats'))).toBe(false);
      } finally {
        await infra.stop();
      }
      expect(ours()).toEqual(before);
    },
  );

  it('keeps them under the run’s directory with CEI_NATS_STORE=disk', async () => {
    process.env.CEI_NATS_STORE = 'disk';
    const before = onTmpfs ? ours() : [];
    const infra = await startInfrastructure({ dir });
    try {
      expect(infra.natsStore).toBe('disk');
      await storeOne(infra.natsUrl);
      expect(readdirSync(join(dir, 'nats'))).toContain('jetstream');
      if (onTmpfs) expect(ours()).toEqual(before);
    } finally {
      await infra.stop();
    }
  });

  it('names a store setting it does not know', async () => {
    process.env.CEI_NATS_STORE = 'ram';
    await expect(startInfrastructure({ dir })).rejects.toThrow(/CEI_NATS_STORE must be 'tmpfs' or 'disk', not 'ram'/);
  });
});
