// Ports and readiness: pick a free loopback port, then poll a started server
// until it answers, failing with its recent output and what to do next.
import { createConnection, createServer } from 'node:net';
import { describeExit, type ManagedProcess } from './processes';

export const READY_TIMEOUT_MS = 15_000;
const POLL_INTERVAL_MS = 100;
const CONNECT_TIMEOUT_MS = 1_000;

/** A port the kernel just handed out on 127.0.0.1; free unless someone takes it in between. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('could not get a free port'))));
    });
  });
}

/** Whether a TCP connection to 127.0.0.1:port succeeds now. */
export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(CONNECT_TIMEOUT_MS, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface ReadinessCheck {
  child: ManagedProcess;
  /** What we are waiting for, e.g. `nats-server on 127.0.0.1:4222`. */
  what: string;
  /** Resolves true once the server is usable; may throw while it is not. */
  isReady: () => Promise<boolean>;
  /** The next step to suggest when it does not come up. */
  hint: string;
  timeoutMs?: number;
}

/**
 * Polls until `isReady` holds. If the child exits or the deadline passes, stops
 * the child (so nothing leaks) and throws with its last lines of output.
 */
export async function waitUntilReady(check: ReadinessCheck): Promise<void> {
  const timeoutMs = check.timeoutMs ?? READY_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  let lastProblem = '';
  while (Date.now() < deadline) {
    const status = check.child.exitStatus;
    if (status) {
      // Its last lines, usually the reason, may still be in the pipe; a grandchild holding it must not hang us.
      await Promise.race([check.child.closed, sleep(500)]);
      throw startupError(check, `${check.child.name} ${describeExit(status)} before it was ready`);
    }
    try {
      if (await check.isReady()) return;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await sleep(POLL_INTERVAL_MS);
  }
  await check.child.stop();
  const detail = lastProblem ? ` (last check: ${lastProblem})` : '';
  throw startupError(check, `${check.what} was not ready within ${timeoutMs / 1000} s${detail}`);
}

function startupError(check: ReadinessCheck, headline: string): Error {
  return new Error(
    `${headline}.\n--- last output of ${check.child.name} ---\n${check.child.recentOutput}\n---\nWhat to do: ${check.hint}`,
  );
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
