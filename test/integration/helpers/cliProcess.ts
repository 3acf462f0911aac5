// Runs the built `protoext-lb` (dist/cli.js) as a child: builds it when missing or stale, reads its jsonl records, talks IPC.
import { execFile, fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { OutputRecord } from '../../../runtime/cli/eventLog';
import type { IpcMessage } from '../../../runtime/cli/ipcProtocol';
import { REPO } from './lbHarness';

export const CLI = join(REPO, 'dist', 'cli.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestSource(p) : st.mtimeMs);
  }
  return newest;
}

/** Builds dist/ with the project's esbuild script when dist/cli.js is missing or older than runtime/, and says which. */
export function ensureCliBuilt(): void {
  const why = !existsSync(CLI) ? 'is missing' : statSync(CLI).mtimeMs < newestSource(join(REPO, 'runtime')) ? 'is older than a source in runtime/' : null;
  if (why === null) return;
  console.log(`dist/cli.js ${why}: rebuilding it (node esbuild.mjs) so the test runs the current sources`);
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('esbuild.mjs failed');
}

/** Collects stdout lines and resolves waits for matching lines. */
export class LineReader {
  readonly lines: string[] = [];
  private waiters: { match: (line: string) => boolean; resolve: (line: string) => void }[] = [];

  constructor(stream: NodeJS.ReadableStream) {
    let buffered = '';
    stream.on('data', (d: Buffer) => {
      buffered += d.toString('utf8');
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        this.lines.push(line);
        this.waiters = this.waiters.filter((w) => (w.match(line) ? (w.resolve(line), false) : true));
      }
    });
  }

  wait(match: (line: string) => boolean, timeoutMs = 10_000): Promise<string> {
    const seen = this.lines.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching line in ${timeoutMs} ms; got:\n${this.lines.join('\n')}`)), timeoutMs);
      this.waiters.push({ match, resolve: (l) => (clearTimeout(timer), resolve(l)) });
    });
  }

  /** The next jsonl record of a given event name. */
  async record<E extends OutputRecord['event']>(event: E, pred: (r: Extract<OutputRecord, { event: E }>) => boolean = () => true, timeoutMs?: number): Promise<Extract<OutputRecord, { event: E }>> {
    const line = await this.wait((l) => {
      try {
        const r = JSON.parse(l) as OutputRecord;
        return r.event === event && pred(r as Extract<OutputRecord, { event: E }>);
      } catch {
        return false;
      }
    }, timeoutMs);
    return JSON.parse(line) as Extract<OutputRecord, { event: E }>;
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one `protoext-lb` command to its end (simulate, check, export). */
export function runCli(args: string[], timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, ...args], { cwd: REPO, timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      if (code === null) reject(err);
      else resolve({ code, stdout, stderr });
    });
  });
}

/** `nodeFlags`: node's own flags before the script (the bench starts `run` with LB_NODE_FLAGS, as the extension does). */
export function spawnCli(args: string[], nodeFlags: readonly string[] = []): { child: ChildProcess; out: LineReader; err: LineReader; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [...nodeFlags, CLI, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out: new LineReader(child.stdout!), err: new LineReader(child.stderr!), exit };
}

/** Forks the CLI with an IPC channel, as the VS Code client does. */
export function forkCli(args: string[]): { child: ChildProcess; messages: IpcMessage[]; next: (pred: (m: IpcMessage) => boolean, timeoutMs?: number) => Promise<IpcMessage>; exit: Promise<number | null> } {
  const child = fork(CLI, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const messages: IpcMessage[] = [];
  let waiters: { pred: (m: IpcMessage) => boolean; resolve: (m: IpcMessage) => void }[] = [];
  child.on('message', (m) => {
    const msg = m as IpcMessage;
    messages.push(msg);
    waiters = waiters.filter((w) => (w.pred(msg) ? (w.resolve(msg), false) : true));
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const next = (pred: (m: IpcMessage) => boolean, timeoutMs = 10_000) => {
    const seen = messages.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise<IpcMessage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching IPC message in ${timeoutMs} ms`)), timeoutMs);
      waiters.push({ pred, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  };
  return { child, messages, next, exit };
}
