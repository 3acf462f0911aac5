// The command table: each command's handler and, when it cannot run now, the sentence that explains why.
import * as vscode from 'vscode';
import { COMMANDS, paletteTitle, type CommandInfo } from './commandList';
import type { StudioContext } from './context';

export interface CommandSpec {
  readonly info: CommandInfo;
  /** Returns why the command cannot run right now, or undefined when it can. */
  readonly whyDisabled?: (ctx: StudioContext) => string | undefined;
  readonly run: (ctx: StudioContext, ...args: unknown[]) => unknown;
}

async function showLanguageServerStatus(ctx: StudioContext): Promise<string> {
  const ls = ctx.languageServer;
  const state = ls?.state ?? 'stopped';
  const detail = ls?.lastError ? ` (last error: ${ls.lastError})` : '';
  const message = `Language server: ${state}${detail}`;
  ctx.log.info(message);
  void vscode.window.showInformationMessage(message, 'Show Log').then((pick) => {
    if (pick) ctx.log.show();
  });
  return state;
}

/** The built-in commands; other features append their own specs to this list. */
export function commandTable(): CommandSpec[] {
  return [
    { info: COMMANDS.showRuntimeLog, run: (ctx) => ctx.log.show() },
    { info: COMMANDS.showLanguageServerStatus, run: showLanguageServerStatus },
    {
      info: COMMANDS.restartLanguageServer,
      whyDisabled: (ctx) => (ctx.languageServer ? undefined : 'the language server was never started in this window.'),
      run: async (ctx) => {
        await ctx.languageServer?.restart();
        return ctx.languageServer?.state;
      },
    },
  ];
}

/** Registers every spec; a disabled command explains itself instead of failing silently. */
export function registerCommands(ctx: StudioContext, specs: readonly CommandSpec[]): void {
  for (const spec of specs) {
    const handler = async (...args: unknown[]): Promise<unknown> => {
      ctx.countCommandRun(spec.info.id);
      const why = spec.whyDisabled?.(ctx);
      if (why !== undefined) {
        ctx.log.info(`${spec.info.id} not run: ${why}`);
        void vscode.window.showInformationMessage(`${paletteTitle(spec.info)}: ${why}`);
        return undefined;
      }
      try {
        return await spec.run(ctx, ...args);
      } catch (err) {
        ctx.log.error(`${spec.info.id} failed`, err);
        void vscode.window.showErrorMessage(`${paletteTitle(spec.info)} failed: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
      }
    };
    ctx.own(vscode.commands.registerCommand(spec.info.id, handler));
  }
}
