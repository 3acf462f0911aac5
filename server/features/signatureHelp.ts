// Signature help for ns.send / ns.pipe / ctxt:hold / stream methods / std-lib functions, found by scanning back to the open parenthesis.
import { MarkupKind, type SignatureHelp, type SignatureInformation } from 'vscode-languageserver/node';
import type { DocumentAnalysis } from '../analysis/analyze';
import { findMember, signatureLabel } from '../analysis/apiModel';
import { LIB_PREFIX } from '../analysis/apiTypes';
import { STD_GLOBALS, STD_LIBRARIES, stdSignature, type StdFunction } from '../stdlib';
import { chainType, inCommentOrString } from './context';

const SCAN_LIMIT = 4000;

/** Offset of the unclosed `(` around the cursor and how many top-level commas precede the cursor. */
function openCall(text: string, offset: number): { paren: number; commas: number } | undefined {
  let depth = 0;
  let commas = 0;
  let quote: string | undefined;
  for (let i = offset - 1; i >= Math.max(0, offset - SCAN_LIMIT); i--) {
    const c = text[i];
    if (quote) {
      if (c === quote && text[i - 1] !== '\\') quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === ')' || c === ']' || c === '}') depth++;
    else if (c === '(' || c === '[' || c === '{') {
      if (depth === 0) {
        if (c === '(') return { paren: i, commas };
        // Inside a table constructor argument: keep looking for the call, commas in the table do not count.
        commas = 0;
        continue;
      }
      depth--;
    } else if (c === ',' && depth === 0) commas++;
  }
  return undefined;
}

/** Parameter labels as [start, end] offsets into the signature label: a plain `s` would match inside `string`. */
function parameterOffsets(label: string, params: readonly string[]): [number, number][] {
  let at = label.indexOf('(') + 1;
  return params.map((p) => {
    const start = label.indexOf(p, at);
    at = start + p.length;
    return [start, at];
  });
}

function stdInfo(qualified: string, fn: StdFunction): SignatureInformation {
  const label = stdSignature(qualified, fn);
  return {
    label,
    documentation: { kind: MarkupKind.Markdown, value: fn.doc },
    parameters: parameterOffsets(label, fn.params).map((offsets) => ({ label: offsets })),
  };
}

export function signatureHelpAt(analysis: DocumentAnalysis, offset: number): SignatureHelp | null {
  if (inCommentOrString(analysis, offset)) return null;
  const call = openCall(analysis.text, offset);
  if (!call) return null;
  const calleeMatch = /([A-Za-z_]\w*(?:\s*[.:]\s*[A-Za-z_]\w*)*)\s*$/.exec(analysis.text.slice(Math.max(0, call.paren - 200), call.paren));
  if (!calleeMatch) return null;
  const callee = calleeMatch[1].replace(/\s+/g, '');
  const split = Math.max(callee.lastIndexOf('.'), callee.lastIndexOf(':'));
  let info: SignatureInformation | undefined;
  if (split < 0) {
    const fn = STD_GLOBALS[callee];
    if (fn && !fn.value) info = stdInfo(callee, fn);
  } else {
    const chain = callee.slice(0, split).split('.');
    const type = chainType(analysis, chain, call.paren);
    const name = callee.slice(split + 1);
    if (type?.startsWith(LIB_PREFIX)) {
      const library = type.slice(LIB_PREFIX.length);
      const fn = STD_LIBRARIES[library]?.[name];
      if (fn && !fn.value) info = stdInfo(`${library}.${name}`, fn);
    } else if (type) {
      const member = findMember(type, name);
      if (member?.params) {
        const label = signatureLabel(member);
        const offsets = parameterOffsets(label, member.params.map((p) => `${p.name}${p.optional ? '?' : ''}: ${p.type}`));
        info = {
          label,
          documentation: { kind: MarkupKind.Markdown, value: member.doc },
          parameters: member.params.map((p, i) => ({
            label: offsets[i],
            documentation: { kind: MarkupKind.Markdown, value: p.doc + (p.oneOf ? ` One of ${p.oneOf.map((v) => `"${v}"`).join(', ')}.` : '') },
          })),
        };
      }
    }
  }
  if (!info) return null;
  const last = (info.parameters?.length ?? 1) - 1;
  const lastLabel = info.parameters?.[last]?.label;
  const variadic = Array.isArray(lastLabel) && info.label.slice(lastLabel[0], lastLabel[1]) === '...';
  const active = variadic ? Math.min(call.commas, last) : call.commas;
  return { signatures: [info], activeSignature: 0, activeParameter: active };
}
