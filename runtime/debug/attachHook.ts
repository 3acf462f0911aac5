// The local LB's debug hook for `attach`: a Unix socket in a private folder (a named pipe on Windows); an attached debugger runs the script of the next connection.
//
// No TCP control port: the socket lives in a 0700 folder of the user (hookLocation.ts), so only that user's
// processes can attach. The proxy keeps serving every other connection on the engine; only the claimed
// connection's client chunks go to the debugger, and its client waits while the debugger is paused.
import { createServer, type Server, type Socket } from 'node:net';
import { rmSync } from 'node:fs';
import type { Decision, PersistenceSettings } from '../lb/types';
import type { DeliveryResult } from '../ns/types';
import type { DebuggerClaim, ScriptTakeover } from '../ns/scriptTakeover';
import { debugDecision } from './decisionModel';
import { fromWire, lineReader, type FromDebugger, type ToDebugger } from './attachWire';
import { announceDebugHook, debugHookPath, isPipePath } from './hookLocation';

/** The part of LbProxy the hook uses. */
export interface DebugHookHost {
  claimForDebugger: DebuggerClaim | null;
}

export interface DebugHook {
  readonly path: string;
  close(): Promise<void>;
}

/** One debugger's hold on one connection. */
class SocketTakeover implements ScriptTakeover {
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (r: DeliveryResult) => void; reject: (e: Error) => void }>();
  private gone: string | null = null;

  constructor(private readonly socket: Socket) {}

  deliver(chunk: Uint8Array): Promise<DeliveryResult> {
    if (this.gone !== null) return Promise.reject(new Error(this.gone));
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      send(this.socket, { op: 'data', seq, hex: Buffer.from(chunk).toString('hex') });
    });
  }

  end(reason: string): void {
    if (this.gone === null) send(this.socket, { op: 'end', reason });
    this.gone ??= 'the script phase ended';
    this.socket.end();
  }

  decided(decision: Decision, persistence: PersistenceSettings): void {
    send(this.socket, { op: 'decision', decision: debugDecision(decision, persistence.type, persistence.timeoutMinutes, 'made by the local LB for this connection') });
  }

  answered(seq: number, result: DeliveryResult): void {
    this.pending.get(seq)?.resolve(result);
    this.pending.delete(seq);
  }

  detached(why: string): void {
    this.gone ??= why;
    for (const p of this.pending.values()) p.reject(new Error(why));
    this.pending.clear();
  }
}

function send(socket: Socket, msg: ToDebugger): void {
  if (!socket.destroyed && socket.writable) socket.write(JSON.stringify(msg) + '\n');
}

/** Listens on `path` (default: this process's socket in the private folder) and claims the next connection for each waiting debugger. */
export async function startDebugHook(host: DebugHookHost, path = debugHookPath()): Promise<DebugHook> {
  const waiting: Socket[] = [];
  const all = new Set<Socket>();
  // Installed only while a debugger waits: with none, the proxy's accept path pays nothing for the hook.
  const armClaim = () => { host.claimForDebugger = waiting.length > 0 ? claim : null; };
  const claim: DebuggerClaim = (conn, info) => {
    const socket = waiting.shift();
    armClaim();
    if (!socket) return null;
    const takeover = new SocketTakeover(socket);
    socket.on('data', lineReader((raw) => {
      const msg = raw as FromDebugger;
      if (msg.op === 'result') takeover.answered(msg.seq, fromWire(msg.result));
    }));
    socket.on('close', () => takeover.detached('the debugger disconnected'));
    send(socket, { op: 'connection', conn, info });
    return takeover;
  };
  const server: Server = createServer((socket) => {
    socket.on('error', () => undefined);
    all.add(socket);
    socket.on('close', () => all.delete(socket));
    const onData = lineReader((raw) => {
      if ((raw as FromDebugger).op !== 'attach') return;
      socket.off('data', onData);
      waiting.push(socket);
      armClaim();
      send(socket, { op: 'attached', pid: process.pid });
    });
    socket.on('data', onData);
    socket.on('close', () => {
      const i = waiting.indexOf(socket);
      if (i >= 0) waiting.splice(i, 1);
      armClaim();
    });
  });
  // A stale socket file from a crashed LB blocks listen(); a pipe vanishes with its process.
  const removeStale = () => { if (!isPipePath(path)) rmSync(path, { force: true }); };
  removeStale();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  const unannounce = announceDebugHook(path);
  return {
    path,
    close: () => new Promise<void>((resolve) => {
      host.claimForDebugger = null;
      waiting.length = 0;
      for (const s of all) s.destroy();
      server.close(() => resolve());
      removeStale();
      unannounce();
    }),
  };
}
