// Debugging for the extension: the `protoext` configuration provider, the CONNECT Inspector view and the debug commands, in one registration.
import * as vscode from 'vscode';
import type { InspectorState } from '../../runtime/debug/inspectorModel';
import { INSPECTOR_EVENT, STEP_TO_NEXT_BYTE_REQUEST } from '../../runtime/debug/customMessages';
import { INSPECTOR_VIEW_ID, InspectorDisplay } from '../inspector/inspectorView';
import { renderInspector } from '../inspector/renderInspector';
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
/** Not contributed: `(text, timeoutMs)` resolves with the inspector's on-screen text once it contains `text` (the webview reports it). */
export const WHEN_INSPECTOR_SHOWS_COMMAND = 'protoext.debug.whenInspectorShows';
/** Setting: where the first stop of a session opens the inspector (`editor`: beside the source; `sidebar`: Run and Debug). */
export const INSPECTOR_LOCATION_SETTING = 'protoext.debug.inspectorLocation';

/** What the debugging module logs through (the extension's StudioLog satisfies it). */
export interface DebugLog {
  info(message: string): void;
  error(message: string, cause?: unknown): void;
}

export function registerDebugging(context: vscode.ExtensionContext, log: DebugLog): vscode.Disposable {
  const display = new InspectorDisplay();
  const owner = new InspectorOwner();
  let state: InspectorState | null = null;
  let ended = false;
  const show = () => {
    const banner = ended && state ? '<p role="status"><em>The debug session has ended; this is its last stop.</em></p>' : '';
    display.show(banner + renderInspector(state));
  };
  const disposables: vscode.Disposable[] = [
    display,
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new ProtoextConfigurationProvider()),
    vscode.window.registerWebviewViewProvider(INSPECTOR_VIEW_ID, display),
    vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      if (e.session.type !== DEBUG_TYPE || e.event !== INSPECTOR_EVENT) return;
      const firstOfSession = owner.showing(e.session.id);
      state = e.body as InspectorState;
      ended = false;
      // The first stop of a session puts the inspector where the eye is; later stops leave the layout to the user.
      if (firstOfSession) void reveal(display);
      show();
    }),
    vscode.debug.onDidTerminateDebugSession((s) => {
      if (s.type !== DEBUG_TYPE || !owner.ended(s.id)) return;
      ended = true;
      show();
    }),
    vscode.commands.registerCommand(LAST_INSPECTOR_STATE_COMMAND, () => ({ state, ended })),
    vscode.commands.registerCommand(WHEN_INSPECTOR_SHOWS_COMMAND, (text: string, timeoutMs = 10_000) => display.whenShowing(text, timeoutMs)),
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

async function reveal(display: InspectorDisplay): Promise<void> {
  if (vscode.workspace.getConfiguration().get<string>(INSPECTOR_LOCATION_SETTING, 'editor') === 'sidebar') await display.showView();
  else display.showPanel();
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
