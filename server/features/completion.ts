// Completion: ns/ctxt/payload/stream members from the catalog, std-lib members, goto labels, locals in scope, keywords, snippets.
import { CompletionItemKind, MarkupKind, type CompletionItem } from 'vscode-languageserver/node';
import type { ApiMember } from '../../runtime/ns/catalog';
import type { DocumentAnalysis } from '../analysis/analyze';
import { API_GLOBAL_TYPES, classDoc, memberName, membersOfType, signatureLabel } from '../analysis/apiModel';
import { LIB_PREFIX } from '../analysis/apiTypes';
import { contains, spanOf } from '../analysis/ast';
import { visibleSymbols } from '../analysis/scopes';
import { STD_GLOBALS, STD_LIBRARIES, stdSignature } from '../stdlib';
import { chainType, inCommentOrString, memberAccessBefore } from './context';
import { signatureHelpAt } from './signatureHelp';
import { SNIPPETS } from './snippets';

export const LUA_KEYWORDS = [
  'and', 'break', 'do', 'else', 'elseif', 'end', 'false', 'for', 'function', 'goto', 'if', 'in',
  'local', 'nil', 'not', 'or', 'repeat', 'return', 'then', 'true', 'until', 'while',
] as const;

const markdown = (value: string) => ({ kind: MarkupKind.Markdown, value });

function apiItem(member: ApiMember): CompletionItem {
  const kind = member.kind === 'method' ? CompletionItemKind.Method
    : member.kind === 'field' ? CompletionItemKind.Field
      : member.kind === 'callback' ? CompletionItemKind.Event : CompletionItemKind.Function;
  return {
    label: memberName(member),
    kind,
    detail: member.kind === 'field' ? `${member.path}: ${member.type ?? 'any'}` : signatureLabel(member),
    documentation: markdown(member.doc),
  };
}

function memberItems(analysis: DocumentAnalysis, offset: number, chain: string[], indexer: '.' | ':'): CompletionItem[] {
  const type = chainType(analysis, chain, offset);
  if (!type) return [];
  if (type.startsWith(LIB_PREFIX)) {
    const library = type.slice(LIB_PREFIX.length);
    if (indexer === ':') return [];
    return Object.entries(STD_LIBRARIES[library] ?? {})
      .filter(([name]) => !(library === 'string' && name === 'dump'))
      .map(([name, fn]) => ({
        label: name,
        kind: fn.value ? CompletionItemKind.Constant : CompletionItemKind.Function,
        detail: stdSignature(`${library}.${name}`, fn),
        documentation: markdown(fn.doc),
      }));
  }
  return membersOfType(type)
    .filter((m) => (indexer === ':') === (m.kind === 'method'))
    .map(apiItem);
}

function labelItems(analysis: DocumentAnalysis, offset: number): CompletionItem[] {
  const scopes = analysis.scopes;
  if (!scopes) return [];
  // Labels of the innermost function (or chunk) around the cursor: a goto cannot leave its function.
  const innermost = scopes.functions
    .filter((f) => contains(spanOf(f.node), offset))
    .sort((a, b) => spanOf(b.node)[0] - spanOf(a.node)[0])[0]?.node;
  return scopes.symbols
    .filter((s) => s.kind === 'label' && (innermost ? s.owner === innermost : s.owner.type === 'Chunk'))
    .map((s) => ({ label: s.name, kind: CompletionItemKind.Reference, detail: `::${s.name}::` }));
}

function globalItems(analysis: DocumentAnalysis, offset: number): CompletionItem[] {
  const items: CompletionItem[] = [];
  const scopes = analysis.scopes;
  if (scopes) {
    for (const symbol of visibleSymbols(scopes, offset)) {
      items.push({
        label: symbol.name,
        kind: symbol.kind === 'localFunction' ? CompletionItemKind.Function : CompletionItemKind.Variable,
        detail: `${symbol.kind === 'parameter' ? 'parameter' : 'local'} ${symbol.name}${symbol.type ? `: ${symbol.type}` : ''}`,
        sortText: `0${symbol.name}`,
      });
    }
  }
  for (const name of Object.keys(API_GLOBAL_TYPES)) {
    items.push({ label: name, kind: CompletionItemKind.Module, detail: `${name} (protocol extension API)`, documentation: markdown(classDoc(name) ?? ''), sortText: `1${name}` });
  }
  for (const name of Object.keys(STD_LIBRARIES)) {
    items.push({ label: name, kind: CompletionItemKind.Module, detail: `${name} (Lua 5.2 library)`, sortText: `2${name}` });
  }
  for (const [name, fn] of Object.entries(STD_GLOBALS)) {
    items.push({ label: name, kind: fn.value ? CompletionItemKind.Constant : CompletionItemKind.Function, detail: stdSignature(name, fn), documentation: markdown(fn.doc), sortText: `2${name}` });
  }
  for (const keyword of LUA_KEYWORDS) items.push({ label: keyword, kind: CompletionItemKind.Keyword, sortText: `3${keyword}` });
  items.push(...SNIPPETS.map((s) => ({ ...s, sortText: `4${s.label}` })));
  return items;
}

/** Keys of the `ns.send` options table, when the cursor is at a key position inside it. */
function sendOptionItems(analysis: DocumentAnalysis, offset: number): CompletionItem[] | undefined {
  if (!/[{,]\s*\w*$/.test(analysis.text.slice(Math.max(0, offset - 200), offset))) return undefined;
  const help = signatureHelpAt(analysis, offset);
  if (!help?.signatures[0].label.startsWith('ns.send(') || help.activeParameter !== 2) return undefined;
  return membersOfType('ns.send_options').map((m) => ({
    label: memberName(m),
    kind: CompletionItemKind.Property,
    detail: `${memberName(m)}: ${m.type ?? 'any'}`,
    documentation: markdown(m.doc),
    insertText: `${memberName(m)} = `,
  }));
}

/** `triggerCharacter` is set when typing `.`, `:` or a space triggered the request; a space only matters after `goto`. */
export function completionsAt(analysis: DocumentAnalysis, offset: number, triggerCharacter?: string): CompletionItem[] {
  if (inCommentOrString(analysis, offset)) return [];
  const lineStart = analysis.text.lastIndexOf('\n', offset - 1) + 1;
  const linePrefix = analysis.text.slice(lineStart, offset);
  if (/\bgoto\s+\w*$/.test(linePrefix)) return labelItems(analysis, offset);
  if (triggerCharacter === ' ') return [];
  const options = sendOptionItems(analysis, offset);
  if (options) return options;
  const access = memberAccessBefore(analysis.text, offset);
  if (access) return memberItems(analysis, offset, access.chain, access.indexer);
  return globalItems(analysis, offset);
}
