// Reads the protoext.lb.* settings into the plain LbSettings the runtime config is built from.
import * as vscode from 'vscode';
import { DEFAULT_PROTOCOL, protocolByName, type Protocol } from '../../runtime/protocols';
import { resolveRuntimeConfig, type LbSettings } from './runtimeConfig';

export const LB_SETTINGS_SECTION = 'protoext.lb';

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
  };
}

export function workspaceRoot(): string | null {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? null;
}

/** The protocol of the workspace's local LB (protoext.json's `protocol`, else the protoext.lb.protocol setting); mqtt when the configuration is broken. */
export function workspaceProtocol(): Protocol {
  try {
    return protocolByName(resolveRuntimeConfig(readLbSettings(), workspaceRoot()).config.protocol);
  } catch {
    return protocolByName(DEFAULT_PROTOCOL);
  }
}
