// The platform a benchmark measures: the four subgraphs and a gateway as deployed (JavaScript from
// `pnpm build`, which the bench scripts run first), a workspace with its keys, the set-up mutations
// the measurement needs, and a NATS connection to read the platform's streams with.
import { databaseName } from '@cei/config';
import { connectDatabase } from '@cei/mongo';
import { connectNats, type Nats } from '@cei/nats';
import { createWorkspace } from '@cei/gateway/src/auth/api-keys';
import { startPlatform, type Platform } from '../src/platform';
import { gql } from '../src/gateway-client';

export interface BenchPlatform {
  platform: Platform;
  keys: Awaited<ReturnType<typeof createWorkspace>>['keys'];
  httpUrl: string;
  wsUrl: string;
  nats: Nats;
  stop(): Promise<void>;
}

export async function startBenchPlatform(opts: {
  natsUrl: string;
  mongoUrl: string;
  namespace: string;
  /** Admin mutations run once the workspace exists (scoring rules, the lifecycle policy). */
  setUp: string[];
  /** Run the apps as built JavaScript (default) or as sources under tsx. */
  compiled?: boolean;
  /** More environment for every app (e.g. a CPU profiler's preload). */
  env?: Record<string, string>;
  progress: (message: string) => void;
}): Promise<BenchPlatform> {
  opts.progress('starting the four subgraphs and a gateway (compiled)…');
  const platform = await startPlatform({
    natsUrl: opts.natsUrl,
    mongoUrl: opts.mongoUrl,
    namespace: opts.namespace,
    compiled: opts.compiled ?? true,
    // BENCH_LOG_LEVEL=warn keeps the apps' warnings (retries, slow batches) for a report.
    env: { LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'error', ...opts.env },
  });
  const gatewayDb = await connectDatabase(opts.mongoUrl, databaseName(opts.namespace, 'gateway'));
  const nats = await connectNats(opts.natsUrl, 'bench-platform');
  const stop = async () => {
    clearInterval(watchdog);
    await nats.close();
    await gatewayDb.close();
    await platform.stop();
  };
  // A process of the platform that exits mid-run (out of memory, a crash) is a failed bench, said at
  // once with its last words: the measurement would otherwise wait for a drain that never comes.
  const watchdog = setInterval(() => {
    const gone = Object.entries(platform.pids).find(([, pid]) => !isRunning(pid));
    if (!gone) return;
    clearInterval(watchdog);
    const [name, pid] = gone;
    opts.progress(`${name} (pid ${pid}) exited during the bench; its last lines:\n${platform.output(name).join('\n')}`);
    // The other apps first; exiting then stops the servers (see @cei/testing's processes).
    void stop().finally(() => process.exit(1));
  }, 2_000);
  watchdog.unref();
  try {
    const { keys } = await createWorkspace(gatewayDb.connection);
    const { httpUrl, wsUrl } = platform.gateways[0]!;
    for (const mutation of opts.setUp) {
      const response = await gql(httpUrl, keys.admin, mutation);
      if (response.errors) throw new Error(`${mutation}: ${JSON.stringify(response.errors)}`);
    }
    return { platform, keys, httpUrl, wsUrl, nats, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Whether a process with this id still runs (signal 0 checks without sending anything). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
