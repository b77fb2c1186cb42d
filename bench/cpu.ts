/** CPU time of the bench's processes, from /proc (Linux): robust to the machine's load, unlike wall time. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** CPU milliseconds a process spent (user + system), with its reaped children's when asked. */
export function cpuMs(pid: number, withChildren = false): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const ticks = fields.slice(11, withChildren ? 15 : 13).reduce((a, b) => a + Number(b), 0);
    return ticks * 10; // USER_HZ is 100
  } catch {
    return 0; // it ended
  }
}
/** PostgreSQL's processes: the postmaster first, then its living children (the backends). */
function clusterPids(dataDir: string): number[] {
  const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const pids = [postmaster];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.split(') ')[1]!.split(' ')[1]) === postmaster) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}
/** PostgreSQL's CPU: the postmaster and every backend, living or ended (reaped by it). */
export function clusterCpuMs(dataDir: string): number {
  return clusterPids(dataDir).reduce((total, pid) => total + cpuMs(pid, true), 0);
}
export const clientCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
/** A process's kernel (system) CPU milliseconds alone: its syscalls (socket reads and writes). */
export function systemCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[12]) * 10;
  } catch {
    return 0;
  }
}
export const clientSystemCpuMs = () => process.cpuUsage().system / 1000;

/**
 * Milliseconds a process's main thread (or every thread: `allThreads`) spent runnable but waiting
 * for a core (the kernel's schedstat): what the machine's other processes cost it, which CPU
 * time does not show.
 */
export function waitedMs(pid: number, allThreads = false): number {
  let total = 0;
  try {
    for (const task of allThreads ? readdirSync(`/proc/${pid}/task`) : [String(pid)]) {
      total += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[1]);
    }
  } catch {
    // it ended
  }
  return total / 1e6;
}

/** The same for PostgreSQL: the postmaster and its living backends. */
export function clusterWaitedMs(dataDir: string): number {
  return clusterPids(dataDir).reduce((total, pid) => total + waitedMs(pid), 0);
}
