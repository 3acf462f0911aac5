// Fills in `protoext` launch configurations: F5 on a .lua file without launch.json debugs it with a default CONNECT, deciding as the local LB would.
import * as vscode from 'vscode';
import { decisionSettingsOf } from '../../runtime/debug/decisionModel';
import { DEFAULT_PACKET } from '../../runtime/debug/launchConfig';
import { readLbSettings, workspaceRoot } from '../lb/lbSettings';
import { resolveRuntimeConfig } from '../lb/runtimeConfig';

export class ProtoextConfigurationProvider implements vscode.DebugConfigurationProvider {
  resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
    const editor = vscode.window.activeTextEditor;
    if (!config.type && !config.request && !config.name) {
      if (!editor || editor.document.languageId !== 'lua') return config;
      config.type = 'protoext';
      config.request = 'launch';
      config.name = 'Debug CONNECT parsing';
      config.program = editor.document.uri.fsPath;
      config.packet = DEFAULT_PACKET;
      config.stopOnEntry = true;
    }
    if (!config.program && editor?.document.languageId === 'lua') config.program = editor.document.uri.fsPath;
    if (!config.program) {
      void vscode.window.showErrorMessage('Protocol Extension: set "program" to the .lua extension to debug, or open it in the editor.');
      return undefined;
    }
    if (!config.cwd && folder) config.cwd = folder.uri.fsPath;
    if (config.request === 'launch') withWorkspaceLb(config);
    return config;
  }
}

/**
 * What the launch leaves out is taken from the local LB of this workspace (protoext.json, else the protoext.lb.*
 * settings, else its embedded brokers by run's names): the decision shown is the one that LB would make.
 */
function withWorkspaceLb(config: vscode.DebugConfiguration): void {
  let lb: ReturnType<typeof decisionSettingsOf>;
  try {
    const resolved = resolveRuntimeConfig(readLbSettings(), workspaceRoot());
    lb = decisionSettingsOf(resolved.config, resolved.configFile ?? 'the protoext.lb.* settings');
  } catch (err) {
    // The LB would not start with this configuration either; the adapter decides over run's defaults and says so.
    void vscode.window.showWarningMessage(`Protocol Extension: the local LB configuration is invalid (${err instanceof Error ? err.message : String(err)}); the debugger decides over protoext-lb run's defaults.`);
    return;
  }
  if (!Array.isArray(config.services) || config.services.length === 0) {
    config.services = lb.services;
    config.servicesFrom = lb.servicesFrom;
  }
  config.lbMethod ??= lb.lbMethod;
  config.persistence ??= lb.persistence;
  config.persistenceTimeout ??= lb.persistenceTimeout;
}
