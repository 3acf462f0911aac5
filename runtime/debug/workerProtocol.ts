// Messages between the debug runtime (main thread) and the VM worker; one discriminated union per direction.
import type { ConnectionInfo, DeliveryResult } from '../ns/types';
import type { StatementTable } from './statementMap';

export type StepMode = 'continue' | 'next' | 'stepIn' | 'stepOut' | 'byte';
/** Backward moves replay the run from the start to an earlier line event (deterministic re-execution). */
export type ResumeMode = StepMode | 'stepBack' | 'reverseContinue';

export interface BreakpointSpec {
  line: number;
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
}

/** What the main thread asks; the worker answers requests that carry `id` with a `reply`. */
export type ToWorker =
  | { type: 'load'; file: string; source: string }
  /** Starts a run: fresh state, main chunk under the hook; then the client's chunks arrive one `deliver` at a time until `end`. */
  | { type: 'run'; stopOnEntry: boolean; breakpoints: BreakpointSpec[]; info?: ConnectionInfo }
  | { type: 'deliver'; bytes: Uint8Array }
  /** No more client chunks (launch: all were sent; attach: the LB left the script phase). */
  | { type: 'end' }
  | { type: 'setBreakpoints'; breakpoints: BreakpointSpec[] }
  | { type: 'pause' }
  | { type: 'resume'; mode: ResumeMode }
  | { type: 'abort' }
  | { id: number; type: 'stack' }
  | { id: number; type: 'locals'; level: number }
  | { id: number; type: 'upvalues'; level: number }
  | { id: number; type: 'globals' }
  | { id: number; type: 'children'; handle: number }
  | { id: number; type: 'evaluate'; level: number | null; expression: string }
  | { id: number; type: 'setLocal'; level: number; scope: 'local' | 'upvalue'; name: string; expression: string };

export type RequestToWorker = Extract<ToWorker, { id: number }>;

export interface LuaValueView {
  name: string;
  /** Lua's own rendering (strings quoted with escapes). */
  value: string;
  type: string;
  /** Non-zero: a table whose children can be listed with `children`. Valid only while paused at this stop. */
  handle: number;
}

export interface FrameView {
  level: number;
  name: string;
  line: number;
}

export type ScriptActionView =
  | { kind: 'send'; event: 'DATA' | 'EOM'; data: Uint8Array; userToken: Uint8Array | null; userSession: Uint8Array | null }
  | { kind: 'pipe' }
  | { kind: 'hold' }
  | { kind: 'close' };

export type StopReason = 'entry' | 'step' | 'breakpoint' | 'exception' | 'pause' | 'data breakpoint';

export interface StopInfo {
  reason: StopReason;
  line: number;
  /** 1-based count of line events in user code since the run started: the clock of deterministic replay. */
  event: number;
  /** Index of the delivery (chunk) being processed, and the bytes the script sees (held + new). */
  delivery: number;
  data: Uint8Array;
  /** 0-based offsets into `data` read by the script during this delivery, in first-read order. */
  reads: number[];
  lastRead: number | null;
  exception: string | null;
  /** The bytes of a string local named like clientID (client_id, clientId...) in the innermost user frame, if any. */
  clientIdLocal: Uint8Array | null;
}

export type FromWorker =
  /** The statements of the script (statementMap.ts), built once from its parse and its active lines. */
  | { type: 'loaded'; statements: StatementTable; error: string | null }
  /** A run (or a replay of it) starts: actions seen so far no longer apply. */
  | { type: 'restarted' }
  | { type: 'stopped'; stop: StopInfo }
  | { type: 'action'; action: ScriptActionView }
  | { type: 'output'; category: 'console' | 'stderr'; text: string; line: number | null }
  /** `replayed`: this delivery already completed once (a step back re-ran it); its result was already applied. */
  | { type: 'deliveryDone'; held: boolean; error: string | null; result: DeliveryResult; replayed: boolean }
  | { type: 'finished'; error: string | null; events: number }
  | { type: 'reply'; id: number; result: unknown; error: string | null };

/** Shared control word: the main thread increments it after each post; the blocked worker waits on it. */
export const CONTROL_PENDING = 0;
