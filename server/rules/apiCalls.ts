// Call checks: arity and argument kinds of ns.send / ns.pipe / ctxt:hold / stream methods / std-lib functions, event names, send options.
import type * as lua from 'luaparse';
import type { ApiMember, ApiParam } from '../../runtime/ns/catalog';
import type { DocumentAnalysis } from '../analysis/analyze';
import { findMember, memberName, membersOfType } from '../analysis/apiModel';
import { inferType, LIB_PREFIX, typeAccepts } from '../analysis/apiTypes';
import { callArguments, isCall, spanOf, type AnyCall } from '../analysis/ast';
import { STD_LIBRARIES, STD_GLOBALS, type StdFunction } from '../stdlib';
import { closestName, type Finding } from './finding';

interface Arity {
  min: number;
  max: number;
}

const OPEN_ENDED = (e: lua.Expression | undefined) => e !== undefined && (isCall(e) || e.type === 'VarargLiteral');

function apiArity(member: ApiMember): Arity {
  const params = member.params ?? [];
  // A `...` parameter (ns.logger's format values) takes any number of arguments.
  return { min: params.filter((p) => !p.optional).length, max: params.some((p) => p.name === '...') ? Infinity : params.length };
}

function stdArity(fn: StdFunction): Arity {
  const variadic = fn.params.includes('...');
  const fixed = fn.params.filter((p) => p !== '...');
  return { min: fixed.filter((p) => !p.endsWith('?')).length, max: variadic ? Infinity : fixed.length };
}

function arityFinding(name: string, arity: Arity, call: AnyCall): Finding | undefined {
  const args = callArguments(call);
  const count = args.length;
  const tooFew = count < arity.min && !OPEN_ENDED(args[count - 1]);
  const tooMany = count > arity.max;
  if (!tooFew && !tooMany) return undefined;
  const expected = arity.min === arity.max ? `${arity.min}` : arity.max === Infinity ? `at least ${arity.min}` : `${arity.min} to ${arity.max}`;
  const span = tooMany ? ([spanOf(args[arity.max])[0], spanOf(args[count - 1])[1]] as const) : spanOf(call);
  return { code: 'protoext.arity', message: `${name} expects ${expected} argument${expected === '1' ? '' : 's'}, got ${count}.`, span, severity: 'error' };
}

function literalKind(arg: lua.Expression): string | undefined {
  switch (arg.type) {
    case 'StringLiteral': return 'string';
    case 'NumericLiteral': return 'number';
    case 'BooleanLiteral': return 'boolean';
    case 'NilLiteral': return 'nil';
    case 'TableConstructorExpression': return 'table';
    case 'FunctionDeclaration': return 'function';
    default: return undefined;
  }
}

function eventFinding(member: ApiMember, param: ApiParam, arg: lua.Expression): Finding | undefined {
  if (!param.oneOf || arg.type !== 'StringLiteral') return undefined;
  const value = arg.raw.slice(1, -1);
  if (param.oneOf.includes(value)) return undefined;
  const span = spanOf(arg);
  const close = param.oneOf.find((v) => v.toLowerCase() === value.toLowerCase()) ?? closestName(value, param.oneOf);
  return {
    code: 'protoext.bad-event',
    message: `${member.path}: the ${param.name} must be ${param.oneOf.map((v) => `"${v}"`).join(' or ')}, not "${value}".`,
    span,
    severity: 'error',
    fixes: param.oneOf.map((v) => ({ title: `Change to "${v}"`, changes: [{ span, newText: `"${v}"` }], preferred: v === close })),
  };
}

function optionFindings(param: ApiParam, arg: lua.Expression): Finding[] {
  if (param.type !== 'ns.send_options' || arg.type !== 'TableConstructorExpression') return [];
  const known = membersOfType('ns.send_options').map(memberName);
  const findings: Finding[] = [];
  for (const field of arg.fields) {
    if (field.type !== 'TableKeyString' || known.includes(field.key.name)) continue;
    const span = spanOf(field.key);
    const suggestion = closestName(field.key.name, known);
    findings.push({
      code: 'protoext.unknown-option',
      message: `ns.send ignores '${field.key.name}': the options are ${known.join(', ')}.${suggestion ? ` Did you mean '${suggestion}'?` : ''}`,
      span,
      severity: 'warning',
      fixes: suggestion ? [{ title: `Change to '${suggestion}'`, changes: [{ span, newText: suggestion }], preferred: true }] : undefined,
    });
  }
  return findings;
}

function argumentFindings(member: ApiMember, call: AnyCall, resolve: (id: lua.Identifier) => { type?: string } | undefined, text: string): Finding[] {
  const findings: Finding[] = [];
  callArguments(call).forEach((arg, i) => {
    const param = member.params?.[i];
    if (!param) return;
    const event = eventFinding(member, param, arg);
    if (event) findings.push(event);
    findings.push(...optionFindings(param, arg));
    if (event || param.oneOf) return;
    const actual = literalKind(arg) ?? inferType(arg, resolve);
    if (param.optional && actual === 'nil') return;
    if (!typeAccepts(param.type, actual)) {
      findings.push({
        code: 'protoext.argument-type',
        message: `${member.path}: argument ${i + 1} (${param.name}) should be ${param.type}, but \`${text.slice(...spanOf(arg))}\` is ${actual}. ${param.doc}`,
        span: spanOf(arg),
        severity: 'error',
      });
    }
  });
  return findings;
}

export function callFindings(analysis: DocumentAnalysis): Finding[] {
  const { scopes } = analysis;
  if (!scopes) return [];
  const resolve = (id: lua.Identifier) => scopes.resolved.get(id);
  const findings: Finding[] = [];
  for (const node of analysis.nodes) {
    if (!isCall(node)) continue;
    const callee = node.base;
    if (callee.type === 'Identifier' && !resolve(callee)) {
      const fn = STD_GLOBALS[callee.name];
      const arity = fn && !fn.value ? arityFinding(callee.name, stdArity(fn), node) : undefined;
      if (arity) findings.push(arity);
      continue;
    }
    if (callee.type !== 'MemberExpression') continue;
    const baseType = inferType(callee.base, resolve);
    if (!baseType) continue;
    if (baseType.startsWith(LIB_PREFIX)) {
      const library = baseType.slice(LIB_PREFIX.length);
      const fn = STD_LIBRARIES[library]?.[callee.identifier.name];
      const arity = fn && !fn.value && callee.indexer === '.' ? arityFinding(`${library}.${callee.identifier.name}`, stdArity(fn), node) : undefined;
      if (arity) findings.push(arity);
      continue;
    }
    const member = findMember(baseType, callee.identifier.name);
    if (!member || member.kind === 'field' || (member.kind === 'method') !== (callee.indexer === ':')) continue;
    const arity = arityFinding(member.path, apiArity(member), node);
    if (arity) findings.push(arity);
    findings.push(...argumentFindings(member, node, resolve, analysis.text));
  }
  return findings;
}
