// Turns rule findings into LSP diagnostics (source 'protoext'), carrying their quick fixes for the code-action request.
import { CodeActionKind, DiagnosticSeverity, DiagnosticTag, type CodeAction, type Diagnostic, type Range } from 'vscode-languageserver/node';
import type { DocumentAnalysis } from '../analysis/analyze';
import type { Span } from '../analysis/ast';
import type { Fix, Severity } from '../rules/finding';
import { allFindings } from '../rules/index';

export const DIAGNOSTIC_SOURCE = 'protoext';

const SEVERITY: Readonly<Record<Severity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, information: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint,
};

/** What a diagnostic's `data` holds: the fixes, with ranges already in positions. */
interface DiagnosticData {
  fixes: { title: string; preferred: boolean; edits: { range: Range; newText: string }[] }[];
}

export function diagnosticsFor(analysis: DocumentAnalysis, toRange: (span: Span) => Range): Diagnostic[] {
  return allFindings(analysis).map((f) => {
    const data: DiagnosticData = {
      fixes: (f.fixes ?? []).map((fix: Fix) => ({
        title: fix.title,
        preferred: fix.preferred ?? false,
        edits: fix.changes.map((c) => ({ range: toRange(c.span), newText: c.newText })),
      })),
    };
    return {
      range: toRange(f.span),
      message: f.message,
      severity: SEVERITY[f.severity],
      code: f.code,
      source: DIAGNOSTIC_SOURCE,
      tags: f.unnecessary ? [DiagnosticTag.Unnecessary] : undefined,
      data,
    };
  });
}

export function quickFixes(uri: string, diagnostics: readonly Diagnostic[]): CodeAction[] {
  return diagnostics
    .filter((d) => d.source === DIAGNOSTIC_SOURCE)
    .flatMap((diagnostic) => ((diagnostic.data as DiagnosticData | undefined)?.fixes ?? []).map((fix) => ({
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: fix.preferred,
      edit: { changes: { [uri]: fix.edits } },
    })));
}
