// One document's analysis (parse tree, scopes, syntax state), computed once per version and shared by every feature.
import type * as lua from 'luaparse';
import { flatten } from './ast';
import { parseLua, type ParseResult } from './parse';
import { resolveScopes, type ScopeModel } from './scopes';

export interface DocumentAnalysis extends ParseResult {
  text: string;
  scopes?: ScopeModel;
  comments: lua.Comment[];
  /** Every node of the tree, parents first: rules iterate this instead of walking the tree again. */
  nodes: lua.Node[];
}

export function analyzeText(text: string): DocumentAnalysis {
  const parsed = parseLua(text);
  const scopes = parsed.chunk ? resolveScopes(parsed.chunk) : undefined;
  return { ...parsed, text, scopes, comments: parsed.chunk?.comments ?? [], nodes: parsed.chunk ? flatten(parsed.chunk) : [] };
}

/** Caches the analysis per URI and version, so completion, hover and diagnostics of one edit parse once. */
export class AnalysisCache {
  private readonly entries = new Map<string, { version: number; analysis: DocumentAnalysis }>();

  get(uri: string, version: number, text: () => string): DocumentAnalysis {
    const hit = this.entries.get(uri);
    if (hit && hit.version === version) return hit.analysis;
    const analysis = analyzeText(text());
    this.entries.set(uri, { version, analysis });
    return analysis;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }
}
