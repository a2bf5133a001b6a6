// Where the server binaries come from: nats-server and FerretDB built into the
// CEI cache by infra/local/install-servers.sh, PostgreSQL from the system.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export type ServerBinary = 'nats-server' | 'ferretdb';

export function cacheBinDir(): string {
  return join(process.env.CEI_CACHE_DIR || join(homedir(), '.cache', 'cei'), 'bin');
}

/** The monorepo root: the nearest directory above `from` with pnpm-workspace.yaml. */
export function repoRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dirname(dir) === dir)
      throw new Error(`no pnpm-workspace.yaml above ${from}: cannot find the CEI repository root`);
  }
}

let installing: Promise<string> | undefined;

/** Path of a server binary, building it first (once per process) when the cache lacks it. */
export async function serverBinary(name: ServerBinary): Promise<string> {
  const cached = join(cacheBinDir(), name);
  if (existsSync(cached)) return cached;
  installing ??= runInstallScript().finally(() => {
    installing = undefined;
  });
  const built = join(await installing, name);
  if (!existsSync(built)) throw new Error(`infra/local/install-servers.sh finished but ${built} does not exist`);
  return built;
}

/** Runs the install script; its stderr shows build progress (a cold build takes minutes). */
function runInstallScript(): Promise<string> {
  const script = join(repoRoot(), 'infra', 'local', 'install-servers.sh');
  process.stderr.write(`[cei/testing] building nats-server and FerretDB into ${cacheBinDir()} (first run only)\n`);
  return new Promise((resolve, reject) => {
    const child = execFile('bash', [script], { maxBuffer: 1024 * 1024 }, (error, stdout) => {
      if (error) {
        reject(
          new Error(
            `${script} failed (${error.message.split('\n')[0]}); its output is above. Fix that, or set NATS_URL and MONGO_URL to running servers.`,
          ),
        );
        return;
      }
      const binDir = stdout.trim().split('\n').pop() ?? '';
      resolve(binDir || cacheBinDir());
    });
    child.stderr?.pipe(process.stderr);
  });
}

/** Directory holding `initdb`, `postgres` and `pg_isready`. */
export function postgresBinDir(): string {
  const candidates = [pgConfigBinDir(), ...debianBinDirs()].filter((dir): dir is string => dir !== undefined);
  const found = candidates.find((dir) => existsSync(join(dir, 'postgres')) && existsSync(join(dir, 'initdb')));
  if (found) return found;
  throw new Error(
    'PostgreSQL server binaries not found (looked at `pg_config --bindir` and /usr/lib/postgresql/*/bin). ' +
      'Install them with `apt-get install -y postgresql` (Debian package `postgresql`), ' +
      'or set CEI_FERRETDB_BACKEND=sqlite, or set MONGO_URL to a running MongoDB-compatible server.',
  );
}

function pgConfigBinDir(): string | undefined {
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** Debian installs each major version side by side; prefer the newest. */
function debianBinDirs(): string[] {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((version) => /^\d+$/.test(version))
    .sort((a, b) => Number(b) - Number(a))
    .map((version) => join(root, version, 'bin'));
}

export interface SystemUser {
  uid: number;
  gid: number;
}

/**
 * PostgreSQL refuses to run as root, so as root we run it as the `postgres`
 * user (created by Debian's package); otherwise as ourselves (undefined).
 */
export function postgresRunAs(): SystemUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error(
      'running as root, and PostgreSQL refuses to run as root, but there is no `postgres` user to run it as. ' +
        "Install Debian's `postgresql` package (it creates one), or run the tests as a non-root user.",
    );
  }
}
