// What `pnpm bench` measures with: the data sizes by default, smaller ones for a quick run
// (`pnpm bench -- --interactions 20000 --contacts 2000`, or BENCH_INTERACTIONS=20000 …).
import { join } from 'node:path';
import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Interactions loaded through the gateway, then drained by the whole pipeline. */
  interactions: number;
  /** Contacts they are spread over (round robin). */
  contacts: number;
  /** Stored interactions the recompute rebuilds from (in process, over `contacts` contacts). */
  recomputeInteractions: number;
  /** Single-interaction requests per second for the accepted → phaseChanged latency. */
  latencyRate: number;
  latencySeconds: number;
  /** The whole run stops waiting at this budget and reports what it measured by then. */
  budgetMinutes: number;
}

const OPTIONS = {
  interactions: { env: 'BENCH_INTERACTIONS', default: 200_000 },
  contacts: { env: 'BENCH_CONTACTS', default: 10_000 },
  // The 100k: half of the interactions, unless given.
  'recompute-interactions': { env: 'BENCH_RECOMPUTE_INTERACTIONS', default: undefined },
  'latency-rate': { env: 'BENCH_LATENCY_RATE', default: 200 },
  'latency-seconds': { env: 'BENCH_LATENCY_SECONDS', default: 20 },
  'budget-minutes': { env: 'BENCH_BUDGET_MINUTES', default: 23 },
} as const;
type OptionName = keyof typeof OPTIONS;

export function benchOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const { values } = parseArgs({
    // `pnpm bench -- --interactions 20000` passes the `--` along.
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: Object.fromEntries(Object.keys(OPTIONS).map((name) => [name, { type: 'string' as const }])),
    strict: true,
  });
  const read = (name: OptionName): number | undefined => {
    const raw = (values[name] as string | undefined) ?? env[OPTIONS[name].env];
    if (raw === undefined || raw === '') return OPTIONS[name].default;
    const value = Number(raw.replaceAll('_', ''));
    if (!Number.isFinite(value) || value <= 0) {
      throw new Error(`--${name} (or ${OPTIONS[name].env}) must be a positive number, not '${raw}'`);
    }
    return value;
  };
  const interactions = Math.round(read('interactions')!);
  const contacts = Math.round(read('contacts')!);
  if (contacts > interactions) {
    throw new Error(`--contacts (${contacts}) must not exceed --interactions (${interactions})`);
  }
  return {
    interactions,
    contacts,
    recomputeInteractions: Math.round(read('recompute-interactions') ?? interactions / 2),
    latencyRate: read('latency-rate')!,
    latencySeconds: read('latency-seconds')!,
    budgetMinutes: read('budget-minutes')!,
  };
}

/** Preloads cpu-profile.cjs into every platform process (NODE_OPTIONS may not carry --cpu-prof). */
export function cpuProfileEnv(profDir: string): Record<string, string> {
  const preload = `--require ${join(__dirname, 'cpu-profile.cjs')}`;
  return {
    NODE_OPTIONS: [process.env.NODE_OPTIONS, preload].filter(Boolean).join(' '),
    CEI_CPU_PROF_DIR: profDir,
  };
}
