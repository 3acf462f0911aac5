// The one object that owns every disposable of the extension, plus the shared services commands need.
import * as vscode from 'vscode';
import { StudioLog } from './log';
import type { LanguageServerHandle } from './languageServer';
import type { LbController } from './lb/lbController';
import type { LbStatusBar, LbTreeProvider } from './lb/lbViews';
import { WorkspaceLbConfig } from './lb/workspaceConfig';

export class StudioContext implements vscode.Disposable {
  readonly log = new StudioLog();
  /** How many times each command ran; tests read it through the test API. */
  readonly commandRuns = new Map<string, number>();
  private readonly commandRan = new vscode.EventEmitter<string>();
  /** Fires with the command id each time a command of the table starts. */
  readonly onDidRunCommand = this.commandRan.event;
  languageServer: LanguageServerHandle | undefined;
  /** The local LB runtime and its views (set during activation). */
  lb: LbController | undefined;
  lbStatusBar: LbStatusBar | undefined;
  lbTree: LbTreeProvider | undefined;
  /** The workspace's LB configuration and its watchers: everything that needs the configuration or the protocol asks it. */
  readonly workspaceConfig: WorkspaceLbConfig;
  private readonly owned: vscode.Disposable[] = [];

  constructor(readonly extension: vscode.ExtensionContext) {
    this.own(this.log);
    this.own(this.commandRan);
    this.workspaceConfig = this.own(new WorkspaceLbConfig());
  }

  countCommandRun(id: string): void {
    this.commandRuns.set(id, (this.commandRuns.get(id) ?? 0) + 1);
    this.commandRan.fire(id);
  }

  /** Takes ownership: everything passed here is disposed, newest first, when the extension deactivates. */
  own<T extends vscode.Disposable>(disposable: T): T {
    this.owned.push(disposable);
    return disposable;
  }

  asAbsolutePath(relative: string): string {
    return this.extension.asAbsolutePath(relative);
  }

  dispose(): void {
    for (const d of this.owned.splice(0).reverse()) {
      try {
        d.dispose();
      } catch {
        // one broken disposable must not keep the others alive
      }
    }
  }
}
