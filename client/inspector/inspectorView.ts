// The CONNECT Inspector webview view in the Run and Debug container: shows the adapter's `protoext/inspector` state at every stop.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { InspectorState } from '../../runtime/debug/inspectorModel';
import { INSPECTOR_CSS, renderInspector } from './renderInspector';

export const INSPECTOR_VIEW_ID = 'protoext.connectInspector';

/** Webview -> extension: `ready` once the script runs. Extension -> webview: `render` with HTML escaped by renderInspector. */
type FromWebview = { type: 'ready' };

/** Kept tiny on purpose: all rendering happens in the extension host (typed and unit-tested), the page only swaps HTML. */
const WEBVIEW_SCRIPT = `
const vscode = acquireVsCodeApi();
const root = document.getElementById('root');
const saved = vscode.getState();
if (saved && saved.html) root.innerHTML = saved.html;
window.addEventListener('message', (e) => {
  if (!e.data || e.data.type !== 'render') return;
  root.innerHTML = e.data.html;
  vscode.setState({ html: e.data.html });
});
vscode.postMessage({ type: 'ready' });
`;

export class InspectorViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | null = null;
  private state: InspectorState | null = null;
  private ended = false;
  private readonly disposables: vscode.Disposable[] = [];

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = { enableScripts: true, localResourceRoots: [] };
    const nonce = randomBytes(16).toString('base64');
    const csp = `default-src 'none'; style-src ${view.webview.cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}';`;
    view.webview.html = `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>CONNECT Inspector</title><style nonce="${nonce}">${INSPECTOR_CSS}</style></head>
<body><main id="root" aria-live="polite" aria-label="CONNECT Inspector"></main><script nonce="${nonce}">${WEBVIEW_SCRIPT}</script></body></html>`;
    this.disposables.push(
      view.webview.onDidReceiveMessage((msg: FromWebview) => { if (msg.type === 'ready') this.post(); }),
      view.onDidChangeVisibility(() => { if (view.visible) this.post(); }),
      view.onDidDispose(() => { this.view = null; }),
    );
  }

  /** The last state the adapter sent and whether its session ended (for tests and the `lastInspectorState` command). */
  get lastState(): { state: InspectorState | null; ended: boolean } {
    return { state: this.state, ended: this.ended };
  }

  update(state: InspectorState): void {
    this.state = state;
    this.ended = false;
    this.post();
  }

  sessionEnded(): void {
    this.ended = true;
    this.post();
  }

  private post(): void {
    if (!this.view || !this.view.visible) return;
    const ended = this.ended && this.state ? '<p role="status"><em>The debug session has ended; this is its last stop.</em></p>' : '';
    void this.view.webview.postMessage({ type: 'render', html: ended + renderInspector(this.state) });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
