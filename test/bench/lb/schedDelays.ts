// `node out/test/bench/lb/schedDelays.js <timehist.txt> [fromMs toMs [overMs]]`: who held the core while a woken task waited for it.
// Input: `perf sched record -a -o sched.data` during a workload, then `perf sched timehist -i sched.data > timehist.txt`.
// The optional window is in CLOCK_MONOTONIC milliseconds (process.hrtime in any of the processes), e.g. a serial run's start and end;
// overMs (1 unless given) is the shortest wait counted: a warm serial tail is made of waits of 0.1-0.5 ms.
import { readFileSync } from 'node:fs';

interface Switch {
  /** When the task was switched out, ms. */
  endMs: number;
  cpu: string;
  task: string;
  /** Between wake-up and getting the core, ms. */
  delayMs: number;
  runMs: number;
}

/** By default, delays longer than this are the tail this tool is for (a cold serial tail; a serial connect's p50 is about 0.3 ms). */
const LONG_DELAY_MS = 1;

export function parseTimehist(text: string): Switch[] {
  const rows: Switch[] = [];
  for (const line of text.split('\n')) {
    // "  39160.140333 [0001]  mosquitto[3003]    3.191      2.967      0.059"
    const m = /^\s*([\d.]+)\s+(\[\d+\])\s+(\S+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*$/.exec(line);
    if (m) rows.push({ endMs: Number(m[1]) * 1000, cpu: m[2], task: m[3], delayMs: Number(m[5]), runMs: Number(m[6]) });
  }
  return rows.sort((a, b) => a.endMs - b.endMs);
}

/** "node[4553/4549]" (thread 4553 of process 4549) -> "node thread of 4549"; "mosquitto[3003]" -> "mosquitto". */
function kind(task: string): string {
  const m = /^(.*)\[(\d+)(?:\/(\d+))?\]$/.exec(task);
  if (!m) return task;
  return m[3] ? `${m[1]} thread of ${m[3]}` : `${m[1]} ${m[2]}`;
}

/** For every long wait: the task that ran longest on the waiting task's core during the wait. */
export function attribute(rows: readonly Switch[], fromMs = -Infinity, toMs = Infinity, overMs = LONG_DELAY_MS): { waits: number; victims: Map<string, number>; holders: Map<string, number> } {
  const victims = new Map<string, number>();
  const holders = new Map<string, number>();
  let waits = 0;
  for (const r of rows) {
    if (r.delayMs <= overMs || r.endMs < fromMs || r.endMs > toMs) continue;
    waits++;
    const start = r.endMs - r.runMs - r.delayMs;
    const end = r.endMs - r.runMs;
    let holder = 'nothing recorded';
    let longest = 0;
    for (const o of rows) {
      if (o.cpu !== r.cpu || o.task === r.task || o.endMs <= start || o.endMs - o.runMs >= end) continue;
      const overlap = Math.min(o.endMs, end) - Math.max(o.endMs - o.runMs, start);
      if (overlap > longest) {
        longest = overlap;
        holder = o.task;
      }
    }
    const v = r.task.replace(/\[.*$/, '');
    victims.set(v, (victims.get(v) ?? 0) + 1);
    holders.set(kind(holder), (holders.get(kind(holder)) ?? 0) + 1);
  }
  return { waits, victims, holders };
}

function main(): void {
  const [file, from, to, over] = process.argv.slice(2);
  if (!file) throw new Error('usage: schedDelays.js <perf sched timehist output> [fromMs toMs [overMs]]');
  const overMs = over ? Number(over) : LONG_DELAY_MS;
  const { waits, victims, holders } = attribute(parseTimehist(readFileSync(file, 'utf8')), from ? Number(from) : undefined, to ? Number(to) : undefined, overMs);
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} ${k}`).join(', ');
  process.stdout.write(`waits over ${overMs} ms for a core: ${waits}\nwho waited: ${sorted(victims)}\nwho held the core: ${sorted(holders)}\n`);
}

if (require.main === module) main();
