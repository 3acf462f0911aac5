// Turns the line hook's events into statement executions: which line event starts a statement (breakpoints and steps stop there only).
import type { StatementMap } from './statementMap';

export interface StatementEvent {
  /** The statement key (StatementMap.statementAt) when this event starts an execution of it, else null. */
  starts: number | null;
  /** Where breakpoints on that statement are kept (StatementMap.breakLineOf); null when the event starts nothing. */
  breakLine: number | null;
}

const NOTHING: StatementEvent = { starts: null, breakLine: null };

/**
 * Per call depth, the statement the frame is in. A line event starts a statement when its statement differs from
 * the frame's current one, or when the frame is a new activation (a call entered since: the hook's call event).
 * A statement re-run with nothing else in between in that frame (a one-line loop) counts as one execution.
 */
export class StatementTracker {
  private current: (number | undefined)[] = [];
  private entered = false;

  constructor(private readonly map: StatementMap) {}

  reset(): void {
    this.current = [];
    this.entered = false;
  }

  /** A user function was called (or tail-called): the next line event is the first of a new activation. */
  callEntered(): void {
    this.entered = true;
  }

  onLine(line: number, depth: number): StatementEvent {
    // Frames deeper than this one have returned; a new activation forgets what its depth ran before.
    this.current.length = Math.min(this.current.length, this.entered ? depth : depth + 1);
    this.entered = false;
    const key = this.map.statementAt(line);
    if (key === null) return NOTHING;
    if (this.current[depth] === key) return NOTHING;
    this.current[depth] = key;
    return { starts: key, breakLine: this.map.breakLineOf(key, line) };
  }
}
