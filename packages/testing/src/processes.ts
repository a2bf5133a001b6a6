// Child processes for the servers the harness starts: output kept for error
// messages, a stop that escalates, and no child left behind when we exit.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

export type LogLine = (line: string) => void;

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

export interface SpawnOptions {
  /** Short name used in log lines and error messages, e.g. `nats-server`. */
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  /** Run as this user/group (PostgreSQL refuses to run as root). */
  uid?: number;
  gid?: number;
  /** The signal that shuts this server down promptly; SIGTERM unless the server says otherwise. */
  stopSignal?: NodeJS.Signals;
  /** Added to the inherited environment. */
  env?: NodeJS.ProcessEnv;
  log?: LogLine;
}

const STOP_GRACE_MS = 5_000;
const RECENT_LINES = 50;

/** The last lines a child printed, so a failure can show why without a log file. */
export class RecentLines {
  private readonly lines: string[] = [];

  constructor(private readonly limit = RECENT_LINES) {}

  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.limit) this.lines.shift();
  }

  toString(): string {
    return this.lines.length > 0 ? this.lines.join('\n') : '(no output)';
  }
}

export class ManagedProcess {
  readonly name: string;
  readonly exited: Promise<ExitStatus>;
  /** Settles once the child's output pipes are closed too (all lines read). */
  readonly closed: Promise<void>;
  private readonly child: ChildProcess;
  private readonly recent = new RecentLines();
  private readonly stopSignal: NodeJS.Signals;
  private status: ExitStatus | undefined;
  private stopping: Promise<void> | undefined;

  constructor(opts: SpawnOptions) {
    this.name = opts.name;
    this.stopSignal = opts.stopSignal ?? 'SIGTERM';
    this.child = spawn(opts.command, opts.args, {
      cwd: opts.cwd,
      uid: opts.uid,
      gid: opts.gid,
      env: opts.env ? { ...process.env, ...opts.env } : process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => {
      // 'error' (e.g. ENOENT) may come without 'exit', so either one settles.
      this.child.once('error', (error) => this.settle({ code: null, signal: null, error }, resolve));
      this.child.once('exit', (code, signal) => this.settle({ code, signal }, resolve));
    });
    this.closed = new Promise((resolve) => {
      this.child.once('close', () => resolve());
      this.child.once('error', () => resolve());
    });
    this.capture(this.child.stdout, opts.log);
    this.capture(this.child.stderr, opts.log);
    liveProcesses.add(this);
    watchParentExit();
  }

  /** Its process id (for measurements such as RSS); undefined if it could not be spawned. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Set once the child has exited; undefined while it runs. */
  get exitStatus(): ExitStatus | undefined {
    return this.status;
  }

  get recentOutput(): string {
    return this.recent.toString();
  }

  /** Stops the child: its stop signal, then SIGKILL after 5 s. Safe to call twice. */
  stop(): Promise<void> {
    this.stopping ??= this.stopGracefully();
    return this.stopping;
  }

  /** Sends the stop signal without waiting: all a process 'exit' handler may do. */
  signalStop(): void {
    if (this.status === undefined) this.child.kill(this.stopSignal);
  }

  private async stopGracefully(): Promise<void> {
    if (this.status !== undefined) return;
    this.child.kill(this.stopSignal);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), STOP_GRACE_MS);
    });
    const outcome = await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  private settle(status: ExitStatus, resolve: (status: ExitStatus) => void): void {
    if (this.status !== undefined) return;
    this.status = status;
    liveProcesses.delete(this);
    resolve(status);
  }

  private capture(stream: Readable | null, log: LogLine | undefined): void {
    if (!stream) return;
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      this.recent.push(line);
      log?.(`[${this.name}] ${line}`);
    });
  }
}

export function describeExit(status: ExitStatus): string {
  if (status.error) return `could not be started (${status.error.message})`;
  if (status.signal) return `was killed by ${status.signal}`;
  return `exited with code ${status.code}`;
}

export interface RunResult {
  status: ExitStatus;
  output: string;
}

/** Runs a short-lived command to completion (initdb, createdb), keeping its output. */
export async function runToCompletion(opts: Omit<SpawnOptions, 'stopSignal'>): Promise<RunResult> {
  const child = new ManagedProcess(opts);
  const status = await child.exited;
  await child.closed;
  return { status, output: child.recentOutput };
}

const liveProcesses = new Set<ManagedProcess>();
let watchingParent = false;

/**
 * Servers must not outlive the test run or the platform that started them. An
 * 'exit' handler may only act synchronously, so it signals and does not wait.
 * A terminating signal is handled the same way and then re-raised, unless the
 * program has its own handler for it: then the program stops its servers itself,
 * in its own order (`pnpm start` stops the services before NATS and the database;
 * stopping the servers here at once left the services waiting on them until killed).
 */
function watchParentExit(): void {
  if (watchingParent) return;
  watchingParent = true;
  process.once('exit', signalAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      if (process.listenerCount(signal) > 0) return;
      signalAll();
      process.kill(process.pid, signal);
    });
  }
}

function signalAll(): void {
  for (const child of liveProcesses) child.signalStop();
}
