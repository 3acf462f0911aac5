// The local LB's one status state machine (stopped / starting / running / error) and what the status bar shows for each; no `vscode` import.
import type { LbStats } from '../../runtime/proxy/lbProxy';

export type LbStatus =
  | { kind: 'stopped'; reason?: string }
  | { kind: 'starting'; attempt: number }
  | { kind: 'running'; listen: string; pid: number; stats: LbStats | null }
  | { kind: 'error'; message: string; retryInMs: number | null };

export type LbStatusKind = LbStatus['kind'];

/** What happens to the runtime; `transition` decides the next status from it. */
export type LbStatusEvent =
  | { type: 'start'; attempt: number }
  | { type: 'ready'; listen: string; pid: number }
  | { type: 'stats'; stats: LbStats }
  | { type: 'stopped'; reason: string }
  | { type: 'failed'; message: string; retryInMs: number | null };

/**
 * Stats arriving after a stop (the last IPC message of a dying process) must not bring a stopped LB back to
 * "running", so stats only refresh a running status.
 */
export function transition(current: LbStatus, event: LbStatusEvent): LbStatus {
  switch (event.type) {
    case 'start':
      return { kind: 'starting', attempt: event.attempt };
    case 'ready':
      return { kind: 'running', listen: event.listen, pid: event.pid, stats: null };
    case 'stats':
      return current.kind === 'running' ? { ...current, stats: event.stats } : current;
    case 'stopped':
      return { kind: 'stopped', reason: event.reason };
    case 'failed':
      return { kind: 'error', message: event.message, retryInMs: event.retryInMs };
  }
}

export interface StatusBarView {
  text: string;
  tooltip: string;
  /** The command a click runs. */
  command: string;
}

export const LB_STATUS_COMMANDS = { start: 'protoext.startLb', showStatus: 'protoext.showLbStatus', showLog: 'protoext.showRuntimeLog' } as const;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Codicons in the text (`$(sync~spin)`) are how VS Code shows a spinner; no custom colours. `protocol`: the title the LB serves ('MQTT', 'syslog'). */
export function statusBarView(status: LbStatus, protocol: string): StatusBarView {
  const lb = `${protocol} LB`;
  switch (status.kind) {
    case 'stopped':
      return { text: `$(debug-stop) ${lb}: stopped`, tooltip: `Local ${lb} stopped${status.reason ? ` (${status.reason})` : ''}. Click to start it.`, command: LB_STATUS_COMMANDS.start };
    case 'starting':
      return {
        text: `$(sync~spin) ${lb}: starting`,
        tooltip: status.attempt > 1 ? `Restarting the local ${lb} (attempt ${status.attempt})` : `Starting the local ${lb}`,
        command: LB_STATUS_COMMANDS.showLog,
      };
    case 'running': {
      const stats = status.stats;
      const up = stats ? stats.services.filter((s) => s.up).length : 0;
      const counts = stats ? ` · ${up}/${stats.services.length} up · ${plural(stats.connections.active, 'conn')}` : '';
      return {
        text: `$(radio-tower) ${lb} ${status.listen}${counts}`,
        tooltip: `Local ${lb} running on ${status.listen} (pid ${status.pid})${stats ? `, ${stats.method}, ${plural(stats.connections.total, 'connection')} so far` : ''}. Click for its status.`,
        command: LB_STATUS_COMMANDS.showStatus,
      };
    }
    case 'error':
      return {
        text: `$(error) ${lb}: error`,
        tooltip: `${status.message}${status.retryInMs !== null ? ` (restarting in ${Math.round(status.retryInMs / 1000)} s)` : ''}. Click for the log.`,
        command: LB_STATUS_COMMANDS.showLog,
      };
  }
}

/** Crash restarts wait 1, 2, 4, 8, 16, then 30 s; a run that stayed up for a minute resets the count. */
export function restartDelayMs(consecutiveCrashes: number): number | null {
  if (consecutiveCrashes > 6) return null;
  return Math.min(30_000, 1000 * 2 ** Math.max(0, consecutiveCrashes - 1));
}

export const STABLE_RUN_MS = 60_000;
