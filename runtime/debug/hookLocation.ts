// Where local LBs publish their debug hooks and how `attach` finds the newest: Unix sockets in a private folder, named pipes on Windows.
import { lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** What the location depends on; injected by tests to play Windows or POSIX on any machine. */
export interface HookHost {
  platform: NodeJS.Platform;
  /** Folder the per-user hook folder goes in: os.tmpdir() on POSIX, %LOCALAPPDATA% on Windows. */
  baseDir: string;
  /** POSIX uid (ownership check); -1 on Windows, which has no uid. */
  uid: number;
  user: string;
  isAlive(pid: number): boolean;
}

export function currentHookHost(): HookHost {
  const win = process.platform === 'win32';
  return {
    platform: process.platform,
    baseDir: win ? process.env.LOCALAPPDATA || join(homedir(), 'AppData', 'Local') : tmpdir(),
    uid: process.getuid?.() ?? -1,
    user: userInfo().username,
    isAlive,
  };
}

/**
 * This user's hook folder. POSIX: the sockets themselves live here, so it must be 0700 and ours (anyone who can reach a
 * socket file can connect). Windows: only records naming each LB's pipe, under LOCALAPPDATA, which is the user's own.
 */
export function debugHookDir(host: HookHost = currentHookHost()): string {
  if (host.platform === 'win32') {
    const dir = join(host.baseDir, 'protoext-studio', 'debug-hooks');
    mkdirSync(dir, { recursive: true });
    return dir;
  }
  const dir = join(host.baseDir, `protoext-${host.uid}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  if (!st.isDirectory() || st.uid !== host.uid || (st.mode & 0o077) !== 0) {
    throw new Error(`${dir} must be a directory owned by uid ${host.uid} with mode 0700 (it is not); the debug hook refuses to use it`);
  }
  return dir;
}

/** A pipe name is one path segment: keep it to characters every Windows account name can be folded to. */
const pipeSafe = (user: string): string => user.replace(/[^A-Za-z0-9._-]/g, '_');

export function debugHookPath(pid = process.pid, host: HookHost = currentHookHost()): string {
  if (host.platform === 'win32') return `\\\\.\\pipe\\protoext-${pipeSafe(host.user)}-lb-${pid}`;
  return join(debugHookDir(host), `lb-${pid}.sock`);
}

export const isPipePath = (path: string): boolean => path.startsWith('\\\\.\\pipe\\') || path.startsWith('\\\\?\\pipe\\');

/**
 * Windows pipes cannot be listed with modification times, so the LB leaves a record naming its pipe in the hook folder;
 * returns the record's removal. On POSIX the socket file is its own record.
 */
export function announceDebugHook(path: string, pid = process.pid, host: HookHost = currentHookHost()): () => void {
  if (!isPipePath(path)) return () => undefined;
  const record = join(debugHookDir(host), `lb-${pid}.pipe`);
  writeFileSync(record, path);
  return () => rmSync(record, { force: true });
}

/** For `attach` without a `hook` argument: the hook of the newest local LB that is still running. */
export function newestDebugHook(host: HookHost = currentHookHost()): string | null {
  const dir = debugHookDir(host);
  const entry = host.platform === 'win32' ? /^lb-(\d+)\.pipe$/ : /^lb-(\d+)\.sock$/;
  const newest = readdirSync(dir)
    .map((name) => entry.exec(name))
    .filter((m): m is RegExpExecArray => m !== null && host.isAlive(Number(m[1])))
    .map((m) => ({ file: join(dir, m[0]), mtime: statSync(join(dir, m[0])).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime)[0];
  if (!newest) return null;
  return host.platform === 'win32' ? readFileSync(newest.file, 'utf8').trim() : newest.file;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
