// Runs one CEI app (a subgraph or the gateway) from its TypeScript sources under tsx, or as the
// JavaScript `pnpm build` emitted (`node <dir>/dist/main.js`, what the deploy image runs): keeps its
// last lines, waits for GET /health with a deadline, stops it with SIGTERM, then SIGKILL after one.
// Shared by `pnpm start` and the end-to-end tests and benchmark (test/src/platform.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { describeExit, RecentLines, type ExitStatus } from '../../packages/testing/src/processes';
import { sleep } from '../../packages/testing/src/readiness';
import { seconds } from './output';

/** The repository root. */
export const ROOT = join(__dirname, '..', '..');
/** Above a service's own stop deadline (STOP_DEADLINE_MS in @cei/config, 15 s): it logs what hung, then exits. */
const STOP_DEADLINE_MS = 20_000;
const KEPT_LINES = 25;

/** The apps, in start order, with the variables that set their port and tell the gateway their URL. */
export const APPS = [
  { name: 'ingestion', dir: 'services/ingestion', portVariable: 'INGESTION_PORT', urlVariable: 'CEI_INGESTION_URL' },
  { name: 'scoring', dir: 'services/scoring', portVariable: 'SCORING_PORT', urlVariable: 'CEI_SCORING_URL' },
  { name: 'lifecycle', dir: 'services/lifecycle', portVariable: 'LIFECYCLE_PORT', urlVariable: 'CEI_LIFECYCLE_URL' },
  {
    name: 'notification',
    dir: 'services/notification',
    portVariable: 'NOTIFICATION_PORT',
    urlVariable: 'CEI_NOTIFICATION_URL',
  },
  { name: 'gateway', dir: 'gateway', portVariable: 'GATEWAY_PORT', urlVariable: undefined },
] as const;

export type AppSpec = (typeof APPS)[number];

/** How a stop ended: a SIGKILL says how long the process had ignored SIGTERM. */
export type StopOutcome = 'stopped' | 'had already exited' | `killed: ${string}`;

export interface AppLaunch {
  /** Used in messages, e.g. `scoring` or `gateway-2`. */
  name: string;
  /** The app's directory (relative to the repository root, e.g. `services/scoring`); it runs there. */
  dir: string;
  /** Where it serves /health (its environment must say so too). */
  port: number;
  env: NodeJS.ProcessEnv;
  /** Every line it prints, as it comes (e.g. into a log file). */
  onLine?: (line: string) => void;
  /** Run `<dir>/dist/main.js` (built by `pnpm build`) instead of the sources under tsx. */
  compiled?: boolean;
}

/** Node's arguments for an app: its compiled entry point, or its sources under tsx. */
/**
 * Node's memory settings for every app: V8 grows its heap lazily up to a limit sized from
 * the machine (GBs here), so a busy app kept several times its live objects; capped, it
 * collects sooner. What the apps keep between requests is bounded well below this
 * (CEI_STATE_CACHE_CONTACTS rows, a batch's events per partition). The deploy manifests set
 * the same (NODE_OPTIONS in infra/k8s/config.yaml). 256 MB was too little once score changes
 * carried likelihoods, tags and ids: under the 200k-interaction backlog of `pnpm bench`
 * (10k contacts, 16 partitions holding up to 2,000 events each) scoring exited.
 */
export const APP_HEAP_MB = 384;
/** glibc's default of 8 malloc arenas per core fragments a Node process's native memory. */
export const APP_ENV = { MALLOC_ARENA_MAX: '2' } as const;

export function appCommand(dir: string, compiled = false): string[] {
  const heap = `--max-old-space-size=${APP_HEAP_MB}`;
  if (compiled) {
    const main = join(dir, 'dist', 'main.js');
    if (!existsSync(main)) throw new Error(`${main} does not exist: run \`pnpm build\` first`);
    return [heap, main];
  }
  // The `cei-source` condition makes the workspace packages resolve to their sources too (see
  // packages/config/package.json "exports"); without it they would resolve to their dist/.
  const tsx = pathToFileURL(require.resolve('tsx', { paths: [ROOT] })).href;
  return [heap, '--conditions=cei-source', '--import', tsx, join(dir, 'src', 'main.ts')];
}

