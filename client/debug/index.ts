// Debugging for the extension: the `protoext` configuration provider and the Packet Inspector view, in one registration (the debug commands are in the command table: debugCommands.ts).
import * as vscode from 'vscode';
import type { InspectorState } from '../../runtime/debug/inspectorModel';
import { INSPECTOR_EVENT } from '../../runtime/debug/customMessages';
import { INSPECTOR_VIEW_ID, InspectorDisplay } from '../inspector/inspectorView';
import { renderInspector } from '../inspector/renderInspector';
import { ProtoextConfigurationProvider } from './configurationProvider';
import { DEBUG_TYPE } from './debugCommands';
import { InspectorOwner } from './inspectorOwner';
import type { WorkspaceLbConfig } from '../lb/workspaceConfig';

export { DEBUG_TYPE, INSPECTOR_VIEW_ID };

/** Not contributed (no palette entry): returns the Packet Inspector's last state, for tests and other extensions. */
export const LAST_INSPECTOR_STATE_COMMAND = 'protoext.debug.lastInspectorState';
/** Not contributed: `(text, timeoutMs)` resolves with the inspector's on-screen text once it contains `text` (the webview reports it). */
export const WHEN_INSPECTOR_SHOWS_COMMAND = 'protoext.debug.whenInspectorShows';
/** Setting: where the first stop of a session opens the inspector (`editor`: beside the source; `sidebar`: Run and Debug). */
export const INSPECTOR_LOCATION_SETTING = 'protoext.debug.inspectorLocation';

export function registerDebugging(context: vscode.ExtensionContext, workspaceConfig: WorkspaceLbConfig): vscode.Disposable {
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
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new ProtoextConfigurationProvider(workspaceConfig)),
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
  ];
  context.subscriptions.push(...disposables);
  return vscode.Disposable.from(...disposables);
}

async function reveal(display: InspectorDisplay): Promise<void> {
  if (vscode.workspace.getConfiguration().get<string>(INSPECTOR_LOCATION_SETTING, 'editor') === 'sidebar') await display.showView();
  else display.showPanel();
}
