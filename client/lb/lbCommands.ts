// The local LB's commands (start, stop, restart, status, test traffic, check, scaffold, exports) as command-table specs.
import * as vscode from 'vscode';
import { COMMANDS } from '../commandList';
import type { CommandSpec } from '../commands';
import type { StudioContext } from '../context';
import { runCli } from './cliRunner';
import { lbOf, notRunning } from './lbGuards';
import { LB_VIEW_ID } from './lbViews';
import { testTrafficSpec } from './testTrafficCommand';
import { checkScriptSpec } from './checkScript';
import { newExtensionSpec } from './scaffold';

async function showStatus(ctx: StudioContext): Promise<string> {
  const lb = lbOf(ctx);
  if (lb.status.kind !== 'running') {
    const pick = await vscode.window.showInformationMessage(`Local LB: ${lb.status.kind}.`, 'Start');
    if (pick) await lb.start();
    return lb.status.kind;
  }
  const stats = await lb.requestStats();
  await vscode.commands.executeCommand(`${LB_VIEW_ID}.focus`);
  const summary = stats
    ? `running on ${lb.status.listen}: ${stats.services.map((s) => `${s.id} ${s.up ? 'up' : 'DOWN'} (${s.activeConnections} active)`).join(', ')}; ${stats.connections.active} active / ${stats.connections.total} total connections; ${stats.persistence.entries.length} persistence sessions`
    : `running on ${lb.status.listen}`;
  ctx.log.info(`local LB status: ${summary}`);
  return summary;
}

/** Runs `protoext-lb export` with the same configuration the LB runs with, into an untitled document. */
async function exportConfiguration(ctx: StudioContext, target: 'netscaler' | 'haproxy'): Promise<vscode.TextDocument | undefined> {
  const lb = lbOf(ctx);
  const config = lb.configForExport();
  const r = await runCli(lb.cliPath, ['export', `--${target}`, '--config', config.file], config.cwd);
  if (r.code !== 0) throw new Error(r.stderr.trim() || `protoext-lb export exited with ${r.code}`);
  const doc = await vscode.workspace.openTextDocument({ content: r.stdout, language: target === 'haproxy' ? 'haproxy' : 'plaintext' });
  await vscode.window.showTextDocument(doc);
  ctx.log.info(`exported the ${target === 'haproxy' ? 'HAProxy' : 'NetScaler'} configuration (${r.stdout.split('\n').length} lines) from ${config.source}`);
  return doc;
}

export function lbCommandTable(): CommandSpec[] {
  return [
    {
      info: COMMANDS.startLb,
      whyDisabled: (ctx) => (ctx.lb?.status.kind === 'running' || ctx.lb?.status.kind === 'starting' ? `the local LB is already ${ctx.lb.status.kind}.` : undefined),
      run: async (ctx) => {
        await lbOf(ctx).start();
        return lbOf(ctx).status;
      },
    },
    { info: COMMANDS.stopLb, whyDisabled: notRunning, run: async (ctx) => { await lbOf(ctx).stop(); return lbOf(ctx).status; } },
    { info: COMMANDS.restartLb, whyDisabled: notRunning, run: async (ctx) => { await lbOf(ctx).restart(); return lbOf(ctx).status; } },
    { info: COMMANDS.showLbStatus, run: showStatus },
    testTrafficSpec(),
    checkScriptSpec(),
    newExtensionSpec(),
    { info: COMMANDS.exportNetscaler, run: (ctx) => exportConfiguration(ctx, 'netscaler') },
    { info: COMMANDS.exportHaproxy, run: (ctx) => exportConfiguration(ctx, 'haproxy') },
  ];
}
