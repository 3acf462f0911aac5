// The contract between a loaded protocol extension and whoever feeds it bytes (the proxy, simulate, check, the debugger).
import type { LogLevel } from './catalog';

export type { LogLevel } from './catalog';

/** A script failure, always tied to a place in the user's file when Lua knows one. */
export interface ScriptError {
  /** `budget`: instruction budget spent; `memory`: memory cap hit; `api`: misuse of ns/ctxt; `runtime`: error() or a Lua error; `syntax`: load failure. */
  kind: 'syntax' | 'runtime' | 'budget' | 'memory' | 'api';
  /** `file:line: message` when a line is known, else the bare message. */
  message: string;
  file: string;
  line: number | null;
  traceback: string;
}

/** What one `on_data` call asked the host to do, in call order. */
export type ScriptAction =
  /** ns.send to ctxt.output: from client.on_data to the LB vserver (a service); from server.on_data to the client. */
  | { kind: 'send'; event: 'DATA' | 'EOM'; data: Uint8Array; userToken: Uint8Array | null; userSession: Uint8Array | null }
  /** ns.send(ctxt.client, ...) from client.on_data: the bytes go back to the client, no service involved. */
  | { kind: 'toClient'; event: 'DATA' | 'EOM'; data: Uint8Array }
  | { kind: 'pipe' }
  | { kind: 'close' };

export interface DeliveryResult {
  actions: ScriptAction[];
  /** `ctxt:hold` was called: `heldData` is kept and prefixed to the next delivery. */
  held: boolean;
  /**
   * With `held`: exactly the stream ctxt:hold was given (all of payload.data, or a part from data:split(n)),
   * so bytes sent before the hold are never delivered again. Absent: all of the delivered bytes.
   */
  heldData?: Uint8Array;
  /** Non-null: the connection must be reset and nothing more of it forwarded. */
  error: ScriptError | null;
  /** With an error: what the script asked for before failing. Never forward these (the ADC resets first); for debuggers and logs. */
  discardedActions?: ScriptAction[];
}

export interface ConnectionInfo {
  client: { ip: string; port: number; localIp: string; localPort: number };
  vserver: { name: string; params: Readonly<Record<string, string>> };
}

export interface EngineLimits {
  /** Lua VM instructions one callback may run before it is stopped (default 1,000,000). */
  instructionBudget: number;
  /** Bytes of Lua heap one loaded script may use (default 16 MiB). */
  memoryLimitBytes: number;
}

/** One ns.logger line, formatted. */
export interface LogEntry {
  level: LogLevel;
  /** The connection whose callback logged (ExtensionConnection id); null from the script's main chunk. */
  conn: number | null;
  file: string;
  line: number | null;
  message: string;
}

/** Where ns.logger lines go and from which level on (more severe levels always pass). */
export interface LogSettings {
  level: LogLevel;
  sink(entry: LogEntry): void;
}

export const DEFAULT_LIMITS: EngineLimits = { instructionBudget: 1_000_000, memoryLimitBytes: 16 * 1024 * 1024 };

/** One client connection's script context (its own `ctxt`). */
export interface ConnectionScript {
  onClientData(bytes: Uint8Array): DeliveryResult;
  onServerData(bytes: Uint8Array): DeliveryResult;
  /** Bytes held by `ctxt:hold` and not yet redelivered. */
  readonly heldBytes: number;
  dispose(): void;
}

/** Told which positions of the delivered stream (held bytes first, 0-based, inclusive) the script read. */
export interface ReadObserver {
  onRead(first: number, last: number): void;
}

/** An action as the script requests it, `hold` included (ctxt:hold is a flag of the DeliveryResult, not a ScriptAction). */
export type ObservedAction = ScriptAction | { kind: 'hold' };

/** Told of every ns.send / ns.pipe / ctxt:hold / ctxt:close the moment the script calls it, inside the callback. */
export interface ActionObserver {
  onAction(action: ObservedAction): void;
}

export interface ConnectionOptions {
  /** Records reads through payload.data (a debugger's "bytes read so far"); off on the LB hot path. */
  readObserver?: ReadObserver;
  /** Live actions for a debugger paused after ns.send inside on_data (the DeliveryResult only comes at the end); off on the LB hot path. */
  actionObserver?: ActionObserver;
  /** How ns.logger lines name this connection: the host's own number (the proxy's `#N`); default the engine's. */
  logId?: number;
}

/** A loaded script: compiled once, shared by all connections (as globals are shared on one ADC packet engine). */
export interface ExtensionScript {
  readonly file: string;
  readonly hasClientOnData: boolean;
  readonly hasServerOnData: boolean;
  openConnection(info: ConnectionInfo, options?: ConnectionOptions): ConnectionScript;
  dispose(): void;
}
