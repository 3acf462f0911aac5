// Owns the local LB runtime process: start with progress, stop without orphans, crash restarts with backoff, hot reload, events into the log.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { humanCliLine, humanLine, type OutputRecord } from '../../runtime/cli/eventLog';
import type { LbEventMap, LbEventName } from '../../runtime/proxy/events';
import type { LbStats } from '../../runtime/proxy/lbProxy';
import { samePath } from '../../runtime/platform/samePath';
import type { StudioLog } from '../log';
import { LbProcess } from './lbProcess';
import { restartDelayMs, STABLE_RUN_MS, transition, type LbStatus, type LbStatusEvent } from './lbStatus';
import { DecisionHistory } from './lbTreeModel';
import { readLbSettings, workspaceRoot, LB_SETTINGS_SECTION, LOG_LEVEL_SETTING } from './lbSettings';
import { resolveRuntimeConfig, WORKSPACE_CONFIG_FILE, type ResolvedRuntimeConfig } from './runtimeConfig';
import { RuntimeDiagnostics } from './runtimeDiagnostics';

export const LB_RUNNING_CONTEXT = 'protoext.lbRunning';
export const LB_STATE_CONTEXT = 'protoext.lbState';
const READY_TIMEOUT_MS = 60_000;

function isCliRecord(r: OutputRecord): r is Extract<OutputRecord, { event: 'brokers' | 'ready' | 'stopped' | 'error' }> {
  return r.event === 'brokers' || r.event === 'ready' || r.event === 'stopped' || r.event === 'error';
}

