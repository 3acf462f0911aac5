// Typed access to luaparse nodes (ranges, children, positions) that the @types package leaves out.
import type * as lua from 'luaparse';

export type Span = readonly [number, number];
export type LuaNode = lua.Node & { range: [number, number] };
export type Identifier = lua.Identifier & { range: [number, number] };

export function spanOf(node: lua.Node): Span {
  return (node as LuaNode).range;
}

export function contains(span: Span, offset: number): boolean {
  return offset >= span[0] && offset <= span[1];
}

function isNode(value: unknown): value is lua.Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

const SKIPPED_KEYS = new Set(['loc', 'range', 'comments', 'globals', 'type', 'name', 'raw', 'value', 'operator', 'indexer', 'isLocal']);

/** Direct child nodes, in luaparse's key order (which follows the source). */
export function childrenOf(node: lua.Node): lua.Node[] {
  const out: lua.Node[] = [];
  const record = node as unknown as Record<string, unknown>;
  for (const key in record) {
    if (SKIPPED_KEYS.has(key)) {
      // `value` holds a child node on table fields, a literal's value elsewhere.
      if (key !== 'value' || !isNode(record[key])) continue;
    }
    const value = record[key];
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) out.push(item);
    } else if (isNode(value)) out.push(value);
  }
  return out;
}

/** Every node of the tree, parents before children. */
export function flatten(root: lua.Node): lua.Node[] {
  const out: lua.Node[] = [];
  const stack: lua.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    out.push(node);
    const children = childrenOf(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return out;
}

export function walk(node: lua.Node, visit: (node: lua.Node, parents: readonly lua.Node[]) => void, parents: lua.Node[] = []): void {
  visit(node, parents);
  parents.push(node);
  for (const child of childrenOf(node)) walk(child, visit, parents);
  parents.pop();
}

/** Innermost nodes containing offset, outermost first. */
export function nodesAt(root: lua.Node, offset: number): lua.Node[] {
  const path: lua.Node[] = [];
  let current: lua.Node | undefined = root;
  while (current) {
    path.push(current);
    current = childrenOf(current).find((child) => contains(spanOf(child), offset));
  }
  return path;
}

/** `a.b.c` / `a:b` as text, or undefined when the expression is not a plain name chain. */
export function dottedName(expr: lua.Expression): string | undefined {
  if (expr.type === 'Identifier') return expr.name;
  if (expr.type === 'MemberExpression') {
    const base = dottedName(expr.base);
    return base === undefined ? undefined : `${base}${expr.indexer}${expr.identifier.name}`;
  }
  return undefined;
}

export type AnyCall = lua.CallExpression | lua.StringCallExpression | lua.TableCallExpression;

export function callArguments(call: AnyCall): lua.Expression[] {
  if (call.type === 'CallExpression') return call.arguments;
  if (call.type === 'StringCallExpression') return [call.argument];
  return [call.arguments];
}

export function isCall(node: lua.Node): node is AnyCall {
  return node.type === 'CallExpression' || node.type === 'StringCallExpression' || node.type === 'TableCallExpression';
}
