// Starts an embedded backend (mosquitto, rsyslogd) under a small shell watchdog that ends it, and removes its temp folder, when the LB's pipe closes.
import { spawn, type ChildProcess } from 'node:child_process';


/**
 * Why a watchdog: a SIGKILLed LB (a crash, an OOM kill, kill -9) runs no cleanup, and its backends would live on,
 * reparented to init, holding their ports and temp folders. The watchdog holds the read end of a pipe whose only
 * writer is the LB; the kernel closes it however the LB dies, `read` returns, and the watchdog stops the backend.
 *
 * The backend runs in the background with stdin from /dev/null and stdout onto stderr, so stdout carries only the
 * watchdog's one line, the backend's pid. SIGINT is ignored (a Ctrl-C reaches the whole process group; the LB then
 * stops its backends itself). The watchdog exits with the backend, after removing the folder, so the watchdog's
 * exit is the backend's exit.
 */
const WATCHDOG = `
dir=$1; shift
trap '' INT
exec 3<&0
"$@" </dev/null >&2 3<&- &
child=$!
echo "protoext-backend-pid $child"
( while read -r _; do :; done; kill -TERM "$child" 2>/dev/null ) <&3 &
reader=$!
exec 3<&-
wait "$child"
code=$?
kill "$reader" 2>/dev/null
rm -rf "$dir"
exit $code
`;

export interface TiedProcess {
  /** The watchdog: its stderr carries the backend's output; its exit is the backend's exit. */
  readonly watchdog: ChildProcess;
  /** The backend's own pid (for signals: a test that kills a backend kills this one). */
  readonly pid: Promise<number>;
}

/** Runs `binary args` tied to this process's life; `dir` (its temp folder) is removed when it ends. */
export function spawnTied(binary: string, args: readonly string[], dir: string): TiedProcess {
  if (process.platform === 'win32') {
    // No POSIX shell: the backend runs untied there (a killed LB leaves it running); stop() still ends it.
    const child = spawn(binary, [...args], { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const pid = child.pid === undefined ? Promise.reject(new Error(`${binary} did not start`)) : Promise.resolve(child.pid);
    pid.catch(() => undefined);
    return { watchdog: child, pid };
  }
  const watchdog = spawn('/bin/sh', ['-c', WATCHDOG, 'protoext-watchdog', dir, binary, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const pid = new Promise<number>((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const m = /protoext-backend-pid (\d+)\n/.exec(text);
      if (!m) return;
      watchdog.stdout?.off('data', onData);
      resolve(Number(m[1]));
    };
    watchdog.stdout?.on('data', onData);
    watchdog.once('exit', () => reject(new Error(`${binary} did not start (its watchdog exited)`)));
  });
  // The pid promise may be rejected with nobody awaiting it (the backend failed and the caller reports that instead).
  pid.catch(() => undefined);
  return { watchdog, pid };
}

/** Sends `signal` to the backend and resolves when its watchdog has exited (the backend is gone, its folder removed). */
export async function stopTied(tied: TiedProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const { watchdog } = tied;
  if (watchdog.exitCode !== null || watchdog.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => watchdog.once('exit', () => resolve()));
  try {
    process.kill(await tied.pid, signal);
  } catch {
    // Already gone, or never started: closing the pipe below ends the watchdog either way.
  }
  watchdog.stdin?.end();
  await gone;
}
