// Member checks: unknown ns/ctxt/payload/stream members, `.` vs `:` misuse, std-lib members missing from Lua 5.2, forbidden ones.
import type * as lua from 'luaparse';
import { FORBIDDEN_LIBRARY_MEMBERS, LUA54_TRAPS } from '../../runtime/ns/catalog';
import type { DocumentAnalysis } from '../analysis/analyze';
import { findMember, hasKnownMembers, memberName, membersOfType } from '../analysis/apiModel';
import { inferType, LIB_PREFIX } from '../analysis/apiTypes';
import { isCall, spanOf } from '../analysis/ast';
import { STD_LIBRARIES } from '../stdlib';
import { closestName, type Finding } from './finding';

/** Lua 5.3+ names that map onto a catalog trap entry. */
const TRAP_ALIASES: Readonly<Record<string, string>> = { 'string.unpack': 'string.pack', 'string.packsize': 'string.pack' };

function typeLabel(type: string): string {
  return type.startsWith(LIB_PREFIX) ? `the ${type.slice(LIB_PREFIX.length)} library` : type;
}

function libraryFinding(library: string, node: lua.MemberExpression): Finding | undefined {
  const name = node.identifier.name;
  const qualified = `${library}.${name}`;
  const span = spanOf(node.identifier);
  const forbidden = FORBIDDEN_LIBRARY_MEMBERS[qualified];
  if (forbidden) return { code: 'protoext.forbidden', message: `${qualified} is not available: ${forbidden}.`, span, severity: 'error' };
  if (STD_LIBRARIES[library][name]) return undefined;
  const trap = LUA54_TRAPS.find((t) => t.construct === (TRAP_ALIASES[qualified] ?? qualified));
  if (trap) return { code: 'protoext.lua54-trap', message: trap.message, span, severity: 'error' };
  const suggestion = closestName(name, Object.keys(STD_LIBRARIES[library]));
  return {
    code: 'protoext.unknown-member',
    message: `${qualified} does not exist in Lua 5.2's ${library} library.${suggestion ? ` Did you mean ${library}.${suggestion}?` : ''}`,
    span,
    severity: 'error',
    fixes: suggestion ? [{ title: `Change to ${library}.${suggestion}`, changes: [{ span, newText: suggestion }], preferred: true }] : undefined,
  };
}

export function memberFindings(analysis: DocumentAnalysis): Finding[] {
  const { scopes } = analysis;
  if (!scopes) return [];
  const findings: Finding[] = [];
  const resolve = (id: lua.Identifier) => scopes.resolved.get(id);
  const callees = new Set<lua.Node>();
  for (const node of analysis.nodes) if (isCall(node)) callees.add(node.base);
  for (const node of analysis.nodes) {
    if (node.type !== 'MemberExpression') continue;
    const baseType = inferType(node.base, resolve);
    if (!baseType) continue;
    if (baseType.startsWith(LIB_PREFIX)) {
      const finding = libraryFinding(baseType.slice(LIB_PREFIX.length), node);
      if (finding) findings.push(finding);
      continue;
    }
    if (!hasKnownMembers(baseType)) continue;
    const name = node.identifier.name;
    const span = spanOf(node.identifier);
    const member = findMember(baseType, name);
    const baseText = analysis.text.slice(...spanOf(node.base));
    if (!member) {
      const suggestion = closestName(name, membersOfType(baseType).map(memberName));
      findings.push({
        code: 'protoext.unknown-member',
        message: `\`${baseText}\` (${typeLabel(baseType)}) has no member '${name}'.${suggestion ? ` Did you mean '${suggestion}'?` : ''}`,
        span,
        severity: 'error',
        fixes: suggestion ? [{ title: `Change to '${suggestion}'`, changes: [{ span, newText: suggestion }], preferred: true }] : undefined,
      });
      continue;
    }
    const indexerAt = analysis.text.indexOf(node.indexer, spanOf(node.base)[1]);
    const indexerSpan = [indexerAt, indexerAt + 1] as const;
    if (member.kind === 'method' && node.indexer === '.' && callees.has(node)) {
      findings.push({
        code: 'protoext.method-call',
        message: `${member.path} is a method: call it with ':' (\`${baseText}:${name}(...)\`), otherwise its first argument becomes self.`,
        span,
        severity: 'error',
        fixes: [{ title: `Call with ':'`, changes: [{ span: indexerSpan, newText: ':' }], preferred: true }],
      });
    } else if (member.kind !== 'method' && node.indexer === ':') {
      findings.push({
        code: 'protoext.method-call',
        message: `${member.path} is not a method: call it with '.' (\`${baseText}.${name}(...)\`), otherwise \`${baseText}\` is passed as its first argument.`,
        span,
        severity: 'error',
        fixes: [{ title: `Call with '.'`, changes: [{ span: indexerSpan, newText: '.' }], preferred: true }],
      });
    }
  }
  return findings;
}
