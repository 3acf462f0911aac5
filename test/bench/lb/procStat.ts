// CPU seconds and RSS of a process and its descendants, read from /proc (Linux): the bench's per-unit-of-work cost meter.
import { readFileSync, readdirSync } from 'node:fs';

/** USER_HZ: utime/stime in /proc/PID/stat count these ticks (100 on every Linux ABI Node runs on). */
const CLOCK_TICKS = 100;

/** The fields after the command name of /proc/PID/stat (or /proc/PID/task/TID/stat): comm may hold spaces and parentheses, so split after the last ')'. */
function statFields(pid: number, tid?: number): string[] | null {
  try {
    const text = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** `pid` and every live descendant (a multi-worker runtime's workers are children of its primary). */
export function processTree(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const f = statFields(Number(name));
    if (f) parentOf.set(Number(name), Number(f[1]));
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    for (const [child, parent] of parentOf) if (parent === tree[i]) tree.push(child);
  }
  return tree;
}

/** utime + stime of the whole tree, in seconds (threads are included in their process's counters). */
export function treeCpuSeconds(pid: number): number {
  let ticks = 0;
  for (const p of processTree(pid)) {
    const f = statFields(p);
    // After ')': state is field 3, so utime (14) and stime (15) sit at 11 and 12.
    if (f) ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks / CLOCK_TICKS;
}

/**
 * The tree's CPU seconds off each process's main thread: V8's compiler and GC workers, libuv's pool, HAProxy's other
 * threads. Read per thread from /proc/PID/task (a thread's counters are its own there).
 */
export function treeBackgroundCpuSeconds(pid: number): number {
  let ticks = 0;
  for (const p of processTree(pid)) {
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    for (const tid of tids.map(Number)) {
      if (tid === p) continue;
      // null: the thread ended between listing and reading.
      const f = statFields(p, tid);
      if (f) ticks += Number(f[11]) + Number(f[12]);
    }
  }
  return ticks / CLOCK_TICKS;
}

/** Resident set of the whole tree, in bytes (VmRSS). */
export function treeRssBytes(pid: number): number {
  let kb = 0;
  for (const p of processTree(pid)) {
    try {
      const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch {
      // the process ended between listing and reading
    }
  }
  return kb * 1024;
}
