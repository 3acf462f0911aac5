// Infers the value type of an expression (ns API types from the catalog, std-lib tables, Lua literals) without running it.
import type * as lua from 'luaparse';
import { STD_LIBRARIES } from '../stdlib';
import { API_GLOBAL_TYPES, findMember } from './apiModel';

/** `lib:string` for the string library table, etc. */
export const LIB_PREFIX = 'lib:';

export interface TypedSymbol {
  type?: string;
}

export function globalType(name: string): string | undefined {
  if (API_GLOBAL_TYPES[name]) return API_GLOBAL_TYPES[name];
  if (STD_LIBRARIES[name]) return LIB_PREFIX + name;
  return undefined;
}

export function inferType(expr: lua.Expression, resolve: (id: lua.Identifier) => TypedSymbol | undefined): string | undefined {
  switch (expr.type) {
    case 'Identifier': {
      const symbol = resolve(expr);
      return symbol ? symbol.type : globalType(expr.name);
    }
    case 'MemberExpression': {
      if (expr.indexer !== '.') return undefined;
      const base = inferType(expr.base, resolve);
      return base ? findMember(base, expr.identifier.name)?.type : undefined;
    }
    case 'CallExpression':
    case 'StringCallExpression':
    case 'TableCallExpression': {
      const callee = expr.base;
      if (callee.type !== 'MemberExpression') return undefined;
      const base = inferType(callee.base, resolve);
      return base ? findMember(base, callee.identifier.name)?.returns?.[0]?.type : undefined;
    }
    case 'StringLiteral': return 'string';
    case 'NumericLiteral': return 'number';
    case 'BooleanLiteral': return 'boolean';
    case 'NilLiteral': return 'nil';
    case 'TableConstructorExpression': return 'table';
    case 'FunctionDeclaration': return 'function';
    case 'BinaryExpression': return expr.operator === '..' ? 'string' : ['==', '~=', '<', '<=', '>', '>='].includes(expr.operator) ? 'boolean' : 'number';
    default: return undefined;
  }
}

/** Whether a value of type `actual` can be passed where `expected` is wanted (unknown types always can). */
export function typeAccepts(expected: string, actual: string | undefined): boolean {
  if (actual === undefined || expected === 'any') return true;
  if (expected === actual) return true;
  if (expected === 'number' && actual === 'integer') return true;
  if (expected === 'integer' && actual === 'number') return true;
  // A stream is string-like: it can go wherever a string goes (ns.send data) and vice versa.
  if ((expected === 'ns.tcp.stream' && actual === 'string') || (expected === 'string' && actual === 'ns.tcp.stream')) return true;
  if (expected === 'ns.send_options' && actual === 'table') return true;
  return false;
}
