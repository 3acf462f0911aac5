// Use of the held data after `ctxt:hold(data)` on the same path through the code: the runtime rejects it, so flag it before.
import type * as lua from 'luaparse';
import type { DocumentAnalysis } from '../analysis/analyze';
import { findMember } from '../analysis/apiModel';
import { inferType } from '../analysis/apiTypes';
import { nodesAt, spanOf, walk } from '../analysis/ast';
import type { LuaSymbol } from '../analysis/scopes';
import type { Finding } from './finding';

type HeldValue = { symbol: LuaSymbol } | { base: LuaSymbol; field: string };

const FLOW_ENDS = new Set(['ReturnStatement', 'GotoStatement', 'BreakStatement']);
const LOOPS = new Set(['WhileStatement', 'RepeatStatement', 'ForNumericStatement', 'ForGenericStatement']);

function bodyOf(node: lua.Node): lua.Statement[] | undefined {
  return 'body' in node && Array.isArray(node.body) ? (node.body as lua.Statement[]) : undefined;
}

export function holdThenUseFindings(analysis: DocumentAnalysis): Finding[] {
  const { chunk, scopes } = analysis;
  if (!chunk || !scopes) return [];
  const root: lua.Chunk = chunk;
  const resolve = (id: lua.Identifier) => scopes.resolved.get(id);
  const findings: Finding[] = [];

  const heldOf = (arg: lua.Expression | undefined): HeldValue | undefined => {
    if (arg?.type === 'Identifier') {
      const symbol = resolve(arg);
      return symbol ? { symbol } : undefined;
    }
    if (arg?.type === 'MemberExpression' && arg.base.type === 'Identifier') {
      const base = resolve(arg.base);
      return base ? { base, field: arg.identifier.name } : undefined;
    }
    return undefined;
  };

  /** Reads of the held value: assigning to its variable (`data = nil`) is not a use, as on the ADC. */
  const usesIn = (statement: lua.Node, held: HeldValue): { spans: lua.Node[]; reassigned: boolean } => {
    const spans: lua.Node[] = [];
    const targets = new Set<lua.Node>();
    let reassigned = false;
    walk(statement, (node) => {
      if (node.type === 'AssignmentStatement') for (const v of node.variables) if (v.type === 'Identifier') targets.add(v);
      if ('symbol' in held && node.type === 'Identifier' && !targets.has(node) && resolve(node) === held.symbol) spans.push(node);
      if ('base' in held && node.type === 'MemberExpression' && node.identifier.name === held.field && node.base.type === 'Identifier' && resolve(node.base) === held.base) spans.push(node);
    });
    if (statement.type === 'AssignmentStatement' && 'symbol' in held) {
      reassigned = statement.variables.some((v) => v.type === 'Identifier' && resolve(v) === held.symbol);
    }
    return { spans, reassigned };
  };

  /** Walks the statements that run after the hold on the same path, up to a return/goto/break or the end of the function. */
  function usesAfter(node: lua.CallStatement, held: HeldValue): Finding[] {
    const out: Finding[] = [];
    const arg = (node.expression as lua.CallExpression).arguments[0];
    const heldText = analysis.text.slice(...spanOf(arg));

    const path = nodesAt(root, spanOf(node)[0]);
    let statement: lua.Node = node;
    for (let depth = path.indexOf(node) - 1; depth >= 0; depth--) {
      const container = path[depth];
      const body = bodyOf(container);
      if (!body || !body.includes(statement as lua.Statement)) continue;
      for (const next of body.slice(body.indexOf(statement as lua.Statement) + 1)) {
        const { spans, reassigned } = usesIn(next, held);
        // The first use is enough: every later one is the same mistake.
        for (const use of spans.slice(0, 1)) {
          out.push({
            code: 'protoext.use-after-hold',
            message: `\`${heldText}\` is used after \`ctxt:hold(${heldText})\` on line ${analysis.text.slice(0, spanOf(node)[0]).split('\n').length}: held data is no longer usable (on_data is called again with it plus the new bytes). Return (or goto the end) right after hold.`,
            span: spanOf(use),
            severity: 'error',
          });
        }
        if (spans.length > 0 || reassigned || FLOW_ENDS.has(next.type)) return out;
      }
      if (container.type === 'FunctionDeclaration' || container.type === 'Chunk' || LOOPS.has(container.type)) return out;
      // Leaving an if-clause or do-block: the flow continues after the enclosing statement.
      statement = container.type === 'IfClause' || container.type === 'ElseifClause' || container.type === 'ElseClause' ? path[depth - 1] : container;
      if (statement !== container) depth--;
    }
    return out;
  }

  for (const node of analysis.nodes) {
    if (node.type !== 'CallStatement' || node.expression.type !== 'CallExpression') continue;
    const callee = node.expression.base;
    if (callee.type !== 'MemberExpression' || callee.indexer !== ':' || callee.identifier.name !== 'hold') continue;
    const ownerType = inferType(callee.base, resolve);
    if (!ownerType || findMember(ownerType, 'hold')?.path !== 'ctxt:hold') continue;
    const held = heldOf(node.expression.arguments[0]);
    if (!held) continue;
    findings.push(...usesAfter(node, held));
  }
  return findings;
}
