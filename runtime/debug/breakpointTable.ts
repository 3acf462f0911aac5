// Breakpoints of the one debugged file by line: conditions, hit counts and logpoints, decided at each line event.
import type { BreakpointSpec, StopReason } from './workerProtocol';

export type StopDecision = { kind: 'stop'; reason: StopReason } | { kind: 'log'; message: string };

interface Entry {
  spec: BreakpointSpec;
  hits: number;
}

export class BreakpointTable {
  private byLine = new Map<number, Entry[]>();

  set(list: readonly BreakpointSpec[]): void {
    this.byLine = new Map();
    for (const spec of list) {
      const entries = this.byLine.get(spec.line) ?? [];
      entries.push({ spec, hits: 0 });
      this.byLine.set(spec.line, entries);
    }
  }

  has(line: number): boolean {
    return this.byLine.has(line);
  }

  /** `condition` evaluates a Lua expression in the current frame (true when it fails, so a broken condition is visible). */
  check(line: number, condition: (expr: string) => boolean): StopDecision | null {
    const entries = this.byLine.get(line);
    if (!entries) return null;
    for (const e of entries) {
      if (e.spec.condition && !condition(e.spec.condition)) continue;
      e.hits++;
      if (e.spec.hitCondition && !hitMatches(e.spec.hitCondition, e.hits)) continue;
      if (e.spec.logMessage !== undefined) return { kind: 'log', message: e.spec.logMessage };
      return { kind: 'stop', reason: 'breakpoint' };
    }
    return null;
  }
}

/** VS Code's hit condition forms: `N` or `>= N` (at least), `> N`, `== N`, `% N` (every Nth). */
export function hitMatches(condition: string, hits: number): boolean {
  const m = /^\s*(>=|>|==|%|=)?\s*(\d+)\s*$/.exec(condition);
  if (!m) return true;
  const n = Number(m[2]);
  switch (m[1]) {
    case '>': return hits > n;
    case '==': case '=': return hits === n;
    case '%': return n > 0 && hits % n === 0;
    default: return hits >= n;
  }
}
