// Go to definition, references and rename for locals, parameters, labels and (definition/references only) global functions.
import type { DocumentAnalysis } from '../analysis/analyze';
import { contains, type Span } from '../analysis/ast';
import type { LuaSymbol } from '../analysis/scopes';
import { LUA_KEYWORDS } from './completion';

export type Target = { kind: 'symbol'; symbol: LuaSymbol; at: Span } | { kind: 'global'; name: string; at: Span };

export function targetAt(analysis: DocumentAnalysis, offset: number): Target | undefined {
  const scopes = analysis.scopes;
  if (!scopes) return undefined;
  for (const symbol of scopes.symbols) {
    if (contains(symbol.declaration, offset)) return { kind: 'symbol', symbol, at: symbol.declaration };
    const use = symbol.references.find((r) => contains(r, offset));
    if (use) return { kind: 'symbol', symbol, at: use };
  }
  const global = scopes.globals.find((g) => contains(g.span, offset));
  return global ? { kind: 'global', name: global.name, at: global.span } : undefined;
}

export function definitionOf(analysis: DocumentAnalysis, offset: number): Span | undefined {
  const target = targetAt(analysis, offset);
  if (!target) return undefined;
  if (target.kind === 'symbol') return target.symbol.declaration;
  // A global function or variable: its first assignment in the file is the closest thing to a declaration.
  return analysis.scopes!.globals.find((g) => g.name === target.name && g.write)?.span;
}

export function referencesOf(analysis: DocumentAnalysis, offset: number, includeDeclaration: boolean): Span[] {
  const target = targetAt(analysis, offset);
  if (!target) return [];
  if (target.kind === 'global') return analysis.scopes!.globals.filter((g) => g.name === target.name).map((g) => g.span);
  const refs = [...target.symbol.references].sort((a, b) => a[0] - b[0]);
  return includeDeclaration ? [target.symbol.declaration, ...refs] : refs;
}

export function renameRange(analysis: DocumentAnalysis, offset: number): Span | undefined {
  const target = targetAt(analysis, offset);
  return target?.kind === 'symbol' ? target.at : undefined;
}

export class RenameError extends Error {}

export function renameEdits(analysis: DocumentAnalysis, offset: number, newName: string): Span[] {
  const target = targetAt(analysis, offset);
  if (target?.kind !== 'symbol') throw new RenameError('Only locals, parameters and labels can be renamed (globals and the ns API are shared names).');
  if (!/^[A-Za-z_]\w*$/.test(newName) || (LUA_KEYWORDS as readonly string[]).includes(newName)) throw new RenameError(`'${newName}' is not a valid Lua name.`);
  return [target.symbol.declaration, ...target.symbol.references];
}
