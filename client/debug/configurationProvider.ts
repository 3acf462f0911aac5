// Fills in `protoext` launch configurations: F5 on a .lua file without launch.json debugs it with a default CONNECT.
import * as vscode from 'vscode';
import { DEFAULT_PACKET } from '../../runtime/debug/launchConfig';

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
    return config;
  }
}
