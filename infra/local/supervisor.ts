// Keeps one app of `pnpm start` running: a crash is followed by a restart after a backoff, and a
// crash loop (too many crashes within a window) ends the supervision so the platform can stop.
import type { ExitStatus } from '../../packages/testing/src/processes';
import { waitUntilHealthy, type AppProcess, type StopOutcome } from './app-processes';

export interface RestartPolicy {
  /** Crashes counted together: those within this window before the latest one. */
  windowMs: number;
  /** This many crashes within the window is a crash loop: no more restarts. */
  maxCrashes: number;
  /** Wait before the first restart; it doubles with each crash in the window, up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
}

export const RESTART_POLICY: RestartPolicy = {
  windowMs: 60_000,
  maxCrashes: 5,
  firstDelayMs: 1_000,
  maxDelayMs: 15_000,
};

export type RestartDecision =
  { restart: true; delayMs: number; recentCrashes: number } | { restart: false; recentCrashes: number };

/** What to do after a crash at `now`, given the times of the earlier crashes (any order). */
export function afterCrash(
  earlierCrashes: readonly number[],
  now: number,
  policy: RestartPolicy = RESTART_POLICY,
): RestartDecision {
  const recentCrashes = earlierCrashes.filter((at) => at > now - policy.windowMs && at <= now).length + 1;
  if (recentCrashes >= policy.maxCrashes) return { restart: false, recentCrashes };
  const delayMs = Math.min(policy.firstDelayMs * 2 ** (recentCrashes - 1), policy.maxDelayMs);
  return { restart: true, delayMs, recentCrashes };
}

export type SupervisorEvent =
  | { kind: 'crashed'; status: ExitStatus; restartInMs: number; recentCrashes: number }
  | { kind: 'restarted'; pid: number | undefined; restarts: number }
  | { kind: 'healthy'; restarts: number; afterMs: number }
  | { kind: 'not-healthy'; reason: string }
  | { kind: 'crash-loop'; status: ExitStatus; recentCrashes: number; lastLines: string };

export interface SupervisorOptions {
  /** Starts a fresh process of the app (same name, port and environment each time). */
  launch(): AppProcess;
  /** What happens, as it happens; a `crash-loop` is the last event. */
  onEvent(event: SupervisorEvent): void;
  policy?: RestartPolicy;
  healthTimeoutMs: number;
  now?: () => number;
}

export class Supervisor {
  private app: AppProcess;
  private readonly crashes: number[] = [];
  private restarts = 0;
  private supervising = false;
  private stopped = false;
  private pendingRestart: NodeJS.Timeout | undefined;

  constructor(private readonly opts: SupervisorOptions) {
    this.app = opts.launch();
  }

  /** The process running now (or the one that exited last, while a restart waits). */
  get current(): AppProcess {
    return this.app;
  }

  /** Restarts from now on: before this (the platform's startup) an exit is the caller's to report. */
  supervise(): void {
    if (this.supervising || this.stopped) return;
    this.supervising = true;
    this.watch(this.app);
  }

  /** Cancels a pending restart and stops the process; resolves once it has exited. Safe to call twice. */
  stop(): Promise<StopOutcome> {
    this.stopped = true;
    clearTimeout(this.pendingRestart);
    return this.app.stop();
  }

  /** For a process 'exit' handler: signal without waiting. */
  signalStop(): void {
    this.stopped = true;
    clearTimeout(this.pendingRestart);
    this.app.signalStop();
  }

  private watch(app: AppProcess): void {
    void app.exited.then((status) => {
      if (this.stopped || app !== this.app) return;
      const now = this.now();
      const decision = afterCrash(this.crashes, now, this.opts.policy);
      this.crashes.push(now);
      if (!decision.restart) {
        this.stopped = true;
        this.opts.onEvent({
          kind: 'crash-loop',
          status,
          recentCrashes: decision.recentCrashes,
          lastLines: app.lastLines,
        });
        return;
      }
      this.opts.onEvent({
        kind: 'crashed',
        status,
        restartInMs: decision.delayMs,
        recentCrashes: decision.recentCrashes,
      });
      this.pendingRestart = setTimeout(() => this.restart(), decision.delayMs);
    });
  }

  private restart(): void {
    if (this.stopped) return;
    const since = this.now();
    const app = (this.app = this.opts.launch());
    const restarts = ++this.restarts;
    this.opts.onEvent({ kind: 'restarted', pid: app.pid, restarts });
    this.watch(app);
    waitUntilHealthy(app, {
      timeoutMs: this.opts.healthTimeoutMs,
      throwIfCancelled: () => {
        if (this.stopped) throw new Error('stopped');
      },
    }).then(
      () => this.opts.onEvent({ kind: 'healthy', restarts, afterMs: this.now() - since }),
      (error: Error) => {
        // An exit is reported as the next crash, a stop needs no word.
        if (this.stopped || app.exitStatus) return;
        this.opts.onEvent({ kind: 'not-healthy', reason: error.message.split('\n')[0]! });
      },
    );
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }
}
