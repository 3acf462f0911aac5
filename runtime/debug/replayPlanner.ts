// Step back by deterministic re-execution: picks the line event (1-based count of user line events) a replay should stop at.

export interface LineEvent {
  line: number;
  /** Call depth at the event: step back is the reverse of "next", so it skips deeper frames. */
  depth: number;
  /** Set when the event starts a statement (statementTracker.ts): the line its breakpoints are kept at. Steps land only there. */
  breakLine: number | null;
}

/**
 * stepBack: the previous statement start at the same or a shallower depth (from an exception: the erroring line itself).
 * reverseContinue: the last earlier statement start with a breakpoint, else the first event.
 */
export function replayTarget(mode: 'stepBack' | 'reverseContinue', history: readonly LineEvent[], current: number, atException: boolean, isBreakpointLine: (line: number) => boolean): number {
  if (atException && mode === 'stepBack') return Math.max(1, current);
  const here = history[current - 1];
  for (let k = current - 1; k >= 1; k--) {
    const h = history[k - 1];
    if (h.breakLine === null) continue;
    if (mode === 'stepBack' && here !== undefined && h.depth <= here.depth) return k;
    if (mode === 'reverseContinue' && isBreakpointLine(h.breakLine)) return k;
  }
  return 1;
}
