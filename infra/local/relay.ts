// The process you start: it only relays Ctrl-C / SIGTERM / SIGHUP to the platform process,
// which runs in its own process group so a terminal's Ctrl-C cannot hit every child at once.
import { spawn } from 'node:child_process';

/** The argument that makes the entry script run as the platform process. */
export const PLATFORM_FLAG = '--platform';
/** What the relay sends the platform process for "stop in order" (SIGINT/SIGTERM are the harness's "stop now"). */
export const STOP_SIGNAL = 'SIGUSR2';

/** Runs `entry` again (with this process's tsx flags) as the platform process, and exits with its exit code. */
export function relay(entry: string): void {
  const platform = spawn(process.execPath, [...process.execArgv, entry, PLATFORM_FLAG], {
    stdio: ['ignore', 'inherit', 'inherit'],
    // Its own process group: the terminal's Ctrl-C reaches this relay only.
    detached: true,
  });
  // One Ctrl-C can arrive twice (from the terminal and relayed by pnpm): pass on one per second.
  let lastStop = 0;
  const stop = () => {
    if (Date.now() - lastStop < 1_000 || platform.exitCode !== null || platform.signalCode !== null) return;
    lastStop = Date.now();
    platform.kill(STOP_SIGNAL);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop);
  platform.once('error', (err) => {
    process.stderr.write(`[cei] cannot start the platform process: ${err.message}\n`);
    process.exit(1);
  });
  platform.once('exit', (code) => process.exit(code ?? 1));
}
