// The local LB in the window: configuration to start with, progress and messages, context keys, hot reload and restarts on configuration changes; the process itself is LbSupervisor's.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { humanCliLine, humanLine, type OutputRecord } from '../../runtime/cli/eventLog';
import type { LbEventMap, LbEventName } from '../../runtime/proxy/events';
import type { LbStats } from '../../runtime/proxy/lbProxy';
import { samePath } from '../../runtime/platform/samePath';
import type { StudioLog } from '../log';
import type { LbStatus } from './lbStatus';
import { LbSupervisor } from './lbSupervisor';
import type { DecisionHistory } from './lbTreeModel';
import { WORKSPACE_CONFIG_FILE, type ResolvedRuntimeConfig } from './runtimeConfig';
import { LB_SETTINGS_SECTION, type ConfigChange, type WorkspaceLbConfig } from './workspaceConfig';
import { RuntimeDiagnostics } from './runtimeDiagnostics';

export const LB_RUNNING_CONTEXT = 'protoext.lbRunning';
export const LB_STATE_CONTEXT = 'protoext.lbState';

function isCliRecord(r: OutputRecord): r is Extract<OutputRecord, { event: 'brokers' | 'ready' | 'stopped' | 'error' }> {
  return r.event === 'brokers' || r.event === 'ready' || r.event === 'stopped' || r.event === 'error';
}

