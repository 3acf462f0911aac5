// One forked `dist/cli.js run` with its IPC channel: typed messages in, commands out, and a stop that leaves no orphan; no `vscode` import.
import { fork, type ChildProcess } from 'node:child_process';
import type { CliRecord, OutputRecord } from '../../runtime/cli/eventLog';
import { LB_NODE_FLAGS } from '../../runtime/cli/lbNodeFlags';
import type { IpcCommand, IpcMessage } from '../../runtime/cli/ipcProtocol';
import type { LbStats } from '../../runtime/proxy/lbProxy';
import type { ScriptError } from '../../runtime/ns/types';

export type IpcResponse = Extract<IpcMessage, { type: 'response' }>;
export type ReadyRecord = Extract<CliRecord, { event: 'ready' }>;

export interface LbProcessHandlers {
  onRecord(record: OutputRecord): void;
  onStats(stats: LbStats): void;
  /** Lines the CLI writes to stderr (warnings, fallbacks such as a busy port). */
  onStderr(line: string): void;
  onExit(code: number | null, signal: NodeJS.Signals | null): void;
}

export interface LbProcessOptions {
  cliPath: string;
  args: readonly string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

type Command = IpcCommand extends infer C ? (C extends { id: number } ? Omit<C, 'type' | 'id'> : never) : never;

function lines(onLine: (line: string) => void): (chunk: Buffer) => void {
  let rest = '';
  return (chunk) => {
    const parts = (rest + chunk.toString('utf8')).split('\n');
    rest = parts.pop() ?? '';
    for (const p of parts) if (p.trim()) onLine(p);
  };
}

export class LbProcess {
  private readonly child: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, (r: IpcResponse) => void>();
  private exited = false;
  private readonly exitWaiters: (() => void)[] = [];
  private readonly readyWaiters: { resolve: (r: ReadyRecord) => void; reject: (e: Error) => void }[] = [];
  private ready: ReadyRecord | null = null;
  private failure: string | null = null;
  private failureScript: ScriptError | null = null;
  private readonly stderrTail: string[] = [];

  constructor(options: LbProcessOptions, private readonly handlers: LbProcessHandlers) {
    // execArgv: the LB's own flags, and not the extension host's (its --inspect flags); ELECTRON_RUN_AS_NODE makes a desktop VS Code's Electron act as node.
    // Every record arrives over IPC; stdout would only repeat them, so the CLI writes no events and stdout is not read.
    this.child = fork(options.cliPath, ['run', ...options.args, '--events', 'none'], {
      cwd: options.cwd,
      execArgv: [...LB_NODE_FLAGS],
      env: { ...process.env, ...options.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.child.stderr?.on('data', lines((line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > 20) this.stderrTail.shift();
      handlers.onStderr(line);
    }));
    this.child.on('message', (m: IpcMessage) => this.receive(m));
    this.child.on('error', (err) => {
      this.failure ??= `cannot start ${options.cliPath}: ${err.message}`;
    });
    this.child.on('close', (code, signal) => {
      this.exited = true;
      const why = this.failure ?? `the runtime exited (${signal ?? `code ${code}`}) before it was ready${this.stderrTail.length ? `: ${this.stderrTail.slice(-3).join(' | ')}` : ''}`;
      for (const w of this.readyWaiters.splice(0)) w.reject(new Error(why));
      for (const resolve of this.pending.values()) resolve({ type: 'response', id: -1, ok: false, error: 'the runtime exited' });
      this.pending.clear();
      for (const w of this.exitWaiters.splice(0)) w();
      handlers.onExit(code, signal);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return !this.exited;
  }

  /** The `error` record the CLI sent before exiting (a script that does not load, a busy port), if any. */
  get lastError(): string | null {
    return this.failure;
  }

  /** Where the script failed when the start `error` was a script that does not load. */
  get lastScriptError(): ScriptError | null {
    return this.failureScript;
  }

  whenReady(timeoutMs: number): Promise<ReadyRecord> {
    if (this.ready) return Promise.resolve(this.ready);
    if (this.exited) return Promise.reject(new Error(this.failure ?? 'the runtime exited'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the runtime was not ready within ${timeoutMs} ms`)), timeoutMs);
      this.readyWaiters.push({
        resolve: (r) => { clearTimeout(timer); resolve(r); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
    });
  }

  /** Sends one IPC command; resolves with its response (ok false when the process is gone or too slow). */
  request(command: Command, timeoutMs = 5000): Promise<IpcResponse> {
    if (this.exited || !this.child.connected) return Promise.resolve({ type: 'response', id: -1, ok: false, error: 'the runtime is not running' });
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ type: 'response', id, ok: false, error: `no answer to ${command.command} within ${timeoutMs} ms` });
      }, timeoutMs);
      this.pending.set(id, (r) => { clearTimeout(timer); resolve(r); });
      this.child.send({ type: 'command', id, ...command } as IpcCommand);
    });
  }

  async reload(file?: string): Promise<{ ok: true } | { ok: false; error: string; scriptError?: ScriptError }> {
    const r = await this.request({ command: 'reload', ...(file ? { file } : {}) });
    return r.ok ? { ok: true } : { ok: false, error: r.error, scriptError: r.scriptError };
  }

  /**
   * Asks the CLI to stop (it closes its brokers too), then escalates: SIGTERM, then SIGKILL. Resolves once the
   * process is gone, so no runtime outlives the window.
   */
  async stop(graceMs = 4000): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((r) => this.exitWaiters.push(r));
    void this.request({ command: 'stop' }, graceMs);
    if (await this.within(gone, graceMs)) return;
    this.child.kill('SIGTERM');
    if (await this.within(gone, 2000)) return;
    this.child.kill('SIGKILL');
    await gone;
  }

  /** Last resort when there is no time to wait (deactivate after the grace period). */
  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }

  private within(p: Promise<void>, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      void p.then(() => { clearTimeout(timer); resolve(true); });
    });
  }

  private receiveRecord(r: OutputRecord): void {
    if (r.event === 'ready') {
      this.ready = r;
      for (const w of this.readyWaiters.splice(0)) w.resolve(r);
    } else if (r.event === 'error') {
      this.failure = r.message;
      this.failureScript = r.scriptError ?? null;
    }
    this.handlers.onRecord(r);
  }

  private receive(m: IpcMessage): void {
    switch (m.type) {
      case 'event':
        this.receiveRecord(m.record);
        return;
      case 'stats':
        this.handlers.onStats(m.stats);
        return;
      case 'response': {
        const resolve = this.pending.get(m.id);
        this.pending.delete(m.id);
        resolve?.(m);
        return;
      }
    }
  }
}
