// Hover: catalog docs for ns/ctxt/payload/stream members, std-lib docs, locals with their inferred type, forbidden globals.
import { MarkupKind, type Hover } from 'vscode-languageserver/node';
import { FORBIDDEN_GLOBALS, type ApiMember } from '../../runtime/ns/catalog';
import type { DocumentAnalysis } from '../analysis/analyze';
import { API_GLOBAL_TYPES, classDoc, findMember, signatureLabel } from '../analysis/apiModel';
import { LIB_PREFIX } from '../analysis/apiTypes';
import { visibleSymbols } from '../analysis/scopes';
import { STD_GLOBALS, STD_LIBRARIES, stdSignature, type StdFunction } from '../stdlib';
import { chainType, wordAt } from './context';
import { targetAt } from './navigation';

const fence = (code: string) => '```lua\n' + code + '\n```';

export function apiMarkdown(member: ApiMember): string {
  const head = member.kind === 'field' ? `(field) ${member.path}: ${member.type ?? 'any'}` : `(${member.kind}) ${signatureLabel(member)}`;
  const params = (member.params ?? []).map((p) => `- \`${p.name}\`${p.optional ? ' (optional)' : ''}: ${p.doc}${p.oneOf ? ` One of ${p.oneOf.map((v) => `\`"${v}"\``).join(', ')}.` : ''}`);
  const returns = (member.returns ?? []).map((r) => `- returns \`${r.type}\`: ${r.doc}`);
  const emulation = member.emulated ? [] : ['', '_Not emulated by the local runtime: calling it fails._'];
  return [fence(head), member.doc, ...(params.length || returns.length ? ['', ...params, ...returns] : []), ...emulation].join('\n');
}

function stdMarkdown(qualified: string, fn: StdFunction): string {
  return [fence(stdSignature(qualified, fn)), fn.doc, '', '_Lua 5.2 standard library_'].join('\n');
}

function typeMarkdown(type: string | undefined): string {
  if (!type) return '';
  if (type.startsWith(LIB_PREFIX)) return `The Lua 5.2 \`${type.slice(LIB_PREFIX.length)}\` library.`;
  return classDoc(type) ?? '';
}

export function hoverMarkdown(analysis: DocumentAnalysis, offset: number): { markdown: string; start: number; end: number } | undefined {
  const word = wordAt(analysis.text, offset);
  if (!word) return undefined;
  const { access } = word;
  const result = (markdown: string) => ({ markdown, start: word.start, end: word.end });
  if (access) {
    const baseType = chainType(analysis, access.chain, word.start);
    if (!baseType) return undefined;
    if (baseType.startsWith(LIB_PREFIX)) {
      const library = baseType.slice(LIB_PREFIX.length);
      const fn = STD_LIBRARIES[library]?.[word.word];
      return fn ? result(stdMarkdown(`${library}.${word.word}`, fn)) : undefined;
    }
    const member = findMember(baseType, word.word);
    return member ? result(apiMarkdown(member)) : undefined;
  }
  const target = targetAt(analysis, word.start);
  const symbol = target?.kind === 'symbol' && target.symbol.kind !== 'label' ? target.symbol
    : analysis.scopes ? visibleSymbols(analysis.scopes, word.start).find((s) => s.name === word.word) : undefined;
  if (symbol) {
    const label = symbol.kind === 'parameter' ? 'parameter' : symbol.kind === 'localFunction' ? 'local function' : 'local';
    return result([fence(`(${label}) ${symbol.name}${symbol.type ? `: ${symbol.type}` : ''}`), typeMarkdown(symbol.type)].join('\n'));
  }
  const label = analysis.scopes?.symbols.find((s) => s.kind === 'label' && s.name === word.word && [s.declaration, ...s.references].some((r) => r[0] <= offset && offset <= r[1]));
  if (label) return result(fence(`::${label.name}::`) + `\nLabel on line ${analysis.text.slice(0, label.declaration[0]).split('\n').length}, the target of ${label.references.length} goto${label.references.length === 1 ? '' : 's'}.`);
  if (API_GLOBAL_TYPES[word.word]) return result([fence(`(global) ${word.word}`), classDoc(word.word) ?? ''].join('\n'));
  if (STD_LIBRARIES[word.word]) return result([fence(`(library) ${word.word}`), `The Lua 5.2 \`${word.word}\` library.`].join('\n'));
  const std = STD_GLOBALS[word.word];
  if (std) return result(stdMarkdown(word.word, std));
  const forbidden = FORBIDDEN_GLOBALS[word.word];
  if (forbidden) return result(`${fence(`(global) ${word.word}`)}\nNot available in a protocol extension: ${forbidden}.`);
  return undefined;
}

export function hoverAt(analysis: DocumentAnalysis, offset: number, positionAt: (offset: number) => { line: number; character: number }): Hover | null {
  const found = hoverMarkdown(analysis, offset);
  if (!found) return null;
  return { contents: { kind: MarkupKind.Markdown, value: found.markdown }, range: { start: positionAt(found.start), end: positionAt(found.end) } };
}
