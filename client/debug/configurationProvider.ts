// Fills in `protoext` launch configurations: F5 on a .lua file without launch.json debugs it with the workspace protocol's default first flight, deciding as the local LB would.
import * as vscode from 'vscode';
import { decisionSettingsOf } from '../../runtime/debug/decisionModel';
import type { ResolvedRuntimeConfig } from '../lb/runtimeConfig';
import type { WorkspaceLbConfig } from '../lb/workspaceConfig';

export class ProtoextConfigurationProvider implements vscode.DebugConfigurationProvider {
  constructor(private readonly workspaceConfig: WorkspaceLbConfig) {}

  resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
    const editor = vscode.window.activeTextEditor;
    if (!config.type && !config.request && !config.name) {
      if (!editor || editor.document.languageId !== 'lua') return config;
      config.type = 'protoext';
      config.request = 'launch';
      config.name = 'Debug first flight';
      config.program = editor.document.uri.fsPath;
      // No packet: the adapter takes the protocol's first preset.
      config.stopOnEntry = true;
    }
    if (!config.program && editor?.document.languageId === 'lua') config.program = editor.document.uri.fsPath;
    if (!config.program) {
      void vscode.window.showErrorMessage('Protocol Extension: set "program" to the .lua extension to debug, or open it in the editor.');
      return undefined;
    }
    if (!config.cwd && folder) config.cwd = folder.uri.fsPath;
    withWorkspaceLb(config, this.workspaceConfig);
    return config;
  }
}

/**
 * What the configuration leaves out is taken from the local LB of this workspace (protoext.json, else the
 * protoext.lb.* settings, else its embedded backends by run's names): its protocol, and for a launch the decision
 * settings, so the decision shown is the one that LB would make.
 */
function withWorkspaceLb(config: vscode.DebugConfiguration, workspaceConfig: WorkspaceLbConfig): void {
  let lb: ReturnType<typeof decisionSettingsOf>;
  let resolved: ResolvedRuntimeConfig;
  try {
    resolved = workspaceConfig.resolve();
    lb = decisionSettingsOf(resolved.config, resolved.configFile ?? 'the protoext.lb.* settings');
  } catch (err) {
    // The LB would not start with this configuration either; the adapter decides over run's defaults and says so.
    void vscode.window.showWarningMessage(`Protocol Extension: the local LB configuration is invalid (${err instanceof Error ? err.message : String(err)}); the debugger decides over protoext-lb run's defaults.`);
    return;
  }
  config.protocol ??= resolved.config.protocol;
  if (config.request !== 'launch') return;
  if (!Array.isArray(config.services) || config.services.length === 0) {
    config.services = lb.services;
    config.servicesFrom = lb.servicesFrom;
  }
  config.lbMethod ??= lb.lbMethod;
  config.persistence ??= lb.persistence;
  config.persistenceTimeout ??= lb.persistenceTimeout;
}
