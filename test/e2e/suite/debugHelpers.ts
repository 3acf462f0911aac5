// The e2e suite's debugging helpers: DAP events as an awaitable queue, breakpoints, frames, scopes and the inspector's state (shared by the MQTT and syslog debugger tests).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { InspectorState } from '../../../runtime/debug/inspectorModel';
import type { StudioTestApi } from '../../../client/testApi';

export const LAST_INSPECTOR_STATE = 'protoext.debug.lastInspectorState';
export const WHEN_INSPECTOR_SHOWS = 'protoext.debug.whenInspectorShows';
export const INSPECTOR = 'custom:protoext/inspector';
export const WAIT_MS = 30_000;

/** A DAP event with the session that sent it: two sessions overlap (one ending while the next starts), so every wait names its session. */
export interface DapMessage { type: string; event?: string; body?: Record<string, unknown>; session: vscode.DebugSession }

/** Every DAP event the protoext adapters send, as a queue the test awaits (the real signal: no polling, no sleeps). */
export class DapEvents implements vscode.Disposable {
  private readonly seen: DapMessage[] = [];
  private readonly waiters: { match: (m: DapMessage) => boolean; resolve: (m: DapMessage) => void }[] = [];
  private readonly ended = new Set<string>();
  private readonly endWaiters: { id: string; resolve: () => void }[] = [];
  private readonly registrations: vscode.Disposable[];

  constructor() {
    this.registrations = [
      vscode.debug.registerDebugAdapterTrackerFactory('protoext', {
        createDebugAdapterTracker: (session) => ({ onDidSendMessage: (m: Omit<DapMessage, 'session'>) => { if (m.type === 'event') this.push({ ...m, session }); } }),
      }),
      // Registered after the extension's own listener, so when this fires the inspector has its state.
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => this.push({ type: 'custom', event: `custom:${e.event}`, body: e.body as Record<string, unknown>, session: e.session })),
      vscode.debug.onDidTerminateDebugSession((s) => {
        this.ended.add(s.id);
        for (const w of this.endWaiters.filter((x) => x.id === s.id)) w.resolve();
      }),
    ];
  }

  /** The next event named `event` from the session named `name` (and matching `when`) not consumed yet; it may already have arrived. */
  next(name: string, event: string, what = event, when: (m: DapMessage) => boolean = () => true): Promise<DapMessage> {
    const match = (m: DapMessage) => m.event === event && m.session.configuration.name === name && when(m);
    const i = this.seen.findIndex(match);
    if (i >= 0) return Promise.resolve(this.seen.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within ${WAIT_MS / 1000} s`)), WAIT_MS);
      this.waiters.push({ match, resolve: (m) => { clearTimeout(timer); resolve(m); } });
    });
  }

  /** Resolves once VS Code has let go of `session` (its adapter is gone), which comes some time after its `terminated` event. */
  whenEnded(session: vscode.DebugSession, what: string): Promise<void> {
    if (this.ended.has(session.id)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${what} did not end within ${WAIT_MS / 1000} s`)), WAIT_MS);
      this.endWaiters.push({ id: session.id, resolve: () => { clearTimeout(timer); resolve(); } });
    });
  }

  private push(m: DapMessage): void {
    const w = this.waiters.findIndex((x) => x.match(m));
    if (w >= 0) this.waiters.splice(w, 1)[0].resolve(m);
    else this.seen.push(m);
  }

  dispose(): void {
    for (const r of this.registrations) r.dispose();
  }
}

export async function copyExample(api: StudioTestApi, name: string, as: string): Promise<vscode.Uri> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder');
  const from = path.join(api.extensionPath, 'examples', name);
  assert.ok(fs.existsSync(from), `${from} is not in the VSIX`);
  const uri = vscode.Uri.joinPath(folder.uri, as);
  await vscode.workspace.fs.writeFile(uri, fs.readFileSync(from));
  return uri;
}

export function lineOf(uri: vscode.Uri, pattern: RegExp): number {
  const i = fs.readFileSync(uri.fsPath, 'utf8').split('\n').findIndex((l) => pattern.test(l));
  assert.ok(i >= 0, `no line matching ${pattern}`);
  return i + 1;
}

export function breakpointAt(uri: vscode.Uri, line: number): vscode.SourceBreakpoint {
  const bp = new vscode.SourceBreakpoint(new vscode.Location(uri, new vscode.Position(line - 1, 0)));
  vscode.debug.addBreakpoints([bp]);
  return bp;
}

export async function topFrame(s: vscode.DebugSession): Promise<{ id: number; line: number; name: string }> {
  const st = (await s.customRequest('stackTrace', { threadId: 1 })) as { stackFrames: { id: number; line: number; name: string }[] };
  return st.stackFrames[0];
}

export async function locals(s: vscode.DebugSession, name = 'Locals'): Promise<Record<string, string>> {
  const frame = await topFrame(s);
  const scopes = (await s.customRequest('scopes', { frameId: frame.id })) as { scopes: { name: string; variablesReference: number }[] };
  const scope = scopes.scopes.find((x) => x.name === name);
  assert.ok(scope, `no ${name} scope`);
  const vars = (await s.customRequest('variables', { variablesReference: scope.variablesReference })) as { variables: { name: string; value: string }[] };
  return Object.fromEntries(vars.variables.map((v) => [v.name, v.value]));
}

export async function lastInspector(): Promise<{ state: InspectorState | null; ended: boolean }> {
  return (await vscode.commands.executeCommand(LAST_INSPECTOR_STATE)) as { state: InspectorState | null; ended: boolean };
}
