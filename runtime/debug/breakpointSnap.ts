// Binds requested breakpoints to statements: a line of a statement binds to where it starts; a line without code to the next statement.
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { StatementMap } from './statementMap';
import type { BreakpointSpec } from './workerProtocol';

export interface SnappedBreakpoint {
  requested: number;
  /** null: no code at or after the line in this file. */
  spec: BreakpointSpec | null;
  message?: string;
}

/** `statements` null: the file is not the debugged program (or it did not compile). */
export function snapBreakpoints(wanted: readonly DebugProtocol.SourceBreakpoint[], statements: StatementMap | null): SnappedBreakpoint[] {
  return wanted.map((w) => {
    const line = statements?.bind(w.line) ?? null;
    if (line === null) return { requested: w.line, spec: null, message: statements === null || statements.table.activeLines.length === 0 ? 'not the debugged program, or it did not compile' : 'no code at or after this line' };
    const spec: BreakpointSpec = { line };
    if (w.condition) spec.condition = w.condition;
    if (w.hitCondition) spec.hitCondition = w.hitCondition;
    if (w.logMessage !== undefined) spec.logMessage = w.logMessage;
    const moved = line < w.line ? `moved from line ${w.line} to line ${line}, where its statement starts` : `moved from line ${w.line} to the next statement`;
    return { requested: w.line, spec, ...(line !== w.line ? { message: moved } : {}) };
  });
}
