// The Packet Inspector's webview page, shared by the side-bar view and the editor panel: strict CSP, no remote content, a tiny script.
import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';
import { INSPECTOR_CSS } from './renderInspector';

/** Webview -> extension: `ready` once the script runs; `rendered` with the text now on screen (the signal tests wait on). */
export type FromInspectorWebview = { type: 'ready' } | { type: 'rendered'; text: string };

/** Kept tiny on purpose: all rendering happens in the extension host (typed and unit-tested), the page only swaps HTML. */
const WEBVIEW_SCRIPT = `
const vscode = acquireVsCodeApi();
const root = document.getElementById('root');
const show = (html) => {
  root.innerHTML = html;
  vscode.postMessage({ type: 'rendered', text: root.innerText });
};
const saved = vscode.getState();
if (saved && saved.html) show(saved.html);
window.addEventListener('message', (e) => {
  if (!e.data || e.data.type !== 'render') return;
  show(e.data.html);
  vscode.setState({ html: e.data.html });
});
vscode.postMessage({ type: 'ready' });
`;

export function configureInspectorWebview(webview: vscode.Webview): void {
  webview.options = { enableScripts: true, localResourceRoots: [] };
  const nonce = randomBytes(16).toString('base64');
  const csp = `default-src 'none'; style-src ${webview.cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}';`;
  webview.html = `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Packet Inspector</title><style nonce="${nonce}">${INSPECTOR_CSS}</style></head>
<body><main id="root" aria-live="polite" aria-label="Packet Inspector"></main><script nonce="${nonce}">${WEBVIEW_SCRIPT}</script></body></html>`;
}
