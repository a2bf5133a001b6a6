import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../packages/testing/src/readiness';
import { AppProcess, waitUntilHealthy } from './app-processes';
import { afterCrash, Supervisor, type RestartPolicy, type SupervisorEvent } from './supervisor';

const policy: RestartPolicy = { windowMs: 60_000, maxCrashes: 5, firstDelayMs: 1_000, maxDelayMs: 15_000 };

describe('afterCrash', () => {
  it('restarts after the first delay, doubling it with every crash in the window, up to the cap', () => {
    const now = 1_000_000;
    expect(afterCrash([], now, policy)).toEqual({ restart: true, delayMs: 1_000, recentCrashes: 1 });
    expect(afterCrash([now - 5_000], now, policy)).toEqual({ restart: true, delayMs: 2_000, recentCrashes: 2 });
    const capped = { ...policy, maxCrashes: 10 };
    expect(
      afterCrash(
        [1, 2, 3, 4, 5].map((s) => now - s * 1_000),
        now,
        capped,
      ),
    ).toEqual({
      restart: true,
      delayMs: 15_000,
      recentCrashes: 6,
    });
  });

  it('forgets crashes older than the window', () => {
    const now = 1_000_000;
    const old = [now - 61_000, now - 70_000, now - 80_000, now - 90_000];
    expect(afterCrash(old, now, policy)).toEqual({ restart: true, delayMs: 1_000, recentCrashes: 1 });
  });

  it('gives up at the crash that makes maxCrashes within the window', () => {
    const now = 1_000_000;
    const four = [now - 40_000, now - 30_000, now - 20_000, now - 10_000];
    expect(afterCrash(four.slice(1), now, policy).restart).toBe(true);
    expect(afterCrash(four, now, policy)).toEqual({ restart: false, recentCrashes: 5 });
  });
});

describe('Supervisor', () => {
  let dir: string;
  const supervisors: Supervisor[] = [];

  beforeAll(() => {
    // A tiny app: serves /health on $PORT, exits with $CRASH_CODE at once when that is set.
    dir = mkdtempSync(join(tmpdir(), 'cei-supervisor-'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(
      join(dir, 'src', 'main.ts'),
      `import { createServer } from 'node:http';
if (process.env.CRASH_CODE) {
  console.error('tiny app cannot start');
  process.exit(Number(process.env.CRASH_CODE));
}
const server = createServer((_req, res) => res.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
console.log('tiny app up', process.pid);
`,
    );
  });

  afterEach(async () => {
    await Promise.all(supervisors.splice(0).map((s) => s.stop()));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A supervisor of the tiny app, and its events as they come. */
  async function supervise(env: Record<string, string>, restartPolicy: RestartPolicy) {
    const port = await freePort();
    const events: SupervisorEvent[] = [];
    const waiters: { kind: SupervisorEvent['kind']; resolve: (event: SupervisorEvent) => void }[] = [];
    let launches = 0;
    const supervisor = new Supervisor({
      launch: () => {
        launches++;
        return new AppProcess({ name: 'tiny', dir, port, env: { ...process.env, ...env, PORT: String(port) } });
      },
      onEvent: (event) => {
        events.push(event);
        for (const waiter of waiters.filter((w) => w.kind === event.kind)) waiter.resolve(event);
      },
      policy: restartPolicy,
      healthTimeoutMs: 30_000,
    });
    supervisors.push(supervisor);
    const next = <K extends SupervisorEvent['kind']>(kind: K) =>
      new Promise<Extract<SupervisorEvent, { kind: K }>>((resolve) =>
        waiters.push({ kind, resolve: resolve as (event: SupervisorEvent) => void }),
      );
    return { supervisor, events, next, launches: () => launches };
  }

  it('restarts an app killed with SIGKILL, which then answers /health again', async () => {
    const { supervisor, events, next, launches } = await supervise({}, { ...policy, firstDelayMs: 50 });
    const first = supervisor.current;
    await waitUntilHealthy(first, { timeoutMs: 30_000 });
    supervisor.supervise();

    const healthy = next('healthy');
    process.kill(first.pid!, 'SIGKILL');
    await healthy;

    expect(events.map((e) => e.kind)).toEqual(['crashed', 'restarted', 'healthy']);
    expect(events[0]).toMatchObject({ status: { signal: 'SIGKILL' }, restartInMs: 50, recentCrashes: 1 });
    expect(launches()).toBe(2);
    expect(supervisor.current.pid).not.toBe(first.pid);
    const response = await fetch(`http://127.0.0.1:${supervisor.current.port}/health`);
    expect(await response.text()).toBe('ok');
    expect(await supervisor.stop()).toBe('stopped');
  });

  it('ends a crash loop at maxCrashes, with the exit status and the app output', async () => {
    const { supervisor, events, next, launches } = await supervise(
      { CRASH_CODE: '3' },
      { ...policy, maxCrashes: 3, firstDelayMs: 10 },
    );
    const crashLoop = next('crash-loop');
    supervisor.supervise();
    const last = await crashLoop;

    expect(events.filter((e) => e.kind === 'crashed')).toEqual([
      expect.objectContaining({ status: { code: 3, signal: null }, restartInMs: 10, recentCrashes: 1 }),
      expect.objectContaining({ status: { code: 3, signal: null }, restartInMs: 20, recentCrashes: 2 }),
    ]);
    expect(last).toMatchObject({ status: { code: 3, signal: null }, recentCrashes: 3 });
    expect(last.lastLines).toBe('tiny app cannot start');
    expect(launches()).toBe(3);
    expect(await supervisor.stop()).toBe('had already exited');
  });
});
