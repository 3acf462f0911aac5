// The CONNECT Inspector's two places: a webview view in Run and Debug, and a panel beside the source; both show the same rendered state.
import * as vscode from 'vscode';
import { configureInspectorWebview, type FromInspectorWebview } from './inspectorWebview';

export const INSPECTOR_VIEW_ID = 'protoext.connectInspector';
export const INSPECTOR_PANEL_TYPE = 'protoext.connectInspectorPanel';

/** What a place does with the inspector: show the HTML, and report the text it put on screen. */
interface InspectorPlace {
  render(html: string): void;
}

/** Holds the HTML to show and hands it to whichever places are open; collects what they report as shown. */
export class InspectorDisplay implements vscode.WebviewViewProvider, vscode.Disposable {
  private html = '';
  private view: vscode.WebviewView | null = null;
  private panel: vscode.WebviewPanel | null = null;
  private shownText = '';
  private waiters: { text: string; resolve: (shown: string) => void }[] = [];
  private readonly disposables: vscode.Disposable[] = [];

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    configureInspectorWebview(view.webview);
    this.disposables.push(
      view.webview.onDidReceiveMessage((msg: FromInspectorWebview) => this.received(msg, this.viewPlace())),
      view.onDidChangeVisibility(() => { if (view.visible) this.viewPlace().render(this.html); }),
      view.onDidDispose(() => { this.view = null; }),
    );
  }

  /** Opens (or reveals) the panel beside the active editor without taking focus from the source. */
  showPanel(): void {
    if (this.panel) { this.panel.reveal(undefined, true); return; }
    const panel = vscode.window.createWebviewPanel(INSPECTOR_PANEL_TYPE, 'CONNECT Inspector', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { retainContextWhenHidden: false });
    this.panel = panel;
    configureInspectorWebview(panel.webview);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((msg: FromInspectorWebview) => this.received(msg, this.panelPlace())),
      panel.onDidDispose(() => { this.panel = null; }),
    );
  }

  /** Reveals the Run and Debug view, expanded (VS Code's view focus command: it also opens the container). */
  async showView(): Promise<void> {
    await vscode.commands.executeCommand(`${INSPECTOR_VIEW_ID}.focus`);
  }

  show(html: string): void {
    this.html = html;
    this.viewPlace().render(html);
    this.panelPlace().render(html);
  }

  /** Resolves with the text a place put on screen once it contains `text` (the webview's own report: nothing is guessed). */
  whenShowing(text: string, timeoutMs: number): Promise<string> {
    if (this.shownText.includes(text)) return Promise.resolve(this.shownText);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the CONNECT Inspector did not show ${JSON.stringify(text)} within ${timeoutMs} ms; it shows: ${this.shownText}`)), timeoutMs);
      this.waiters.push({ text, resolve: (shown) => { clearTimeout(timer); resolve(shown); } });
    });
  }

  private viewPlace(): InspectorPlace {
    return { render: (html) => { if (this.view?.visible) void this.view.webview.postMessage({ type: 'render', html }); } };
  }

  private panelPlace(): InspectorPlace {
    return { render: (html) => { if (this.panel) void this.panel.webview.postMessage({ type: 'render', html }); } };
  }

  private received(msg: FromInspectorWebview, place: InspectorPlace): void {
    if (msg.type === 'ready') { place.render(this.html); return; }
    this.shownText = msg.text;
    const ready = this.waiters.filter((w) => msg.text.includes(w.text));
    this.waiters = this.waiters.filter((w) => !msg.text.includes(w.text));
    for (const w of ready) w.resolve(msg.text);
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
