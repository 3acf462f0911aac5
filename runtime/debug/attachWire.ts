// The debug hook's wire format: JSON lines over a Unix socket or a Windows named pipe (hookLocation.ts says where).
import type { ConnectionInfo, DeliveryResult, ScriptAction, ScriptError } from '../ns/types';
import type { DebugDecision } from './decisionModel';

// debugger -> LB  {"op":"attach"}                                  take the next new connection
// LB -> debugger  {"op":"attached","pid":N}
//                 {"op":"connection","conn":N,"info":{...}}        the connection the debugger now runs the script for
//                 {"op":"data","seq":N,"hex":".."}                 one client chunk; the client waits for the answer
// debugger -> LB  {"op":"result","seq":N,"result":{...}}           what the script did with it (WireResult)
// LB -> debugger  {"op":"decision","decision":{...}}              the LB's decision for this connection (DebugDecision), as it logs it
//                 {"op":"end","reason":".."}                       the script phase is over (pipe, reset, close)

export type WireAction =
  | { kind: 'send'; event: 'DATA' | 'EOM'; data: string; userToken: string | null; userSession: string | null }
  | { kind: 'toClient'; event: 'DATA' | 'EOM'; data: string }
  | { kind: 'pipe' }
  | { kind: 'close' };

export interface WireResult {
  actions: WireAction[];
  held: boolean;
  /** Hex of the stream ctxt:hold kept, when held. */
  heldData?: string;
  error: ScriptError | null;
}

export type ToDebugger =
  | { op: 'attached'; pid: number }
  | { op: 'connection'; conn: number; info: ConnectionInfo }
  | { op: 'data'; seq: number; hex: string }
  | { op: 'decision'; decision: DebugDecision }
  | { op: 'end'; reason: string };

export type FromDebugger =
  | { op: 'attach' }
  | { op: 'result'; seq: number; result: WireResult };

const hex = (b: Uint8Array | null): string | null => (b === null ? null : Buffer.from(b).toString('hex'));
const bytes = (h: string | null): Uint8Array | null => (h === null ? null : Uint8Array.from(Buffer.from(h, 'hex')));

export function toWire(result: DeliveryResult): WireResult {
  const actions = result.actions.map((a): WireAction => (a.kind === 'send'
    ? { kind: 'send', event: a.event, data: hex(a.data) ?? '', userToken: hex(a.userToken), userSession: hex(a.userSession) }
    : a.kind === 'toClient' ? { kind: 'toClient', event: a.event, data: hex(a.data) ?? '' } : a));
  return { actions, held: result.held, ...(result.heldData ? { heldData: hex(result.heldData) ?? '' } : {}), error: result.error };
}

export function fromWire(wire: WireResult): DeliveryResult {
  const actions = wire.actions.map((a): ScriptAction => (a.kind === 'send'
    ? { kind: 'send', event: a.event, data: bytes(a.data) ?? new Uint8Array(), userToken: bytes(a.userToken), userSession: bytes(a.userSession) }
    : a.kind === 'toClient' ? { kind: 'toClient', event: a.event, data: bytes(a.data) ?? new Uint8Array() } : a));
  return { actions, held: wire.held, ...(wire.heldData !== undefined ? { heldData: bytes(wire.heldData) ?? new Uint8Array() } : {}), error: wire.error };
}

/** Splits a byte stream into JSON lines. */
export function lineReader(onMessage: (msg: unknown) => void): (chunk: Buffer) => void {
  let buffered = '';
  return (chunk) => {
    buffered += chunk.toString('utf8');
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.trim() !== '') onMessage(JSON.parse(line));
    }
  };
}
