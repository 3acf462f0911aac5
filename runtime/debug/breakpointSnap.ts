// Moves requested breakpoint lines to the next line that has code (Lua's active lines), or reports why it cannot.
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { BreakpointSpec } from './workerProtocol';

export interface SnappedBreakpoint {
  requested: number;
  /** null: no code at or after the line in this file. */
  spec: BreakpointSpec | null;
  message?: string;
}

export function snapBreakpoints(wanted: readonly DebugProtocol.SourceBreakpoint[], activeLines: readonly number[]): SnappedBreakpoint[] {
  return wanted.map((w) => {
    const line = activeLines.find((l) => l >= w.line);
    if (line === undefined) return { requested: w.line, spec: null, message: activeLines.length === 0 ? 'not the debugged program, or it did not compile' : 'no code at or after this line' };
    const spec: BreakpointSpec = { line };
    if (w.condition) spec.condition = w.condition;
    if (w.hitCondition) spec.hitCondition = w.hitCondition;
    if (w.logMessage !== undefined) spec.logMessage = w.logMessage;
    return { requested: w.line, spec, ...(line !== w.line ? { message: `moved from line ${w.line} to the next line with code` } : {}) };
  });
}
