// The proxy's typed events (also the CLI's --events jsonl lines and the IPC event messages) and a small typed emitter.
import { EventEmitter } from 'node:events';
import type { Decision } from '../lb/types';
import type { LogEntry, ScriptError } from '../ns/types';

export type ResetReason =
  | 'script-error'
  | 'first-flight-too-large'
  | 'max-connections'
  | 'no-service'
  | 'service-failed'
  | 'client-error'
  | 'stopping';

export interface LbEventMap {
  listening: { host: string; port: number; script: string };
  connection: { conn: number; clientIp: string; clientPort: number; script: string };
  /** The script held the data: `heldBytes` now wait for more. */
  hold: { conn: number; heldBytes: number };
  decision: { conn: number } & Decision;
  /** `ns.send` bytes went to a service (`eom`: the message ended, the next send makes a new decision). */
  send: { conn: number; service: string; bytes: number; eom: boolean };
  /** `ns.send(ctxt.client, ...)`: the script answered the client itself. */
  reply: { conn: number; bytes: number; eom: boolean };
  /** `ns.pipe`: from now on bytes flow both ways without the script. */
  pipe: { conn: number; service: string | null };
  /** The client got a TCP RST; nothing more of it is forwarded. */
  reset: { conn: number; reason: ResetReason; message: string; error: ScriptError | null };
  close: { conn: number; reason: string; bytesFromClient: number; bytesToClient: number; durationMs: number };
  'service-up': { service: string; address: string; reason: string };
  'service-down': { service: string; address: string; reason: string };
  'script-reloaded': { file: string };
  'script-rejected': { file: string; error: ScriptError };
  /** An ns.logger line of the script (formatted; `conn` null from the main chunk). */
  log: LogEntry;
}

export type LbEventName = keyof LbEventMap;

/** One event as a flat object, the shape of a jsonl line and of an IPC `event` message. */
export type LbEventRecord = { [K in LbEventName]: { event: K; time: string } & LbEventMap[K] }[LbEventName];

export class TypedEmitter<M extends object> {
  private readonly inner = new EventEmitter();
  private readonly anyListeners = new Set<(name: keyof M & string, payload: M[keyof M]) => void>();

  constructor() {
    // Many observers (CLI log, IPC, tests) may listen to one proxy.
    this.inner.setMaxListeners(50);
  }

  on<K extends keyof M & string>(name: K, listener: (payload: M[K]) => void): () => void {
    this.inner.on(name, listener);
    return () => this.inner.off(name, listener);
  }

  once<K extends keyof M & string>(name: K, listener: (payload: M[K]) => void): void {
    this.inner.once(name, listener);
  }

  /** Every event, for sinks that forward everything (jsonl, IPC). */
  onAny(listener: (name: keyof M & string, payload: M[keyof M]) => void): () => void {
    this.anyListeners.add(listener);
    return () => this.anyListeners.delete(listener);
  }

  /** True when an event would reach someone: hot paths skip building payloads nobody reads. */
  listens(name: keyof M & string): boolean {
    return this.anyListeners.size > 0 || this.inner.listenerCount(name) > 0;
  }

  emit<K extends keyof M & string>(name: K, payload: M[K]): void {
    this.inner.emit(name, payload);
    for (const l of this.anyListeners) l(name, payload);
  }
}

export function toRecord<K extends LbEventName>(name: K, payload: LbEventMap[K], now = new Date()): LbEventRecord {
  return { event: name, time: now.toISOString(), ...payload } as LbEventRecord;
}
