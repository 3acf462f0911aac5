// Emits the ns API catalog as a LuaLS (sumneko) `---@meta` definition file, so any Lua editor gets completion and types for it.
import { API_CLASSES, API_MEMBERS, FORBIDDEN_GLOBALS, type ApiMember, type ApiParam } from './catalog';

/** Lua global tables of the API: members are declared on them directly. */
const GLOBAL_TABLES = new Set(['ns', 'client', 'server']);

/** The local that carries a class's methods in the meta file (`ns.tcp.client_context` -> `ns_tcp_client_context`). */
export function classVariable(className: string): string {
  return GLOBAL_TABLES.has(className) ? className : className.replace(/\./g, '_');
}

function comment(text: string): string {
  return text.split('\n').map((line) => `---${line}`).join('\n');
}

function paramType(param: ApiParam): string {
  return param.oneOf ? param.oneOf.map((v) => `"${v}"`).join('|') : param.type;
}

function memberName(member: ApiMember): string {
  return member.path.split(/[.:]/).pop() ?? member.path;
}

function functionBlock(member: ApiMember): string {
  const params = member.params ?? [];
  const lines = [comment(member.doc)];
  if (!member.emulated) lines.push('---(Not emulated by the local runtime.)');
  for (const p of params) lines.push(`---@param ${p.name}${p.optional && p.name !== '...' ? '?' : ''} ${paramType(p)} ${p.doc}`);
  for (const r of member.returns ?? []) lines.push(`---@return ${r.type} # ${r.doc}`);
  const separator = member.kind === 'method' ? ':' : '.';
  lines.push(`function ${classVariable(member.owner)}${separator}${memberName(member)}(${params.map((p) => p.name).join(', ')}) end`);
  return lines.join('\n');
}

function classBlock(name: string, doc: string): string {
  const fields = API_MEMBERS.filter((m) => m.owner === name && m.kind === 'field');
  const lines = [comment(doc), `---@class ${name}`];
  for (const f of fields) lines.push(`---@field ${memberName(f)} ${f.type ?? 'any'} ${f.doc}`);
  const variable = classVariable(name);
  lines.push(GLOBAL_TABLES.has(name) ? `${variable} = {}` : `local ${variable} = {}`);
  const functions = API_MEMBERS.filter((m) => m.owner === name && m.kind !== 'field');
  return [lines.join('\n'), ...functions.map(functionBlock)].join('\n\n');
}

export function generateLuaMeta(): string {
  const forbidden = Object.entries(FORBIDDEN_GLOBALS).map(([name, reason]) => `--   ${name}: ${reason}`);
  return [
    '---@meta protoext',
    '-- Protocol extension API (Citrix ADC style, Lua 5.2), generated from runtime/ns/catalog.ts by `protoext-lb meta`. Do not edit.',
    '-- Not available in a protocol extension (the sandbox removes them):',
    ...forbidden,
    '',
    ...API_CLASSES.map((c) => classBlock(c.name, c.doc) + '\n'),
  ].join('\n');
}
