// Reads what surrounds the cursor from the text (works on lines that do not parse yet) and resolves name chains to types.
import type { DocumentAnalysis } from '../analysis/analyze';
import { globalType } from '../analysis/apiTypes';
import { findMember } from '../analysis/apiModel';
import { visibleSymbols } from '../analysis/scopes';

/** `payload.data:` before the cursor: chain ['payload', 'data'], indexer ':', partial name typed so far. */
export interface MemberAccess {
  chain: string[];
  indexer: '.' | ':';
  partial: string;
}

const CHAIN = /([A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*)\s*([.:])\s*(\w*)$/;

export function memberAccessBefore(text: string, offset: number): MemberAccess | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const match = CHAIN.exec(text.slice(lineStart, offset));
  if (!match) return undefined;
  // `a .. b` is concatenation, not member access.
  if (match[2] === '.' && text[lineStart + (match.index ?? 0) + match[0].indexOf('.') + 1] === '.') return undefined;
  return { chain: match[1].split('.').map((s) => s.trim()), indexer: match[2] as '.' | ':', partial: match[3] };
}

/** The type a name chain evaluates to at an offset (`ctxt.vserver` -> `ns.vserver`). */
export function chainType(analysis: DocumentAnalysis, chain: readonly string[], offset: number): string | undefined {
  const [first, ...rest] = chain;
  const local = analysis.scopes ? visibleSymbols(analysis.scopes, offset).find((s) => s.name === first) : undefined;
  let type = local ? local.type : globalType(first);
  for (const name of rest) {
    if (!type) return undefined;
    type = findMember(type, name)?.type;
  }
  return type;
}

/** The identifier under (or just before) the cursor, with its span and the member access leading to it. */
export function wordAt(text: string, offset: number): { word: string; start: number; end: number; access?: MemberAccess } | undefined {
  let start = offset;
  let end = offset;
  while (start > 0 && /\w/.test(text[start - 1])) start--;
  while (end < text.length && /\w/.test(text[end])) end++;
  if (start === end || /^\d/.test(text.slice(start, end))) return undefined;
  const access = memberAccessBefore(text, start);
  return { word: text.slice(start, end), start, end, access };
}

/** Whether the offset is inside a comment or a string (no completion or signature help there). */
export function inCommentOrString(analysis: DocumentAnalysis, offset: number): boolean {
  for (const comment of analysis.comments) {
    const [start, end] = (comment as unknown as { range: [number, number] }).range;
    if (offset > start && offset <= end) return true;
  }
  const lineStart = analysis.text.lastIndexOf('\n', offset - 1) + 1;
  const before = analysis.text.slice(lineStart, offset);
  const stripped = before.replace(/"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'/g, '');
  return /["']/.test(stripped) || /--/.test(stripped);
}
