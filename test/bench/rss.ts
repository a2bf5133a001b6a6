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
  return [...processTicks()].flatMap(([pid, { ppid }]) => (ppid === parent ? [pid] : []));
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

/**
 * Every process's parent and its clock ticks of user + system time, its own and those of its children
 * that exited and were waited for, from one pass over /proc.
 */
function processTicks(): Map<number, { ppid: number; ticks: number }> {
  const table = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // After `pid (comm)`: ppid is field 4, utime..cstime (fields 14–17) are at 11..14 here.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
      table.set(Number(entry), { ppid: Number(fields[1]), ticks });
    } catch {
      // It exited while we looked.
    }
  }
  return table;
}

/**
 * CPU seconds of each named process so far, its live children included (PostgreSQL's backends).
 * One pass over /proc (~1 ms), so that a bench may read it every second without weighing on what it measures.
 */
export function cpuSeconds(pids: Record<string, number>): Record<string, number> {
  const ticksPerSecond = 100; // USER_HZ on Linux
  const table = processTicks();
  const children = new Map<number, number>();
  for (const { ppid, ticks } of table.values()) children.set(ppid, (children.get(ppid) ?? 0) + ticks);
  const report: Record<string, number> = {};
  for (const [name, pid] of Object.entries(pids)) {
    const own = table.get(pid);
    if (own === undefined) continue;
    report[name] = (own.ticks + (children.get(pid) ?? 0)) / ticksPerSecond;
  }
  return report;
}

/** CPU milliseconds per unit of work of each process between two `cpuSeconds` readings. */
export function cpuMillisecondsPer(
  before: Record<string, number>,
  after: Record<string, number>,
  units: number,
): Record<string, number> {
  const per: Record<string, number> = {};
  let total = 0;
  for (const [name, seconds] of Object.entries(after)) {
    const spent = seconds - (before[name] ?? 0);
    total += spent;
    per[name] = Math.round((spent * 1000 * 100) / units) / 100;
  }
  per.total = Math.round((total * 1000 * 100) / units) / 100;
  return per;
}
