// Linux process tree from /proc: the processes an LB runtime started (its watchdogs and their backends), by command name.
import { readFileSync, readdirSync } from 'node:fs';

/** Every live process's parent pid (field 4 of /proc/PID/stat; the command name before it may hold spaces, so split after its ')'). */
function parents(): Map<number, number> {
  const out = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      out.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/** The processes below `pid`, at any depth (backends run under a shell watchdog, so they are grandchildren). */
export function descendantsOf(pid: number): number[] {
  const parentOf = parents();
  const found: number[] = [];
  let level = [pid];
  while (level.length > 0) {
    const next = [...parentOf].filter(([, parent]) => level.includes(parent)).map(([child]) => child);
    found.push(...next);
    level = next;
  }
  return found;
}

/** The command name of a process (e.g. "mosquitto", "sh"), or '' once it is gone. */
export function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** The process's arguments (argv), or [] once it is gone. */
export function commandLineOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** True while `pid` runs (a zombie, ended but not yet reaped by its parent, counts as gone). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}
