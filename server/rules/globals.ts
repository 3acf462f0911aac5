// Global-name checks: forbidden libraries/globals, Lua 5.3+ globals, assignments to undeclared globals (typo of a local?), undefined reads.
import { FORBIDDEN_GLOBALS, LUA54_TRAPS } from '../../runtime/ns/catalog';
import type { DocumentAnalysis } from '../analysis/analyze';
import { API_GLOBAL_TYPES } from '../analysis/apiModel';
import { visibleSymbols, type GlobalUse } from '../analysis/scopes';
import { STD_GLOBALS, STD_LIBRARIES } from '../stdlib';
import { closestName, type Finding, type Fix } from './finding';

export const KNOWN_GLOBALS: ReadonlySet<string> = new Set([...Object.keys(STD_GLOBALS), ...Object.keys(STD_LIBRARIES), ...Object.keys(API_GLOBAL_TYPES)]);

function startsStatementLine(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return text.slice(lineStart, offset).trim() === '';
}

function assignmentFinding(analysis: DocumentAnalysis, use: GlobalUse, firstWrite: boolean): Finding {
  const locals = visibleSymbols(analysis.scopes!, use.span[0]).map((s) => s.name);
  const suggestion = closestName(use.name, locals);
  const fixes: Fix[] = [];
  if (suggestion) fixes.push({ title: `Change to the local '${suggestion}'`, changes: [{ span: use.span, newText: suggestion }], preferred: true });
  if (firstWrite && startsStatementLine(analysis.text, use.span[0])) {
    fixes.push({ title: `Add 'local' (declare '${use.name}' here)`, changes: [{ span: [use.span[0], use.span[0]], newText: 'local ' }], preferred: !suggestion });
  }
  return {
    code: 'protoext.global-assignment',
    message: `Assignment to undeclared global '${use.name}'${suggestion ? ` (a typo of the local '${suggestion}'?)` : ''}: globals are shared by every connection of the packet engine. Declare it with 'local'.`,
    span: use.span,
    severity: 'warning',
    fixes,
  };
}

export function globalFindings(analysis: DocumentAnalysis): Finding[] {
  const scopes = analysis.scopes;
  if (!scopes) return [];
  const findings: Finding[] = [];
  const written = new Set(scopes.globals.filter((g) => g.write).map((g) => g.name));
  const warnedWrites = new Set<string>();
  const utf8Trap = LUA54_TRAPS.find((t) => t.construct === 'utf8');
  for (const use of scopes.globals) {
    const forbidden = FORBIDDEN_GLOBALS[use.name];
    if (forbidden) {
      findings.push({ code: 'protoext.forbidden-global', message: `'${use.name}' is not available: ${forbidden}.`, span: use.span, severity: 'error' });
    } else if (use.name === 'utf8' && utf8Trap && !written.has('utf8')) {
      findings.push({ code: 'protoext.lua54-trap', message: utf8Trap.message, span: use.span, severity: 'error' });
    } else if (use.write && use.plainAssignment && !KNOWN_GLOBALS.has(use.name)) {
      findings.push(assignmentFinding(analysis, use, !warnedWrites.has(use.name)));
      warnedWrites.add(use.name);
    } else if (!use.write && !KNOWN_GLOBALS.has(use.name) && !written.has(use.name)) {
      const candidates = [...visibleSymbols(scopes, use.span[0]).map((s) => s.name), ...KNOWN_GLOBALS];
      const suggestion = closestName(use.name, candidates);
      findings.push({
        code: 'protoext.undefined-global',
        message: `'${use.name}' is not defined (a global nothing assigns; it is nil).${suggestion ? ` Did you mean '${suggestion}'?` : ''}`,
        span: use.span,
        severity: 'warning',
        fixes: suggestion ? [{ title: `Change to '${suggestion}'`, changes: [{ span: use.span, newText: suggestion }], preferred: true }] : undefined,
      });
    }
  }
  return findings;
}
