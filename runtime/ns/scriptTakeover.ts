// The contract for handing one connection's script phase to a debugger: each client chunk goes out, its DeliveryResult comes back later.
import type { Decision, PersistenceSettings } from '../lb/types';
import type { ConnectionInfo, DeliveryResult } from './types';

/**
 * Held by a ClientSession whose connection a debugger attached to. The debugger runs the same script on
 * the same engine in its own VM (paused as the user likes) and answers with the DeliveryResult the
 * session applies exactly as it applies the engine's. `deliver` rejects when the debugger went away.
 */
export interface ScriptTakeover {
  deliver(chunk: Uint8Array): Promise<DeliveryResult>;
  /** The script phase is over (pipe, reset, close, or the client left): the debugger may finish its run. */
  end(reason: string): void;
  /** The LB decided for this connection (on the first send of a message): the debugger shows this decision, not its own. */
  decided(decision: Decision, persistence: PersistenceSettings): void;
}

/** Asked by the proxy for every new connection; returns a takeover for the one a debugger waits for, else null (the hot path). */
export type DebuggerClaim = (conn: number, info: ConnectionInfo) => ScriptTakeover | null;
