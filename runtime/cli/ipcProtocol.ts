// The IPC messages between a parent that forks `protoext-lb run` (the VS Code client) and the CLI, declared once, with their direction.
import type { ScriptError } from '../ns/types';
import type { LbStats } from '../proxy/lbProxy';
import type { OutputRecord } from './eventLog';

/** Parent -> CLI. `id` is echoed in the response. `reload` without `source` re-reads `file` (or the current script file). */
export type IpcCommand =
  | { type: 'command'; id: number; command: 'stop' }
  | { type: 'command'; id: number; command: 'stats' }
  | { type: 'command'; id: number; command: 'reload'; file?: string; source?: string };

/** CLI -> parent. */
export type IpcMessage =
  /** Every event, the same object as a --events jsonl line. */
  | { type: 'event'; record: OutputRecord }
  /** A stats snapshot, sent every `STATS_INTERVAL_MS`. */
  | { type: 'stats'; stats: LbStats }
  | { type: 'response'; id: number; ok: true; stats?: LbStats }
  | { type: 'response'; id: number; ok: false; error: string; scriptError?: ScriptError };

export const STATS_INTERVAL_MS = 1000;

export function isIpcCommand(value: unknown): value is IpcCommand {
  const v = value as { type?: unknown; id?: unknown; command?: unknown } | null;
  return !!v && v.type === 'command' && typeof v.id === 'number' && (v.command === 'stop' || v.command === 'stats' || v.command === 'reload');
}
