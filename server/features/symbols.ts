// Document symbols (callbacks, functions, labels, nested by function) and folding ranges (blocks, tables, comment runs).
import { FoldingRangeKind, SymbolKind, type DocumentSymbol, type FoldingRange, type Range } from 'vscode-languageserver/node';
import type * as lua from 'luaparse';
import type { DocumentAnalysis } from '../analysis/analyze';
import { contains, spanOf, type Span } from '../analysis/ast';

type ToRange = (span: Span) => Range;

export function documentSymbols(analysis: DocumentAnalysis, toRange: ToRange): DocumentSymbol[] {
  const scopes = analysis.scopes;
  if (!scopes) return [];
  interface Entry { node: lua.Node; symbol: DocumentSymbol; span: Span }
  const entries: Entry[] = [];
  for (const f of scopes.functions) {
    if (!f.name) continue;
    const span = spanOf(f.node);
    const nameSpan = f.node.identifier ? spanOf(f.node.identifier) : span;
    entries.push({
      node: f.node,
      span,
      symbol: {
        name: f.name,
        detail: f.callback ? 'callback' : f.node.isLocal ? 'local function' : 'function',
        kind: f.callback ? SymbolKind.Event : f.name.includes(':') ? SymbolKind.Method : SymbolKind.Function,
        range: toRange(span),
        selectionRange: toRange(contains(span, nameSpan[0]) ? nameSpan : span),
        children: [],
      },
    });
  }
  for (const label of scopes.symbols.filter((s) => s.kind === 'label')) {
    entries.push({
      node: label.owner,
      span: label.declaration,
      symbol: { name: `::${label.name}::`, kind: SymbolKind.Key, range: toRange(label.declaration), selectionRange: toRange(label.declaration), children: [] },
    });
  }
  entries.sort((a, b) => a.span[0] - b.span[0]);
  const roots: DocumentSymbol[] = [];
  const functions = entries.filter((e) => e.symbol.kind !== SymbolKind.Key);
  for (const entry of entries) {
    const parent = functions
      .filter((f) => f !== entry && f.span[0] <= entry.span[0] && entry.span[1] <= f.span[1])
      .sort((a, b) => b.span[0] - a.span[0])[0];
    (parent ? parent.symbol.children! : roots).push(entry.symbol);
  }
  return roots;
}

const FOLDABLE = new Set(['FunctionDeclaration', 'IfClause', 'ElseifClause', 'ElseClause', 'WhileStatement', 'RepeatStatement', 'ForNumericStatement', 'ForGenericStatement', 'DoStatement', 'TableConstructorExpression']);

export function foldingRanges(analysis: DocumentAnalysis, lineOf: (offset: number) => number): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  for (const node of analysis.nodes) {
    if (!FOLDABLE.has(node.type)) continue;
    const [start, end] = spanOf(node);
    const startLine = lineOf(start);
    // Keep the closing `end` / next clause keyword visible.
    const endLine = lineOf(end) - 1;
    if (endLine > startLine) ranges.push({ startLine, endLine });
  }
  let run: { start: number; end: number } | undefined;
  const flush = () => {
    if (run && run.end > run.start) ranges.push({ startLine: run.start, endLine: run.end, kind: FoldingRangeKind.Comment });
    run = undefined;
  };
  for (const comment of analysis.comments) {
    const [start, end] = spanOf(comment);
    const startLine = lineOf(start);
    const endLine = lineOf(end);
    if (endLine > startLine) {
      flush();
      ranges.push({ startLine, endLine, kind: FoldingRangeKind.Comment });
    } else if (run && startLine === run.end + 1) run.end = startLine;
    else {
      flush();
      run = { start: startLine, end: startLine };
    }
  }
  flush();
  return ranges;
}
