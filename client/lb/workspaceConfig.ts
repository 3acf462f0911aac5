// The workspace's LB configuration in one place: resolved from protoext.json (else the protoext.lb.* settings) and watched; the LB, the debugger, the lenses and the views all ask it.
import * as vscode from 'vscode';
import { DEFAULT_PROTOCOL, protocolByName, type Protocol } from '../../runtime/protocols';
import { resolveRuntimeConfig, WORKSPACE_CONFIG_FILE, type LbSettings, type ResolvedRuntimeConfig } from './runtimeConfig';

export const LB_SETTINGS_SECTION = 'protoext.lb';
/** The ns.logger threshold of the local LB (not under protoext.lb: the debugger and simulate speak of the same levels). */
export const LOG_LEVEL_SETTING = 'protoext.log.level';

export function readLbSettings(): LbSettings {
  const c = vscode.workspace.getConfiguration(LB_SETTINGS_SECTION);
  return {
    listen: c.get<string>('listen', '127.0.0.1:1883'),
    services: c.get<LbSettings['services']>('services', []),
    lbMethod: c.get<string>('lbMethod', 'USER_TOKEN'),
    persistenceType: c.get<string>('persistence.type', 'USERSESSION'),
    persistenceTimeoutMinutes: c.get<number>('persistence.timeoutMinutes', 2),
    limits: c.get<Record<string, number>>('limits', {}),
    script: c.get<string>('script', ''),
    embeddedBrokerKind: c.get<string>('embeddedBroker.kind', 'auto'),
    embeddedBrokers: c.get<number>('embeddedBroker.count', 3),
    protocol: c.get<string>('protocol', 'mqtt'),
    logLevel: vscode.workspace.getConfiguration().get<string>(LOG_LEVEL_SETTING, ''),
  };
}

/** What changed: the workspace protoext.json (created, edited, deleted) or the protoext.lb.* settings. */
export type ConfigChange = { source: 'file'; how: 'created' | 'changed' | 'deleted' } | { source: 'settings' };

export class WorkspaceLbConfig implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ConfigChange>();
  /** Fires on every change of protoext.json or the protoext.lb.* settings, whether or not the result is valid. */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    const folder = vscode.workspace.workspaceFolders?.[0];
    this.subscriptions = [
      this.changed,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(LB_SETTINGS_SECTION) || e.affectsConfiguration(LOG_LEVEL_SETTING)) this.changed.fire({ source: 'settings' });
      }),
    ];
    if (folder) {
      // protoext.json edits reach VS Code as file events whether made in the editor or outside it.
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, WORKSPACE_CONFIG_FILE));
      this.subscriptions.push(
        watcher,
        watcher.onDidCreate(() => this.changed.fire({ source: 'file', how: 'created' })),
        watcher.onDidChange(() => this.changed.fire({ source: 'file', how: 'changed' })),
        watcher.onDidDelete(() => this.changed.fire({ source: 'file', how: 'deleted' })),
      );
    }
  }

  /** The first workspace folder (where protoext.json is looked for), or null without one. */
  get root(): string | null {
    return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? null;
  }

  /** The validated configuration now; throws with `where: $.path: expected X, got Y` when invalid. */
  resolve(): ResolvedRuntimeConfig {
    return resolveRuntimeConfig(readLbSettings(), this.root);
  }

  /** The protocol the LB of this workspace serves; the default (mqtt) while the configuration is invalid. */
  protocol(): Protocol {
    try {
      return protocolByName(this.resolve().config.protocol);
    } catch {
      return protocolByName(DEFAULT_PROTOCOL);
    }
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}