export class LbController implements vscode.Disposable {
  private readonly supervisor = new LbSupervisor();
  readonly diagnostics = new RuntimeDiagnostics();
  private resolved: ResolvedRuntimeConfig | undefined;
  private cwd = process.cwd();
  private contextUpdates: Promise<void> = Promise.resolve();
  private configRestartQueued = false;
  private readonly statusChanged = new vscode.EventEmitter<LbStatus>();
  readonly onDidChangeStatus = this.statusChanged.event;
  private readonly dataChanged = new vscode.EventEmitter<void>();
  /** Stats or decisions changed (the tree refreshes on it). */
  readonly onDidChangeData = this.dataChanged.event;
  private readonly recorded = new vscode.EventEmitter<OutputRecord>();
  /** Every runtime event record (Send Test Traffic finds its decisions through it). */
  readonly onRecord = this.recorded.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    readonly cliPath: string,
    private readonly storageDir: string,
    private readonly log: StudioLog,
    private readonly config: WorkspaceLbConfig,
  ) {
    const sup = this.supervisor;
    const off = [
      sup.on('status', (status) => {
        if (status.kind !== 'running' || status.stats === null) this.publishContext();
        this.statusChanged.fire(status);
      }),
      sup.on('data', () => this.dataChanged.fire()),
      sup.on('record', (r) => this.logRecord(r)),
      sup.on('stderr', (line) => this.log.warn(`lb: ${line}`)),
      sup.on('crash', (c) => this.onCrash(c.pid, c.how, c.delay)),
      sup.on('restartDue', (attempt) => void this.start(attempt)),
    ];
    this.subscriptions = [
      this.diagnostics, this.statusChanged, this.dataChanged, this.recorded,
      { dispose: () => off.forEach((f) => f()) },
      vscode.workspace.onDidSaveTextDocument((doc) => void this.onSaved(doc)),
      config.onDidChange((change) => void this.onConfigChanged(change)),
    ];
    this.publishContext();
  }

  get status(): LbStatus {
    return this.supervisor.status;
  }

  get stats(): LbStats | null {
    return this.supervisor.stats;
  }

  get decisions(): DecisionHistory {
    return this.supervisor.decisions;
  }

  get pid(): number | undefined {
    return this.supervisor.pid;
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
    const resolved = this.config.resolve();
    const file = resolved.configFile ?? this.writeSettingsConfig(resolved.json);
    return { file, cwd: resolved.configFile ? path.dirname(resolved.configFile) : (this.config.root ?? this.storageDir), source: resolved.configFile ?? 'the protoext.lb.* settings' };
  }

  /** Starts the runtime unless it runs; resolves true once it listens. Never throws: failures become the error state. */
  start(attempt = 1): Promise<boolean> {
    return this.supervisor.serialized(() => this.doStart(attempt));
  }

  /** Stops the runtime (and its embedded backends); resolves once the process is gone. */
  stop(reason = 'stopped by the user'): Promise<void> {
    return this.supervisor.serialized(() => this.doStop(reason));
  }

  restart(reason = 'restart requested'): Promise<boolean> {
    return this.supervisor.serialized(async () => {
      await this.doStop(reason);
      return this.doStart(1);
    });
  }

  private async doStart(attempt: number): Promise<boolean> {
    if (this.supervisor.closing) return false;
    if (this.status.kind === 'running' || this.status.kind === 'starting') return this.status.kind === 'running';
    let resolved: ResolvedRuntimeConfig;
    try {
      resolved = this.config.resolve();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.log.error(`local LB: invalid configuration: ${message}`);
      this.supervisor.failed(`invalid configuration: ${message}`);
      void vscode.window.showErrorMessage(`Local LB: invalid configuration: ${message}`, 'Open Settings').then((pick) => {
        if (pick) void vscode.commands.executeCommand('workbench.action.openSettings', LB_SETTINGS_SECTION);
      });
      return false;
    }
    this.resolved = resolved;
    const configFile = resolved.configFile ?? this.writeSettingsConfig(resolved.json);
    this.cwd = resolved.configFile ? path.dirname(resolved.configFile) : (this.config.root ?? this.storageDir);
    this.log.info(resolved.source === 'protoext.json'
      ? `local LB: using ${resolved.configFile} (a workspace ${WORKSPACE_CONFIG_FILE} takes precedence over the protoext.lb.* settings)`
      : `local LB: using the protoext.lb.* settings (no ${WORKSPACE_CONFIG_FILE} in the workspace)`);
    this.log.info(`local LB: script ${resolved.config.extension ?? 'the bundled sample'} (${resolved.config.protocol}); ${resolved.config.lbMethod}, persistence ${resolved.config.persistence.type}`);
    const result = await this.supervisor.launch({ cliPath: this.cliPath, configFile, cwd: this.cwd, attempt }, (ready) => {
      this.log.info(`local LB: started ${this.cliPath} (pid ${this.supervisor.current?.pid ?? '?'}) in ${this.cwd}`);
      return Promise.resolve(vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Starting the local LB', cancellable: false },
        async (progress) => {
          progress.report({ message: 'loading the script and starting the backends' });
          return ready;
        },
      ));
    });
    if (result.ok) {
      if (resolved.config.extension) this.diagnostics.clear(resolved.config.extension);
      return true;
    }
    if (result.superseded) return false;
    if (result.scriptError) this.diagnostics.reportScriptError(result.scriptError, this.cwd);
    this.log.error(`local LB: could not start: ${result.message}`);
    void vscode.window.showErrorMessage(`Local LB could not start: ${result.message}`, 'Show Log').then((pick) => {
      if (pick) this.log.show();
    });
    return false;
  }

  private async doStop(reason: string): Promise<void> {
    const pid = this.supervisor.pid;
    if (pid !== undefined) this.log.info(`local LB: stopping pid ${pid} (${reason})`);
    await this.supervisor.halt(reason);
  }

  requestStats(): Promise<LbStats | null> {
    return this.supervisor.requestStats();
  }

  /** For deactivate: stop within the time VS Code grants, then make sure nothing is left. */
  shutdown(): Promise<void> {
    if (this.pid !== undefined) this.log.info(`local LB: stopping pid ${this.pid} (VS Code window closing)`);
    return this.supervisor.shutdown(4000);
  }

  dispose(): void {
    this.supervisor.dispose();
    for (const d of this.subscriptions) d.dispose();
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

  /** Every record into the log; script rejections and reloads into diagnostics. */
  private logRecord(r: OutputRecord): void {
    if (isCliRecord(r)) {
      const line = humanCliLine(r);
      if (r.event === 'error') this.log.error(`lb: ${line}`);
      else this.log.info(`lb: ${line}`);
    } else {
      const { event, ...payload } = r;
      this.log.info(`lb: ${humanLine(event as LbEventName, payload as unknown as LbEventMap[LbEventName])}`);
      if (r.event === 'script-rejected') {
        this.diagnostics.reportScriptError(r.error, this.cwd);
        void vscode.window.showWarningMessage(`Local LB kept the previous script: ${r.error.message}`);
      } else if (r.event === 'script-reloaded') {
        this.diagnostics.clear(path.resolve(this.cwd, r.file));
      }
    }
    this.recorded.fire(r);
  }

  private onCrash(pid: number | undefined, how: string, delay: number | null): void {
    this.log.error(`local LB: the runtime (pid ${pid ?? '?'}) exited unexpectedly (${how})${delay === null ? '; giving up after repeated crashes' : `; restarting in ${delay / 1000} s`}`);
    void vscode.window.showWarningMessage(
      `Local LB exited unexpectedly (${how}).${delay === null ? ' Not restarting after repeated crashes.' : ` Restarting in ${delay / 1000} s.`}`,
      'Show Log',
    ).then((pick) => {
      if (pick) this.log.show();
    });
  }

  private async onSaved(doc: vscode.TextDocument): Promise<void> {
    const file = doc.uri.fsPath;
    // protoext.json saves reach the workspace config watcher too (as edits outside VS Code do): restarted there.
    if (this.scriptFile === null || !samePath(file, this.scriptFile)) return;
    if (this.status.kind === 'error' && this.status.retryInMs === null) {
      this.log.info(`local LB: ${path.basename(file)} saved; trying to start again`);
      await this.start();
      return;
    }
    const proc = this.supervisor.current;
    if (this.status.kind !== 'running' || !proc) return;
    const r = await proc.reload(file);
    if (r.ok) this.log.info(`local LB: hot-reloaded ${file}`);
    else if (r.scriptError) this.diagnostics.reportScriptError(r.scriptError, this.cwd);
    else this.log.warn(`local LB: reload failed: ${r.error}`);
  }

  /** The workspace protoext.json wins over the settings, so its edits (in VS Code or not), creation and deletion restart a running LB. */
  private onConfigChanged(change: ConfigChange): Promise<void> {
    return change.source === 'file' ? this.onWorkspaceConfigChanged(change.how) : this.onConfigurationChanged();
  }

  private async onWorkspaceConfigChanged(how: 'created' | 'changed' | 'deleted'): Promise<void> {
    // One save can fire more than one event; the restart queued first reads the file when it runs.
    if (this.status.kind !== 'running' || this.configRestartQueued) return;
    const file = path.join(this.config.root ?? '', WORKSPACE_CONFIG_FILE);
    try {
      this.config.resolve();
    } catch (err) {
      // Validated before stopping anything: a half-typed file must not take down a working LB.
      const message = err instanceof Error ? err.message : String(err);
      this.log.error(`local LB: ${file} ${how} but invalid; the running LB keeps its configuration: ${message}`);
      void vscode.window.showErrorMessage(`Local LB: ${message} (the running LB keeps its configuration)`);
      return;
    }
    this.log.info(`local LB: ${file} ${how}; restarting the runtime with ${how === 'deleted' ? 'the protoext.lb.* settings' : 'it'}`);
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
      this.log.info(`local LB: protoext.lb.* settings changed, but ${this.resolved.configFile} takes precedence; not restarting`);
      return;
    }
    this.log.info('local LB: protoext.lb.* settings changed; restarting the runtime with them');
    await this.restart('settings changed');
  }
}