export class LbController implements vscode.Disposable {
  status: LbStatus = { kind: 'stopped' };
  stats: LbStats | null = null;
  readonly decisions = new DecisionHistory();
  readonly diagnostics = new RuntimeDiagnostics();
  private process: LbProcess | undefined;
  private resolved: ResolvedRuntimeConfig | undefined;
  private cwd = process.cwd();
  private crashes = 0;
  private runningSince = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private contextUpdates: Promise<void> = Promise.resolve();
  private lifecycle: Promise<void> = Promise.resolve();
  private configRestartQueued = false;
  /** Set on deactivate: nothing may start after it. */
  private closing = false;
  private readonly statusChanged = new vscode.EventEmitter<LbStatus>();
  readonly onDidChangeStatus = this.statusChanged.event;
  private readonly dataChanged = new vscode.EventEmitter<void>();
  /** Stats or decisions changed (the tree refreshes on it). */
  readonly onDidChangeData = this.dataChanged.event;
  private readonly recorded = new vscode.EventEmitter<OutputRecord>();
  /** Every runtime event record (Send Test CONNECT finds its decision through it). */
  readonly onRecord = this.recorded.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    readonly cliPath: string,
    private readonly storageDir: string,
    private readonly log: StudioLog,
  ) {
    this.subscriptions = [
      this.diagnostics, this.statusChanged, this.dataChanged, this.recorded,
      vscode.workspace.onDidSaveTextDocument((doc) => void this.onSaved(doc)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(LB_SETTINGS_SECTION) || e.affectsConfiguration(LOG_LEVEL_SETTING)) void this.onConfigurationChanged();
      }),
    ];
    this.publishContext();
  }

  get pid(): number | undefined {
    return this.process?.running ? this.process.pid : undefined;
  }

  /** The .lua the runtime runs (absolute), or null for the bundled sample; known once a start was attempted. */
  get scriptFile(): string | null {
    return this.resolved?.config.extension ?? null;
  }

  /** The validated configuration of the last start attempt. */
  get runConfig(): ResolvedRuntimeConfig['config'] | null {
    return this.resolved?.config ?? null;
  }

  get workingFolder(): string {
    return this.cwd;
  }

  /** The configuration the runtime would start with now, as a --config file and the folder to run in. Throws when invalid. */
  configForExport(): { file: string; cwd: string; source: string } {
    const resolved = resolveRuntimeConfig(readLbSettings(), workspaceRoot());
    const file = resolved.configFile ?? this.writeSettingsConfig(resolved.json);
    return { file, cwd: resolved.configFile ? path.dirname(resolved.configFile) : (workspaceRoot() ?? this.storageDir), source: resolved.configFile ?? 'the protoext.lb.* settings' };
  }

  /** Starts the runtime unless it runs; resolves true once it listens. Never throws: failures become the error state. */
  start(attempt = 1): Promise<boolean> {
    return this.serialized(() => this.doStart(attempt));
  }

  /** Stops the runtime (and its embedded brokers); resolves once the process is gone. */
  stop(reason = 'stopped by the user'): Promise<void> {
    return this.serialized(() => this.doStop(reason));
  }

  restart(reason = 'restart requested'): Promise<boolean> {
    return this.serialized(async () => {
      await this.doStop(reason);
      return this.doStart(1);
    });
  }

  /**
   * One lifecycle operation at a time: two quick settings changes would otherwise interleave two restarts and
   * leave a runtime nobody owns.
   */
  private serialized<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.lifecycle.then(operation, operation);
    this.lifecycle = result.then(() => undefined, () => undefined);
    return result;
  }

  private async doStart(attempt: number): Promise<boolean> {
    if (this.closing) return false;
    if (this.status.kind === 'running' || this.status.kind === 'starting') return this.status.kind === 'running';
    clearTimeout(this.restartTimer);
    let resolved: ResolvedRuntimeConfig;
    try {
      resolved = resolveRuntimeConfig(readLbSettings(), workspaceRoot());
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.log.error(`local MQTT LB: invalid configuration: ${message}`);
      this.set({ type: 'failed', message: `invalid configuration: ${message}`, retryInMs: null });
      void vscode.window.showErrorMessage(`Local MQTT LB: invalid configuration: ${message}`, 'Open Settings').then((pick) => {
        if (pick) void vscode.commands.executeCommand('workbench.action.openSettings', LB_SETTINGS_SECTION);
      });
      return false;
    }
    this.resolved = resolved;
    const configFile = resolved.configFile ?? this.writeSettingsConfig(resolved.json);
    this.cwd = resolved.configFile ? path.dirname(resolved.configFile) : (workspaceRoot() ?? this.storageDir);
    this.log.info(resolved.source === 'protoext.json'
      ? `local MQTT LB: using ${resolved.configFile} (a workspace ${WORKSPACE_CONFIG_FILE} takes precedence over the protoext.lb.* settings)`
      : `local MQTT LB: using the protoext.lb.* settings (no ${WORKSPACE_CONFIG_FILE} in the workspace)`);
    this.log.info(`local MQTT LB: script ${resolved.config.extension ?? 'bundled examples/mqtt.lua'}; ${resolved.config.lbMethod}, persistence ${resolved.config.persistence.type}`);
    this.set({ type: 'start', attempt });
    this.decisions.clear();
    this.stats = null;
    const proc = new LbProcess({ cliPath: this.cliPath, args: ['--config', configFile], cwd: this.cwd }, {
      onRecord: (r) => this.onRecordFrom(proc, r),
      onStats: (s) => this.onStatsFrom(proc, s),
      onStderr: (line) => this.log.warn(`lb: ${line}`),
      onExit: (code, signal) => this.onExitFrom(proc, code, signal),
    });
    this.process = proc;
    this.log.info(`local MQTT LB: started ${this.cliPath} (pid ${proc.pid ?? '?'}) in ${this.cwd}`);
    try {
      const ready = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Starting the local MQTT LB', cancellable: false },
        async (progress) => {
          progress.report({ message: 'loading the script and starting brokers' });
          return proc.whenReady(READY_TIMEOUT_MS);
        },
      );
      if (this.process !== proc) return false;
      this.runningSince = Date.now();
      this.set({ type: 'ready', listen: ready.listen, pid: proc.pid ?? 0 });
      // The first periodic stats come up to a second later; ask now so the tree shows services at once.
      void this.requestStats().then(() => this.dataChanged.fire());
      if (resolved.config.extension) this.diagnostics.clear(resolved.config.extension);
      return true;
    } catch (err) {
      if (this.process !== proc) return false;
      const message = proc.lastError ?? (err instanceof Error ? err.message : String(err));
      const scriptError = proc.lastScriptError;
      this.process = undefined;
      await proc.stop(1000);
      if (scriptError) this.diagnostics.reportScriptError(scriptError, this.cwd);
      this.log.error(`local MQTT LB: could not start: ${message}`);
      this.set({ type: 'failed', message, retryInMs: null });
      void vscode.window.showErrorMessage(`Local MQTT LB could not start: ${message}`, 'Show Log').then((pick) => {
        if (pick) this.log.show();
      });
      return false;
    }
  }

  private async doStop(reason: string): Promise<void> {
    clearTimeout(this.restartTimer);
    const proc = this.process;
    this.process = undefined;
    if (proc) {
      this.log.info(`local MQTT LB: stopping pid ${proc.pid ?? '?'} (${reason})`);
      await proc.stop();
    }
    this.stats = null;
    this.set({ type: 'stopped', reason });
    this.dataChanged.fire();
  }

  async requestStats(): Promise<LbStats | null> {
    const r = await this.process?.request({ command: 'stats' });
    if (r?.ok && r.stats) this.stats = r.stats;
    return this.stats;
  }

  /** For deactivate: stop within the time VS Code grants, then make sure nothing is left. */
  async shutdown(): Promise<void> {
    this.closing = true;
    const proc = this.process;
    await Promise.race([this.stop('VS Code window closing'), new Promise((r) => setTimeout(r, 4000))]);
    proc?.kill();
    // A start still queued behind the stop must not leave a process either.
    this.process?.kill();
  }

  dispose(): void {
    this.closing = true;
    clearTimeout(this.restartTimer);
    this.process?.kill();
    this.process = undefined;
    for (const d of this.subscriptions) d.dispose();
  }

  private set(event: LbStatusEvent): void {
    this.status = transition(this.status, event);
    if (event.type !== 'stats') this.publishContext();
    this.statusChanged.fire(this.status);
  }

  /**
   * setContext calls are asynchronous and, fired back to back (stop then start on a restart), can land out of
   * order, leaving Stop hidden while the LB runs: chain them, each publishing the status current when it runs.
   */
  private publishContext(): void {
    this.contextUpdates = this.contextUpdates.then(async () => {
      const kind = this.status.kind;
      await vscode.commands.executeCommand('setContext', LB_RUNNING_CONTEXT, kind === 'running');
      await vscode.commands.executeCommand('setContext', LB_STATE_CONTEXT, kind);
    }).then(undefined, (err: unknown) => this.log.warn(`setContext failed: ${String(err)}`));
  }

  private writeSettingsConfig(json: Record<string, unknown>): string {
    fs.mkdirSync(this.storageDir, { recursive: true });
    const file = path.join(this.storageDir, 'lb-settings.protoext.json');
    fs.writeFileSync(file, JSON.stringify(json, null, 2));
    return file;
  }

  private onRecordFrom(proc: LbProcess, r: OutputRecord): void {
    if (proc !== this.process) return;
    if (isCliRecord(r)) {
      const line = humanCliLine(r);
      if (r.event === 'error') this.log.error(`lb: ${line}`);
      else this.log.info(`lb: ${line}`);
    } else {
      const { event, ...payload } = r;
      this.log.info(`lb: ${humanLine(event as LbEventName, payload as unknown as LbEventMap[LbEventName])}`);
      if (r.event === 'decision') {
        this.decisions.add({ ...r });
        this.dataChanged.fire();
      } else if (r.event === 'script-rejected') {
        this.diagnostics.reportScriptError(r.error, this.cwd);
        void vscode.window.showWarningMessage(`Local MQTT LB kept the previous script: ${r.error.message}`);
      } else if (r.event === 'script-reloaded') {
        this.diagnostics.clear(path.resolve(this.cwd, r.file));
      }
    }
    this.recorded.fire(r);
  }

  private onStatsFrom(proc: LbProcess, stats: LbStats): void {
    if (proc !== this.process) return;
    this.stats = stats;
    this.set({ type: 'stats', stats });
    this.dataChanged.fire();
  }

  private onExitFrom(proc: LbProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (proc !== this.process) return;
    // Not asked to stop: a crash. Starting failures are handled by start() itself.
    if (this.status.kind !== 'running') return;
    this.process = undefined;
    this.stats = null;
    this.crashes = Date.now() - this.runningSince > STABLE_RUN_MS ? 1 : this.crashes + 1;
    const delay = restartDelayMs(this.crashes);
    const how = signal ?? `exit code ${code}`;
    this.log.error(`local MQTT LB: the runtime (pid ${proc.pid ?? '?'}) exited unexpectedly (${how})${delay === null ? '; giving up after repeated crashes' : `; restarting in ${delay / 1000} s`}`);
    this.set({ type: 'failed', message: `the runtime exited unexpectedly (${how})`, retryInMs: delay });
    this.dataChanged.fire();
    void vscode.window.showWarningMessage(
      `Local MQTT LB exited unexpectedly (${how}).${delay === null ? ' Not restarting after repeated crashes.' : ` Restarting in ${delay / 1000} s.`}`,
      'Show Log',
    ).then((pick) => {
      if (pick) this.log.show();
    });
    if (delay !== null) this.restartTimer = setTimeout(() => void this.start(this.crashes + 1), delay);
  }

  private async onSaved(doc: vscode.TextDocument): Promise<void> {
    const file = doc.uri.fsPath;
    // protoext.json saves reach the workspace config watcher too (as edits outside VS Code do): restarted there.
    if (this.scriptFile === null || !samePath(file, this.scriptFile)) return;
    if (this.status.kind === 'error' && this.status.retryInMs === null) {
      this.log.info(`local MQTT LB: ${path.basename(file)} saved; trying to start again`);
      await this.start();
      return;
    }
    if (this.status.kind !== 'running' || !this.process) return;
    const r = await this.process.reload(file);
    if (r.ok) this.log.info(`local MQTT LB: hot-reloaded ${file}`);
    else if (r.scriptError) this.diagnostics.reportScriptError(r.scriptError, this.cwd);
    else this.log.warn(`local MQTT LB: reload failed: ${r.error}`);
  }

  /**
   * The workspace protoext.json wins over the settings, so its edits (in VS Code or not), creation and deletion
   * restart a running LB; `watcher` (owned by the context) matches that one file.
   */
  watchWorkspaceConfig(watcher: vscode.FileSystemWatcher): void {
    this.subscriptions.push(
      watcher.onDidCreate(() => void this.onWorkspaceConfigChanged('created')),
      watcher.onDidChange(() => void this.onWorkspaceConfigChanged('changed')),
      watcher.onDidDelete(() => void this.onWorkspaceConfigChanged('deleted')),
    );
  }

  private async onWorkspaceConfigChanged(how: 'created' | 'changed' | 'deleted'): Promise<void> {
    // One save can fire more than one event; the restart queued first reads the file when it runs.
    if (this.status.kind !== 'running' || this.configRestartQueued) return;
    const file = path.join(workspaceRoot() ?? '', WORKSPACE_CONFIG_FILE);
    try {
      resolveRuntimeConfig(readLbSettings(), workspaceRoot());
    } catch (err) {
      // Validated before stopping anything: a half-typed file must not take down a working LB.
      const message = err instanceof Error ? err.message : String(err);
      this.log.error(`local MQTT LB: ${file} ${how} but invalid; the running LB keeps its configuration: ${message}`);
      void vscode.window.showErrorMessage(`Local MQTT LB: ${message} (the running LB keeps its configuration)`);
      return;
    }
    this.log.info(`local MQTT LB: ${file} ${how}; restarting the runtime with ${how === 'deleted' ? 'the protoext.lb.* settings' : 'it'}`);
    this.configRestartQueued = true;
    try {
      await this.restart(`${WORKSPACE_CONFIG_FILE} ${how}`);
    } finally {
      this.configRestartQueued = false;
    }
  }

  private async onConfigurationChanged(): Promise<void> {
    if (this.status.kind !== 'running') return;
    if (this.resolved?.source === 'protoext.json') {
      this.log.info(`local MQTT LB: protoext.lb.* settings changed, but ${this.resolved.configFile} takes precedence; not restarting`);
      return;
    }
    this.log.info('local MQTT LB: protoext.lb.* settings changed; restarting the runtime with them');
    await this.restart('settings changed');
  }
}
