// What one statement is, from the script's parse (luaparse, once per load): the unit breakpoints bind to and stepping moves by.
//
// Lua's line hook fires per line, and a call spanning lines fires its first line again for the CALL itself
// (`ns.send(...,\n {...})` reports 93, 94, 95, 93). Stepping by statement instead of by line means: a
// breakpoint on any line of a statement stops once per execution of it, and Step Over leaves it.
import * as luaparse from 'luaparse';

/** Plain data (it crosses from the VM worker to the session by structured clone). */
export interface StatementTable {
  /** owner[line]: index of the unit that owns the line (the innermost statement part containing it), -1 for none. */
  owner: number[];
  /** Per unit: the first line with code it owns (where a breakpoint on it binds); 0: no code; CONTAINER: a compound statement's frame. */
  bindLine: number[];
  activeLines: number[];
}

/** A script that did not load: no statements, nowhere to bind. */
export const NO_STATEMENTS: StatementTable = { owner: [], bindLine: [], activeLines: [] };

/** The frame of a compound statement (a while's `end`, an if's `else`): its line events never start a statement. */
const CONTAINER = -1;

interface Loc { start: { line: number }; end: { line: number } }
interface AstNode { type: string; loc?: Loc; [key: string]: unknown }

function isNode(v: unknown): v is AstNode {
  return typeof v === 'object' && v !== null && typeof (v as AstNode).type === 'string';
}

const first = (n: AstNode): number => n.loc?.start.line ?? 0;
const last = (n: AstNode): number => n.loc?.end.line ?? 0;

/** Units in pre-order (a part is listed after what contains it), so the last unit containing a line is the innermost. */
class UnitCollector {
  readonly units: { from: number; to: number; container: boolean }[] = [];

  private add(from: number, to: number, container = false): void {
    this.units.push({ from, to, container });
  }

  block(body: unknown): void {
    if (Array.isArray(body)) for (const s of body) if (isNode(s)) this.statement(s);
  }

  private statement(s: AstNode): void {
    switch (s.type) {
      case 'IfStatement':
        this.add(first(s), last(s), true);
        for (const clause of (s.clauses as AstNode[])) {
          const condition = clause.condition as AstNode | undefined;
          if (condition) {
            this.add(first(clause), last(condition));
            this.expressions(condition);
          }
          this.block(clause.body);
        }
        return;
      case 'WhileStatement':
        this.add(first(s), last(s), true);
        this.add(first(s), last(s.condition as AstNode));
        this.expressions(s.condition);
        this.block(s.body);
        return;
      case 'RepeatStatement':
        this.add(first(s), last(s), true);
        this.block(s.body);
        // `until cond` is the loop's test and its jump back: a statement of its own.
        this.add(first(s.condition as AstNode), last(s));
        this.expressions(s.condition);
        return;
      case 'ForNumericStatement':
      case 'ForGenericStatement': {
        const head = s.type === 'ForNumericStatement'
          ? [s.start, s.end, s.step].filter(isNode)
          : (s.iterators as AstNode[]);
        this.add(first(s), last(s), true);
        this.add(first(s), Math.max(first(s), ...head.map(last)));
        for (const e of head) this.expressions(e);
        this.block(s.body);
        return;
      }
      case 'DoStatement':
        this.add(first(s), last(s), true);
        this.block(s.body);
        return;
      case 'FunctionDeclaration': {
        // The definition runs on its first line(s); the body is the function's own statements.
        const params = (s.parameters as AstNode[]) ?? [];
        this.add(first(s), Math.max(first(s), ...params.map(last)));
        this.functionBody(s);
        return;
      }
      default:
        this.add(first(s), last(s));
        this.expressions(s);
    }
  }

  /** Function bodies nested in expressions (`client.on_data = function ... end`, callbacks passed to calls). */
  private expressions(node: unknown): void {
    if (Array.isArray(node)) { for (const n of node) this.expressions(n); return; }
    if (!isNode(node)) return;
    if (node.type === 'FunctionDeclaration') { this.functionBody(node); return; }
    for (const [key, value] of Object.entries(node)) if (key !== 'loc' && key !== 'range') this.expressions(value);
  }

  /** A function's `end` is its implicit return: a statement of the function (a Step Over from its last statement stops there). */
  private functionBody(fn: AstNode): void {
    this.block(fn.body);
    this.add(last(fn), last(fn));
  }
}

/** Parses the source; on a parse failure (luaparse disagreeing with Lua) every line is its own statement: line stepping. */
export function buildStatementTable(source: string, activeLines: readonly number[]): StatementTable {
  const lineCount = source.split('\n').length;
  const owner: number[] = new Array<number>(lineCount + 2).fill(-1);
  const bindLine: number[] = [];
  let chunk: AstNode;
  try {
    chunk = luaparse.parse(source, { luaVersion: '5.2', locations: true, comments: false, encodingMode: 'pseudo-latin1' }) as unknown as AstNode;
  } catch {
    return { owner, bindLine, activeLines: [...activeLines] };
  }
  const collector = new UnitCollector();
  collector.block(chunk.body);
  collector.units.forEach((u, i) => {
    for (let line = u.from; line <= u.to && line < owner.length; line++) owner[line] = i;
  });
  const active = new Set(activeLines);
  collector.units.forEach((u, i) => {
    if (u.container) { bindLine[i] = CONTAINER; return; }
    let line = 0;
    for (let l = u.from; l <= u.to && line === 0; l++) if (owner[l] === i && active.has(l)) line = l;
    bindLine[i] = line;
  });
  return { owner, bindLine, activeLines: [...activeLines] };
}

export class StatementMap {
  constructor(readonly table: StatementTable) {}

  /**
   * The statement a line event on `line` belongs to: one key for all lines of a statement, null for a compound
   * statement's frame (it never starts a statement). A line outside every parsed statement is a statement of its own.
   */
  statementAt(line: number): number | null {
    const unit = this.table.owner[line] ?? -1;
    if (unit < 0) return -line;
    return this.table.bindLine[unit] === CONTAINER ? null : unit;
  }

  /** The line breakpoints on statement `key` are kept at (its first line with code); `line` for a statement without one. */
  breakLineOf(key: number, line: number): number {
    if (key < 0) return -key;
    return this.table.bindLine[key] || line;
  }

  /** Where a breakpoint asked for on `line` binds: the start of the statement there, else of the next statement with code; null: none. */
  bind(line: number): number | null {
    for (const l of this.table.activeLines) {
      if (l < line) continue;
      const key = this.statementAt(l);
      if (key !== null) return this.breakLineOf(key, l);
    }
    return null;
  }
}
