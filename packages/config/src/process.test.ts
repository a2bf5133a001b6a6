import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';

// A service main built on runMain, run as its own process: its start and stop are told by
// the environment how to behave, and it logs what happened.
const SERVICE = `
import pino from ${JSON.stringify(require.resolve('pino'))};
import { createLogger } from ${JSON.stringify(join(__dirname, 'logger.ts'))};
import { runMain } from ${JSON.stringify(join(__dirname, 'process.ts'))};
// Written at once: pino's default stream may still be writing one line when exit flushes the next.
const log = createLogger('test-service', 'info', pino.destination({ fd: 1, sync: true }));
const startMs = Number(process.env.START_MS ?? 0);
runMain(
  log,
  async () => {
    log.info('starting');
    await new Promise((resolve) => setTimeout(resolve, startMs));
    log.info('started');
    // What a server does: keep the process alive until stopped.
    const serving = setInterval(() => undefined, 1_000);
    return {
      stop: () => {
        log.info('stop called');
        // A stop that never finishes.
        if (process.env.STOP_HANGS) return new Promise<void>(() => undefined);
        clearInterval(serving);
        return Promise.resolve();
      },
    };
  },
  Number(process.env.STOP_DEADLINE_MS ?? 15_000),
);
`;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The message of every line it logged. */
  lines: string[];
}

describe('runMain', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cei-run-main-'));
    writeFileSync(join(dir, 'main.ts'), SERVICE);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the service; sends SIGTERM once it printed `signalAfter`; resolves when it has exited. */
  function run(env: Record<string, string>, signalAfter: string): Promise<Run> {
    const tsx = pathToFileURL(require.resolve('tsx')).href;
    const child = spawn(process.execPath, ['--import', tsx, join(dir, 'main.ts')], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines: string[] = [];
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const { msg } = JSON.parse(line) as { msg: string };
      lines.push(msg);
      if (msg === signalAfter) child.kill('SIGTERM');
    });
    return new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal, lines })));
  }

  it('stops a service that was still starting when SIGTERM came, once it has started', async () => {
    const { code, signal, lines } = await run({ START_MS: '500' }, 'starting');
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(lines).toEqual(['starting', 'stopping', 'started', 'stop called']);
  });

  it('exits 1, saying so, when the stop does not finish within the deadline', async () => {
    const { code, lines } = await run({ STOP_HANGS: '1', STOP_DEADLINE_MS: '300' }, 'started');
    expect(code).toBe(1);
    expect(lines).toEqual([
      'starting',
      'started',
      'stopping',
      'stop called',
      'not stopped within 0.3 s; exiting anyway',
    ]);
  });
});
