// Debugging for the extension: the `protoext` configuration provider, the CONNECT Inspector view and the debug commands, in one registration.
import * as vscode from 'vscode';
import type { InspectorState } from '../../runtime/debug/inspectorModel';
import { INSPECTOR_EVENT, STEP_TO_NEXT_BYTE_REQUEST } from '../../runtime/debug/customMessages';
import { INSPECTOR_VIEW_ID, InspectorViewProvider } from '../inspector/inspectorView';
import { ProtoextConfigurationProvider } from './configurationProvider';
import { InspectorOwner } from './inspectorOwner';
import { connectDebugConfiguration, PACKET_PRESETS } from './packetPresets';

export const DEBUG_TYPE = 'protoext';
export { INSPECTOR_VIEW_ID };

/** Commands this module registers (ids and titles as in package.json), for the command table owner to list. */
export const DEBUG_COMMANDS = {
  debugConnectParsing: { id: 'protoext.debugConnectParsing', title: 'Debug CONNECT Parsing' },
  stepToNextByte: { id: 'protoext.stepToNextByte', title: 'Step to Next Byte' },
} as const;

/** Not contributed (no palette entry): returns the CONNECT Inspector's last state, for tests and other extensions. */
export const LAST_INSPECTOR_STATE_COMMAND = 'protoext.debug.lastInspectorState';

/** What the debugging module logs through (the extension's StudioLog satisfies it). */
export interface DebugLog {
  info(message: string): void;
  error(message: string, cause?: unknown): void;
}

export function registerDebugging(context: vscode.ExtensionContext, log: DebugLog): vscode.Disposable {
  const inspector = new InspectorViewProvider();
  const owner = new InspectorOwner();
  const disposables: vscode.Disposable[] = [
    inspector,
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new ProtoextConfigurationProvider()),
    vscode.window.registerWebviewViewProvider(INSPECTOR_VIEW_ID, inspector),
    vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      if (e.session.type !== DEBUG_TYPE || e.event !== INSPECTOR_EVENT) return;
      owner.showing(e.session.id);
      inspector.update(e.body as InspectorState);
    }),
    vscode.debug.onDidTerminateDebugSession((s) => { if (s.type === DEBUG_TYPE && owner.ended(s.id)) inspector.sessionEnded(); }),
    vscode.commands.registerCommand(LAST_INSPECTOR_STATE_COMMAND, () => inspector.lastState),
    vscode.commands.registerCommand(DEBUG_COMMANDS.debugConnectParsing.id, (uri?: vscode.Uri) => debugConnectParsing(uri, log)),
    vscode.commands.registerCommand(DEBUG_COMMANDS.stepToNextByte.id, async () => {
      const session = vscode.debug.activeDebugSession;
      if (!session || session.type !== DEBUG_TYPE) {
        void vscode.window.showInformationMessage('Step to Next Byte needs a paused Protocol Extension debug session.');
        return;
      }
      await session.customRequest(STEP_TO_NEXT_BYTE_REQUEST, { threadId: 1 });
    }),
  ];
  context.subscriptions.push(...disposables);
  return vscode.Disposable.from(...disposables);
}

async function debugConnectParsing(uri: vscode.Uri | undefined, log: DebugLog): Promise<boolean> {
  const file = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!file || !file.fsPath.endsWith('.lua')) {
    void vscode.window.showErrorMessage('Debug CONNECT Parsing: open the protocol extension (.lua) first.');
    return false;
  }
  const pick = await vscode.window.showQuickPick(PACKET_PRESETS.map((p) => ({ label: p.label, detail: p.detail, preset: p })), {
    title: 'Debug CONNECT Parsing: which CONNECT should the script receive?',
    placeHolder: 'MQTT version and shape of the packet',
  });
  if (!pick) return false;
  const config = connectDebugConfiguration(file.fsPath, pick.preset);
  log.info(`debugging ${file.fsPath} with ${pick.label}`);
  const started = await vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(file), config);
  if (!started) log.error(`could not start the protoext debug session for ${file.fsPath}`);
  return started;
}
