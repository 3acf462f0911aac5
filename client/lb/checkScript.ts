// "Check Script Against Corpus": runs `protoext-lb check --protocol P --json` on a script over the workspace protocol's corpus and shows the disagreements (log, notification, diagnostic, table).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatTable } from '../../runtime/cli/checkReport';
import { samePath } from '../../runtime/platform/samePath';
import { COMMANDS } from '../commandList';
import type { CommandSpec } from '../commands';
import type { StudioContext } from '../context';
import { checkMarkdown, disagreementSummary, onDataLine, parseCheckJson, type CheckJson } from './checkReportView';
import { runCli } from './cliRunner';

export const CHECK_DIAGNOSTICS = 'protoext-check';

let collection: vscode.DiagnosticCollection | undefined;

/** Created on first use and owned by the context; forgotten on dispose, so a later activation makes a fresh one. */
function diagnostics(ctx: StudioContext): vscode.DiagnosticCollection {
  if (!collection) {
    const created = vscode.languages.createDiagnosticCollection(CHECK_DIAGNOSTICS);
    collection = created;
    ctx.own({ dispose: () => { created.dispose(); collection = undefined; } });
  }
  return collection;
}

/** The lens passes a URI string; the palette uses the active .lua, else the script the LB runs, else the bundled sample. */
function targetScript(ctx: StudioContext, arg: unknown): string {
  if (typeof arg === 'string') return vscode.Uri.parse(arg).fsPath;
  if (arg instanceof vscode.Uri) return arg.fsPath;
  const active = vscode.window.activeTextEditor?.document;
  if (active && active.uri.scheme === 'file' && active.fileName.endsWith('.lua')) return active.fileName;
  return ctx.lb?.scriptFile ?? ctx.asAbsolutePath(path.join('examples', ctx.workspaceConfig.protocol().defaults.extension));
}

export interface CheckOutcome {
  file: string;
  disagreements: number;
  summary: string;
  report: vscode.TextDocument | null;
}

async function checkScript(ctx: StudioContext, arg?: unknown): Promise<CheckOutcome> {
  const file = targetScript(ctx, arg);
  const doc = vscode.workspace.textDocuments.find((d) => samePath(d.fileName, file));
  if (doc?.isDirty) await doc.save();
  const protocol = ctx.workspaceConfig.protocol();
  const cli = ctx.asAbsolutePath(path.join('dist', 'cli.js'));
  const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Checking ${path.basename(file)} against the ${protocol.title} corpus` }, () =>
    runCli(cli, ['check', '--protocol', protocol.name, '--extension', file, '--json'], path.dirname(file)));
  const uri = vscode.Uri.file(file);
  if (r.code === 2 || !r.stdout.trim()) {
    const message = r.stderr.trim() || `protoext-lb check exited with ${r.code}`;
    ctx.log.error(`check ${file}: ${message}`);
    void vscode.window.showErrorMessage(`Check Script: ${message}`);
    return { file, disagreements: -1, summary: message, report: null };
  }
  const result: CheckJson = parseCheckJson(r.stdout);
  ctx.log.info(`check: ${result.summary}`);
  if (result.rows.length > 0) for (const line of formatTable(result.rows).split('\n')) ctx.log.info(`check: ${line}`);
  if (result.disagreements === 0) {
    diagnostics(ctx).delete(uri);
    void vscode.window.showInformationMessage(`${path.basename(file)} agrees with the ${protocol.title} reference on all ${result.runs} corpus runs.`);
    return { file, disagreements: 0, summary: result.summary, report: null };
  }
  const source = fs.readFileSync(file, 'utf8');
  const line = onDataLine(source);
  const diagnostic = new vscode.Diagnostic(new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER), `${disagreementSummary(result, protocol.title)}. Run "Check Script Against Corpus" for the table.`, vscode.DiagnosticSeverity.Warning);
  diagnostic.source = 'protoext-check';
  diagnostics(ctx).set(uri, [diagnostic]);
  const report = await vscode.workspace.openTextDocument({ content: checkMarkdown(result, protocol.title), language: 'markdown' });
  await vscode.window.showTextDocument(report, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  void vscode.window.showWarningMessage(`${path.basename(file)}: ${disagreementSummary(result, protocol.title)}.`, 'Show Log').then((pick) => {
    if (pick) ctx.log.show();
  });
  return { file, disagreements: result.disagreements, summary: result.summary, report };
}

export function checkScriptSpec(): CommandSpec {
  return {
    info: COMMANDS.checkScript,
    whyDisabled: (ctx) => (ctx.workspaceConfig.protocol().corpus().length === 0 ? `${ctx.workspaceConfig.protocol().title} has no reference decoder, so there is no corpus to check against (protoext-lb check --corpus FILE takes one with stated expectations).` : undefined),
    run: checkScript,
  };
}
