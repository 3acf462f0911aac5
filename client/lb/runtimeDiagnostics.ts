// Script load errors of the local LB as diagnostics on the .lua file (collection 'protoext-runtime'), cleared when a good version loads.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ScriptError } from '../../runtime/ns/types';

export const RUNTIME_DIAGNOSTICS = 'protoext-runtime';

export class RuntimeDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection(RUNTIME_DIAGNOSTICS);

  /** `file` as the runtime named it (relative to its working folder `cwd`). */
  report(file: string, line: number | null, message: string, cwd: string, kind = 'syntax'): vscode.Uri {
    const uri = vscode.Uri.file(path.resolve(cwd, file));
    const row = Math.max(0, (line ?? 1) - 1);
    // The whole line: the runtime knows lines, not columns.
    const range = new vscode.Range(row, 0, row, Number.MAX_SAFE_INTEGER);
    const text = message.replace(/^.*?:\d+: /, '');
    const diagnostic = new vscode.Diagnostic(range, `local LB rejected the script (${kind}): ${text}`, vscode.DiagnosticSeverity.Error);
    diagnostic.source = 'protoext-lb';
    this.collection.set(uri, [diagnostic]);
    return uri;
  }

  reportScriptError(error: ScriptError, cwd: string): vscode.Uri {
    return this.report(error.file, error.line, error.message, cwd, error.kind);
  }

  clear(file?: string): void {
    if (file) this.collection.delete(vscode.Uri.file(file));
    else this.collection.clear();
  }

  /** For tests and the status command: how many runtime diagnostics a file has. */
  count(file: string): number {
    return this.collection.get(vscode.Uri.file(file))?.length ?? 0;
  }

  dispose(): void {
    this.collection.dispose();
  }
}
