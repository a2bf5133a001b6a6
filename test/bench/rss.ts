// Resident set size of the processes a benchmark ran, read from /proc (Linux).
import { readdirSync, readFileSync } from 'node:fs';

/** VmRSS of one process in MB, or undefined if it is gone (or /proc is not there). */
export function rssMegabytes(pid: number): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
  } catch {
    return undefined;
  }
}

/** Direct children of a process (PostgreSQL's backends and workers under its postmaster). */
export function childPids(parent: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // `pid (comm) state ppid …`; comm may hold spaces and parentheses, so parse after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) children.push(Number(entry));
    } catch {
      // It exited while we looked.
    }
  }
  return children;
}

/**
 * RSS in MB of each named process; for a process with children (PostgreSQL), also its largest child,
 * since the target is per process (their sum would count the shared buffers once per backend).
 */
export function rssReport(pids: Record<string, number>): Record<string, number | string> {
  const report: Record<string, number | string> = {};
  for (const [name, pid] of Object.entries(pids)) {
    report[name] = rssMegabytes(pid) ?? 'exited';
    const children = childPids(pid)
      .map((child) => rssMegabytes(child))
      .filter((mb): mb is number => mb !== undefined);
    if (children.length > 0) report[`${name} (largest of ${children.length} children)`] = Math.max(...children);
  }
  return report;
}
