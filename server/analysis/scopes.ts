// Resolves every name in a Lua 5.2 chunk to its declaration (locals, parameters, labels) or to a global, with visibility ranges.
import type * as lua from 'luaparse';
import type { ApiMember } from '../../runtime/ns/catalog';
import { callbackByPath } from './apiModel';
import { dottedName, spanOf, type Span } from './ast';
import { inferType } from './apiTypes';

export type SymbolKind = 'local' | 'parameter' | 'localFunction' | 'forVariable' | 'label';

export interface LuaSymbol {
  name: string;
  kind: SymbolKind;
  declaration: Span;
  /** Offsets between which the name refers to this symbol (Lua: after the declaring statement, to the end of the block). */
  visibleFrom: number;
  visibleTo: number;
  /** Every use except the declaration itself. */
  references: Span[];
  writes: Span[];
  reads: number;
  /** Inferred value type: an ns API type, `lib:string`, or a Lua type name. */
  type?: string;
  /** The function (or chunk) the symbol lives in; labels are only visible to gotos of the same function. */
  owner: lua.Node;
}

export interface GlobalUse {
  name: string;
  span: Span;
  write: boolean;
  node: lua.Identifier;
  /** For writes: whether it is `name = ...` (a plain assignment statement), as opposed to `function name()`. */
  plainAssignment: boolean;
}

export interface GotoUse {
  name: string;
  span: Span;
  target?: LuaSymbol;
}

export interface FunctionInfo {
  node: lua.FunctionDeclaration;
  name?: string;
  callback?: ApiMember;
}

export interface ScopeModel {
  symbols: LuaSymbol[];
  globals: GlobalUse[];
  gotos: GotoUse[];
  functions: FunctionInfo[];
  /** Identifier node (use or declaration) -> its symbol. */
  resolved: Map<lua.Identifier, LuaSymbol>;
}

interface Scope {
  names: Map<string, LuaSymbol>;
  labels: Map<string, LuaSymbol>;
  parent?: Scope;
  owner: lua.Node;
}

