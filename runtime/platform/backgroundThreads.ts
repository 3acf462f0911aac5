// The LB process's background threads (V8's optimizing compiler and concurrent GC) at the lowest CPU priority, on Linux.
import { readdirSync } from 'node:fs';
import { constants, setPriority } from 'node:os';

/**
 * Why: a connect's tail latency is mostly a backend or client waiting for a core. Measured with `perf sched timehist`
 * during the bench's serial connects (docs/PERFORMANCE.md), a woken mosquitto waited 1-4 ms in about one connect of
 * a hundred, and in over half of those waits the core it was queued on ran one of this process's V8 worker threads
 * (re-optimizing JavaScript) while the other core sat idle. At nice 19 such a thread gets a small share of a busy core
 * and gives way to a normal process that wakes once its (short) slice ends, on EEVDF kernels as well; measured,
 * such waits behind our threads went from 41 to 25 (of about 100). The event loop (the main thread) keeps its
 * priority. What made the threads busy in the first place is handled at its cause: runtime/cli/lbNodeFlags.ts.
 *
 * Call before the process's first asynchronous file or DNS work: the threads that exist then are V8's, and libuv's
 * thread pool (started later, by the main thread) keeps normal priority. Linux names threads in /proc/self/task and
 * lets setpriority() take a thread id; elsewhere this does nothing. Returns how many threads were lowered.
 */
export function lowerBackgroundThreadPriority(platform: NodeJS.Platform = process.platform): number {
  if (platform !== 'linux') return 0;
  let lowered = 0;
  let threads: string[];
  try {
    threads = readdirSync('/proc/self/task');
  } catch {
    return 0;
  }
  for (const tid of threads.map(Number)) {
    if (tid === process.pid) continue;
    try {
      setPriority(tid, constants.priority.PRIORITY_LOW);
      lowered++;
    } catch {
      // A thread that ended meanwhile, or a sandbox that forbids it: latency is what suffers, not correctness.
    }
  }
  return lowered;
}
