// Entry point of the VS Code extension: builds the context, registers the command table and debugging, starts the language client.
import * as vscode from 'vscode';
import { performance } from 'node:perf_hooks';
import { commandTable, registerCommands } from './commands';
import { StudioContext } from './context';
import { registerDebugging } from './debug';
import { LanguageServerHandle } from './languageServer';
import { createTestApi, type StudioTestApi } from './testApi';

let current: StudioContext | undefined;

export function activate(extension: vscode.ExtensionContext): StudioTestApi {
  const started = performance.now();
  const ctx = new StudioContext(extension);
  current = ctx;
  extension.subscriptions.push(ctx);
  registerCommands(ctx, commandTable());
  ctx.own(registerDebugging(extension, ctx.log));
  ctx.languageServer = ctx.own(new LanguageServerHandle(ctx.asAbsolutePath('dist/server.js'), ctx.log));
  // Not awaited: activation must stay fast; the client reports its own progress and failures in the log.
  void ctx.languageServer.start();
  const activationMs = performance.now() - started;
  ctx.log.info(`activated ${extension.extension.id} ${String(extension.extension.packageJSON.version)} from ${extension.extensionPath} in ${activationMs.toFixed(1)} ms`);
  return createTestApi(ctx, activationMs);
}

export async function deactivate(): Promise<void> {
  const ctx = current;
  current = undefined;
  await ctx?.languageServer?.stop();
  ctx?.dispose();
}
