// The status bar item and the "Local LB" tree view, both fed by the LbController's events; both name the protocol the LB serves.
import * as vscode from 'vscode';
import { protocolByName, type Protocol } from '../../runtime/protocols';
import type { LbController } from './lbController';
import type { WorkspaceLbConfig } from './workspaceConfig';
import { statusBarView } from './lbStatus';
import { buildLbTree, type LbTreeNode } from './lbTreeModel';

export const LB_VIEW_ID = 'protoext.lbView';

export class LbStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('protoext.lbStatus', vscode.StatusBarAlignment.Left, 10);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly lb: LbController, private readonly config: WorkspaceLbConfig) {
    this.item.name = 'Local LB';
    // A stopped LB names the protocol it would start with: that follows protoext.json and the settings.
    this.subscription = vscode.Disposable.from(lb.onDidChangeStatus(() => this.render()), config.onDidChange(() => this.render()));
    this.render();
    this.item.show();
  }

  get text(): string {
    return this.item.text;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }

  private render(): void {
    const view = statusBarView(this.lb.status, lbProtocol(this.lb, this.config).title);
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.command = view.command;
  }
}

export class LbTreeProvider implements vscode.TreeDataProvider<LbTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<LbTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: LbTreeNode[] = [];
  private readonly subscription: vscode.Disposable;

  constructor(private readonly lb: LbController, private readonly config: WorkspaceLbConfig) {
    this.subscription = vscode.Disposable.from(
      lb.onDidChangeData(() => this.refresh()),
      lb.onDidChangeStatus(() => this.refresh()),
    );
  }

  /** The current model (tests read it through the test API). */
  nodes(): readonly LbTreeNode[] {
    return this.roots;
  }

  refresh(): void {
    this.roots = this.lb.status.kind === 'running' ? buildLbTree(this.lb.stats ?? emptyStats(this.lb), this.lb.decisions, Date.now(), lbProtocol(this.lb, this.config)) : [];
    this.changed.fire(undefined);
  }

  getTreeItem(node: LbTreeNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.label, node.children ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon);
    return item;
  }

  getChildren(node?: LbTreeNode): LbTreeNode[] {
    return node ? (node.children ?? []) : this.roots;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** The protocol the LB runs with (its configuration), else the one it would start with (the workspace's). */
function lbProtocol(lb: LbController, config: WorkspaceLbConfig): Protocol {
  const running = lb.runConfig?.protocol;
  return running ? protocolByName(running) : config.protocol();
}

/** Between "ready" and the first stats message (up to 1 s) the tree still shows the groups. */
function emptyStats(lb: LbController): Parameters<typeof buildLbTree>[0] {
  const status = lb.status;
  const listen = status.kind === 'running' ? status.listen : '';
  const i = listen.lastIndexOf(':');
  const config = lb.runConfig;
  return {
    listening: i > 0 ? { host: listen.slice(0, i), port: Number(listen.slice(i + 1)) } : null,
    script: { file: lb.scriptFile ?? 'examples/mqtt.lua', loadedAt: new Date().toISOString(), reloads: 0 },
    method: config?.lbMethod ?? 'USER_TOKEN',
    connections: { active: 0, piped: 0, total: 0 },
    services: [],
    persistence: { type: config?.persistence.type ?? 'USERSESSION', timeoutMinutes: config?.persistence.timeoutMinutes ?? 2, entries: [] },
    recentDecisions: [],
  };
}