export function resolveScopes(chunk: lua.Chunk): ScopeModel {
  const model: ScopeModel = { symbols: [], globals: [], gotos: [], functions: [], resolved: new Map() };
  const pendingGotos: { statement: lua.GotoStatement; scope: Scope }[] = [];

  const lookup = (scope: Scope | undefined, name: string, at: number): LuaSymbol | undefined => {
    for (let s = scope; s; s = s.parent) {
      const symbol = s.names.get(name);
      if (symbol && symbol.visibleFrom <= at) return symbol;
    }
    return undefined;
  };
  const typeOf = (expr: lua.Expression): string | undefined => inferType(expr, (id) => model.resolved.get(id));

  const declare = (scope: Scope, id: lua.Identifier, kind: SymbolKind, visibleFrom: number, visibleTo: number, type?: string): LuaSymbol => {
    const symbol: LuaSymbol = { name: id.name, kind, declaration: spanOf(id), visibleFrom, visibleTo, references: [], writes: [], reads: 0, type, owner: scope.owner };
    scope.names.set(id.name, symbol);
    model.symbols.push(symbol);
    model.resolved.set(id, symbol);
    return symbol;
  };

  const use = (scope: Scope, id: lua.Identifier, write: boolean, plainAssignment = false): void => {
    const span = spanOf(id);
    const symbol = lookup(scope, id.name, span[0]);
    if (!symbol) {
      model.globals.push({ name: id.name, span, write, node: id, plainAssignment });
      return;
    }
    model.resolved.set(id, symbol);
    symbol.references.push(span);
    if (write) symbol.writes.push(span);
    else symbol.reads++;
  };

  const expression = (scope: Scope, node: lua.Node): void => {
    switch (node.type) {
      case 'Identifier': use(scope, node, false); return;
      case 'FunctionDeclaration': func(scope, node, undefined); return;
      case 'MemberExpression': expression(scope, node.base); return;
      case 'TableKeyString': expression(scope, node.value); return;
      default:
        for (const child of Object.values(node)) {
          if (Array.isArray(child)) for (const c of child) { if (c && typeof c === 'object' && 'type' in c) expression(scope, c as lua.Node); }
          else if (child && typeof child === 'object' && 'type' in child) expression(scope, child as lua.Node);
        }
    }
  };

  const func = (scope: Scope, node: lua.FunctionDeclaration, name: string | undefined): void => {
    const callback = name ? callbackByPath(name) : undefined;
    model.functions.push({ node, name, callback });
    const inner: Scope = { names: new Map(), labels: new Map(), parent: scope, owner: node };
    const end = spanOf(node)[1];
    node.parameters.forEach((param, i) => {
      if (param.type === 'Identifier') declare(inner, param, 'parameter', spanOf(param)[1], end, callback?.params?.[i]?.type);
    });
    block(inner, node.body, end);
  };

  const assignTarget = (scope: Scope, target: lua.Expression, plain: boolean): void => {
    if (target.type === 'Identifier') use(scope, target, true, plain);
    else expression(scope, target);
  };

  const block = (scope: Scope, body: lua.Statement[], end: number): void => {
    for (const statement of body) {
      if (statement.type === 'LabelStatement') {
        const label = declare(scope, statement.label, 'label', spanOf(statement)[0], end);
        scope.names.delete(statement.label.name);
        scope.labels.set(statement.label.name, label);
      }
    }
    for (const statement of body) {
      const span = spanOf(statement);
      switch (statement.type) {
        case 'LocalStatement':
          statement.init.forEach((e) => expression(scope, e));
          statement.variables.forEach((v, i) => {
            const init = statement.init[i];
            declare(scope, v, 'local', span[1], end, init ? typeOf(init) : undefined);
          });
          break;
        case 'AssignmentStatement':
          statement.init.forEach((e) => expression(scope, e));
          statement.variables.forEach((v, i) => {
            assignTarget(scope, v, true);
            const init = statement.init[i];
            if (init?.type === 'FunctionDeclaration') model.functions.find((f) => f.node === init)!.name = dottedName(v);
          });
          for (const [i, v] of statement.variables.entries()) {
            const init = statement.init[i];
            const path = dottedName(v);
            if (init?.type === 'FunctionDeclaration' && path && callbackByPath(path)) retypeCallback(init, path);
          }
          break;
        case 'FunctionDeclaration': {
          const id = statement.identifier;
          const name = id ? dottedName(id) : undefined;
          if (statement.isLocal && id?.type === 'Identifier') declare(scope, id, 'localFunction', spanOf(id)[0], end, 'function');
          else if (id) assignTarget(scope, id, false);
          func(scope, statement, name);
          break;
        }
        case 'GotoStatement':
          pendingGotos.push({ statement, scope });
          break;
        case 'LabelStatement':
          break;
        case 'DoStatement':
          block(child(scope), statement.body, span[1]);
          break;
        case 'WhileStatement':
          expression(scope, statement.condition);
          block(child(scope), statement.body, span[1]);
          break;
        case 'RepeatStatement': {
          const inner = child(scope);
          block(inner, statement.body, span[1]);
          expression(inner, statement.condition);
          break;
        }
        case 'IfStatement':
          for (const clause of statement.clauses) {
            if (clause.type !== 'ElseClause') expression(scope, clause.condition);
            block(child(scope), clause.body, spanOf(clause)[1]);
          }
          break;
        case 'ForNumericStatement': {
          [statement.start, statement.end, statement.step].forEach((e) => e && expression(scope, e));
          const inner = child(scope);
          declare(inner, statement.variable, 'forVariable', spanOf(statement.variable)[1], span[1], 'number');
          block(inner, statement.body, span[1]);
          break;
        }
        case 'ForGenericStatement': {
          statement.iterators.forEach((e) => expression(scope, e));
          const inner = child(scope);
          for (const v of statement.variables) declare(inner, v, 'forVariable', spanOf(v)[1], span[1]);
          block(inner, statement.body, span[1]);
          break;
        }
        default:
          expression(scope, statement);
      }
    }
  };

  const child = (scope: Scope): Scope => ({ names: new Map(), labels: new Map(), parent: scope, owner: scope.owner });

  /** `client.on_data = function (ctxt, payload)`: parameters get the callback's types after the fact. */
  const retypeCallback = (node: lua.FunctionDeclaration, path: string): void => {
    const callback = callbackByPath(path);
    const info = model.functions.find((f) => f.node === node);
    if (info) info.callback = callback;
    node.parameters.forEach((param, i) => {
      const symbol = param.type === 'Identifier' ? model.resolved.get(param) : undefined;
      if (symbol && !symbol.type) symbol.type = callback?.params?.[i]?.type;
    });
  };

  const root: Scope = { names: new Map(), labels: new Map(), owner: chunk };
  block(root, chunk.body, spanOf(chunk)[1]);

  for (const { statement, scope } of pendingGotos) {
    let target: LuaSymbol | undefined;
    for (let s: Scope | undefined = scope; s && s.owner === scope.owner && !target; s = s.parent) target = s.labels.get(statement.label.name);
    const span = spanOf(statement.label);
    if (target) {
      target.references.push(span);
      target.reads++;
      model.resolved.set(statement.label, target);
    }
    model.gotos.push({ name: statement.label.name, span, target });
  }
  return model;
}

/** Symbols visible at an offset, innermost first, one per name. */
export function visibleSymbols(model: ScopeModel, offset: number): LuaSymbol[] {
  const seen = new Map<string, LuaSymbol>();
  const candidates = model.symbols
    .filter((s) => s.kind !== 'label' && s.visibleFrom <= offset && offset <= s.visibleTo)
    .sort((a, b) => b.visibleFrom - a.visibleFrom);
  for (const s of candidates) if (!seen.has(s.name)) seen.set(s.name, s);
  return [...seen.values()];
}
