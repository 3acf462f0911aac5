// Entry point of the VS Code extension: builds the context, the local LB and its views, registers the command table and debugging, starts the language client.
import * as vscode from 'vscode';
import { performance } from 'node:perf_hooks';
import { commandTable, registerCommands } from './commands';
import { StudioContext } from './context';
import { registerDebugging } from './debug';
import { debugCommandTable } from './debug/debugCommands';
import { lbCommandTable } from './lb/lbCommands';
import { LbController } from './lb/lbController';
import { LB_VIEW_ID, LbStatusBar, LbTreeProvider } from './lb/lbViews';
import { LanguageServerHandle } from './languageServer';
import { createTestApi, type StudioTestApi } from './testApi';

let current: StudioContext | undefined;

export function activate(extension: vscode.ExtensionContext): StudioTestApi {
  const started = performance.now();
  const ctx = new StudioContext(extension);
  current = ctx;
  extension.subscriptions.push(ctx);
  const config = ctx.workspaceConfig;
  ctx.lb = ctx.own(new LbController(ctx.asAbsolutePath('dist/cli.js'), extension.globalStorageUri.fsPath, ctx.log, config));
  ctx.lbStatusBar = ctx.own(new LbStatusBar(ctx.lb, config));
  ctx.lbTree = ctx.own(new LbTreeProvider(ctx.lb, config));
  ctx.own(vscode.window.registerTreeDataProvider(LB_VIEW_ID, ctx.lbTree));
  registerCommands(ctx, [...commandTable(), ...lbCommandTable(), ...debugCommandTable()]);
  ctx.own(registerDebugging(extension, config));
  ctx.languageServer = ctx.own(new LanguageServerHandle(ctx.asAbsolutePath('dist/server.js'), ctx.log, () => config.protocol()));
  // The workspace protocol follows protoext.json and the protoext.lb.protocol setting: the lenses name it.
  ctx.own(config.onDidChange(() => ctx.languageServer?.protocolChanged()));
  // Not awaited: activation must stay fast; the client reports its own progress and failures in the log.
  void ctx.languageServer.start();
  const activationMs = performance.now() - started;
  ctx.log.info(`activated ${extension.extension.id} ${String(extension.extension.packageJSON.version)} from ${extension.extensionPath} in ${activationMs.toFixed(1)} ms`);
  return createTestApi(ctx, activationMs);
}

export async function deactivate(): Promise<void> {
  const ctx = current;
  current = undefined;
  // The LB first: its process (and its brokers) must not outlive the window.
  await ctx?.lb?.shutdown();
  await ctx?.languageServer?.stop();
  ctx?.dispose();
}
