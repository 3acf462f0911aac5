// Reads the protoext.lb.* settings into the plain LbSettings the runtime config is built from.
import * as vscode from 'vscode';
import type { LbSettings } from './runtimeConfig';

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
    logLevel: vscode.workspace.getConfiguration().get<string>(LOG_LEVEL_SETTING, ''),
  };
}

export function workspaceRoot(): string | null {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? null;
}
