// Supervises the local LB runtime process, with no UI: one lifecycle operation at a time, ready or failed, crash restarts with backoff, stats and decisions as events.
import { EventEmitter } from 'node:events';
import type { OutputRecord } from '../../runtime/cli/eventLog';
import type { LbStats } from '../../runtime/proxy/lbProxy';
import { LbProcess, type ReadyRecord } from './lbProcess';
import { restartDelayMs, STABLE_RUN_MS, transition, type LbStatus, type LbStatusEvent } from './lbStatus';
import { DecisionHistory } from './lbTreeModel';

const READY_TIMEOUT_MS = 60_000;
const SUPERSEDED = { ok: false, superseded: true, message: 'stopped while starting', scriptError: null } as const;

/** How to run the runtime: `protoext-lb run --config FILE` in `cwd`. */
export interface LaunchSpec {
  cliPath: string;
  configFile: string;
  cwd: string;
  attempt: number;
}

export type LaunchResult =
  | { ok: true; listen: string; pid: number }
  /** `superseded`: a stop came while it started (nothing to report). */
  | { ok: false; superseded: boolean; message: string; scriptError: LbProcess['lastScriptError'] };

/** A crash of a running runtime: `delay` until the restart the supervisor asks for (null: it gave up). */
export interface CrashReport { pid: number | undefined; how: string; delay: number | null; attempt: number }

interface SupervisorEvents {
  status: [LbStatus];
  /** Stats or decisions changed. */
  data: [];
  record: [OutputRecord];
  stderr: [string];
  crash: [CrashReport];
  /** The backoff after a crash is over: whoever owns the configuration starts the runtime again with this attempt. */
  restartDue: [number];
}

export class LbSupervisor {
  status: LbStatus = { kind: 'stopped' };
  stats: LbStats | null = null;
  readonly decisions = new DecisionHistory();
  private readonly events = new EventEmitter<SupervisorEvents>();
  private process: LbProcess | undefined;
  private crashes = 0;
  private runningSince = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private lifecycle: Promise<void> = Promise.resolve();
  /** Set on shutdown/dispose: nothing may start after it. */
  closing = false;

  on<K extends keyof SupervisorEvents>(event: K, listener: (...args: SupervisorEvents[K]) => void): () => void {
    this.events.on(event, listener as never);
    return () => this.events.off(event, listener as never);
  }

  get pid(): number | undefined {
    return this.process?.running ? this.process.pid : undefined;
  }

  /** The running process (hot reload asks it). */
  get current(): LbProcess | undefined {
    return this.process;
  }

  /**
   * One lifecycle operation at a time: two quick settings changes would otherwise interleave two restarts and
   * leave a runtime nobody owns.
   */
  serialized<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.lifecycle.then(operation, operation);
    this.lifecycle = result.then(() => undefined, () => undefined);
    return result;
  }

  /** The start failed before a process ran (an invalid configuration). */
  failed(message: string): void {
    this.set({ type: 'failed', message, retryInMs: null });
  }

  /** Starts the process and waits (through `wait`, where a UI shows progress) until it listens or fails. */
  async launch(spec: LaunchSpec, wait: (ready: Promise<ReadyRecord>) => Promise<ReadyRecord>): Promise<LaunchResult> {
    clearTimeout(this.restartTimer);
    this.set({ type: 'start', attempt: spec.attempt });
    this.decisions.clear();
    this.stats = null;
    const proc = new LbProcess({ cliPath: spec.cliPath, args: ['--config', spec.configFile], cwd: spec.cwd }, {
      onRecord: (r) => this.onRecordFrom(proc, r),
      onStats: (s) => this.onStatsFrom(proc, s),
      onStderr: (line) => this.events.emit('stderr', line),
      onExit: (code, signal) => this.onExitFrom(proc, code, signal),
    });
    this.process = proc;
    try {
      const ready = await wait(proc.whenReady(READY_TIMEOUT_MS));
      if (this.process !== proc) return SUPERSEDED;
      this.runningSince = Date.now();
      this.set({ type: 'ready', listen: ready.listen, pid: proc.pid ?? 0 });
      // The first periodic stats come up to a second later; ask now so views show services at once.
      void this.requestStats().then(() => this.events.emit('data'));
      return { ok: true, listen: ready.listen, pid: proc.pid ?? 0 };
    } catch (err) {
      if (this.process !== proc) return SUPERSEDED;
      const message = proc.lastError ?? (err instanceof Error ? err.message : String(err));
      const scriptError = proc.lastScriptError;
      this.process = undefined;
      await proc.stop(1000);
      this.set({ type: 'failed', message, retryInMs: null });
      return { ok: false, superseded: false, message, scriptError };
    }
  }

  /** Stops the process (and its embedded backends); resolves once it is gone. Returns its pid, if one ran. */
  async halt(reason: string): Promise<number | undefined> {
    clearTimeout(this.restartTimer);
    const proc = this.process;
    this.process = undefined;
    if (proc) await proc.stop();
    this.stats = null;
    this.set({ type: 'stopped', reason });
    this.events.emit('data');
    return proc?.pid;
  }

  async requestStats(): Promise<LbStats | null> {
    const r = await this.process?.request({ command: 'stats' });
    if (r?.ok && r.stats) this.stats = r.stats;
    return this.stats;
  }

  /** For deactivate: stop within `graceMs`, then make sure nothing is left (a start queued behind the stop included). */
  async shutdown(graceMs: number): Promise<void> {
    this.closing = true;
    const proc = this.process;
    await Promise.race([this.serialized(() => this.halt('VS Code window closing')), new Promise((r) => setTimeout(r, graceMs))]);
    proc?.kill();
    this.process?.kill();
  }

  dispose(): void {
    this.closing = true;
    clearTimeout(this.restartTimer);
    this.process?.kill();
    this.process = undefined;
    this.events.removeAllListeners();
  }

  private set(event: LbStatusEvent): void {
    this.status = transition(this.status, event);
    this.events.emit('status', this.status);
  }

  private onRecordFrom(proc: LbProcess, r: OutputRecord): void {
    if (proc !== this.process) return;
    if (r.event === 'decision') {
      this.decisions.add({ ...r });
      this.events.emit('data');
    }
    this.events.emit('record', r);
  }

  private onStatsFrom(proc: LbProcess, stats: LbStats): void {
    if (proc !== this.process) return;
    this.stats = stats;
    this.set({ type: 'stats', stats });
    this.events.emit('data');
  }

  private onExitFrom(proc: LbProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (proc !== this.process) return;
    // Not asked to stop: a crash. Starting failures are handled by launch() itself.
    if (this.status.kind !== 'running') return;
    this.process = undefined;
    this.stats = null;
    this.crashes = Date.now() - this.runningSince > STABLE_RUN_MS ? 1 : this.crashes + 1;
    const delay = restartDelayMs(this.crashes);
    const how = signal ?? `exit code ${code}`;
    this.set({ type: 'failed', message: `the runtime exited unexpectedly (${how})`, retryInMs: delay });
    this.events.emit('data');
    const attempt = this.crashes + 1;
    this.events.emit('crash', { pid: proc.pid, how, delay, attempt });
    if (delay !== null) this.restartTimer = setTimeout(() => { if (!this.closing) this.events.emit('restartDue', attempt); }, delay);
  }
}