export class AppProcess {
  readonly name: string;
  readonly dir: string;
  readonly port: number;
  readonly exited: Promise<ExitStatus>;
  private readonly child: ChildProcess;
  private readonly recent = new RecentLines(KEPT_LINES);
  private printed = false;
  private status: ExitStatus | undefined;
  private stopping: Promise<StopOutcome> | undefined;

  constructor(launch: AppLaunch) {
    this.name = launch.name;
    this.dir = launch.dir;
    this.port = launch.port;
    const dir = resolve(ROOT, launch.dir);
    this.child = spawn(process.execPath, appCommand(dir, launch.compiled), {
      cwd: dir,
      env: { ...APP_ENV, ...launch.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => {
      const settle = (status: ExitStatus) => {
        this.status ??= status;
        resolve(this.status);
      };
      // Once its output is read too ('close'), so a crash report shows its last words; but no
      // later than a second after 'exit', in case something it started still holds the pipes.
      // 'error' (e.g. ENOENT) may come without either, so it settles too.
      this.child.once('error', (error) => settle({ code: null, signal: null, error }));
      this.child.once('close', (code, signal) => settle({ code, signal }));
      this.child.once('exit', (code, signal) => setTimeout(() => settle({ code, signal }), 1_000).unref());
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        this.printed = true;
        this.recent.push(line);
        launch.onLine?.(line);
      });
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Set once it has exited; undefined while it runs. */
  get exitStatus(): ExitStatus | undefined {
    return this.status;
  }

  /** Its last lines of output, ready to print. */
  get lastLines(): string {
    return this.recent.toString();
  }

  /** The same lines one by one ([] before it printed any). */
  get lastLineList(): string[] {
    return this.printed ? this.recent.toString().split('\n') : [];
  }

  /** SIGTERM (the app drains and exits), SIGKILL after the deadline. Resolves to what happened. Safe to call twice. */
  stop(): Promise<StopOutcome> {
    this.stopping ??= (async () => {
      if (this.status) return 'had already exited';
      this.child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), STOP_DEADLINE_MS);
      });
      const outcome = await Promise.race([this.exited, timedOut]);
      clearTimeout(timer);
      if (outcome !== 'timeout') return 'stopped';
      this.child.kill('SIGKILL');
      await this.exited;
      return `killed: still running ${seconds(STOP_DEADLINE_MS)} after SIGTERM`;
    })();
    return this.stopping;
  }

  /** All a process 'exit' handler can do: signal without waiting. */
  signalStop(): void {
    if (!this.status) this.child.kill('SIGTERM');
  }
}

export interface HealthWait {
  timeoutMs: number;
  /** Called before every poll; throws to abandon the wait (e.g. once a stop is requested). */
  throwIfCancelled?: () => void;
  /** The error for an app that exited or never answered; by default the headline and its last lines. */
  failure?: (app: AppProcess, headline: string) => Error;
}

/** Polls GET /health until it answers 2xx; fails if the app exits first or the deadline passes (the app keeps running). */
export async function waitUntilHealthy(app: AppProcess, wait: HealthWait): Promise<void> {
  const { timeoutMs, throwIfCancelled, failure = withLastLines } = wait;
  const url = `http://127.0.0.1:${app.port}/health`;
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    throwIfCancelled?.();
    const status = app.exitStatus;
    if (status) throw failure(app, `${app.name} ${describeExit(status)} before it was healthy`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = ((error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message) || 'no answer';
    }
    await sleep(200);
  }
  throw failure(app, `${app.name} was not healthy within ${seconds(timeoutMs)} (GET ${url}: ${last})`);
}

function withLastLines(app: AppProcess, headline: string): Error {
  return new Error(`${headline}.\n--- last lines of ${app.name} ---\n${app.lastLines}\n---`);
}
