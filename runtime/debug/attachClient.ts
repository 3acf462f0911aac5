// The adapter's side of `attach`: connects to a local LB's debug hook and runs the claimed connection's script phase for it.
import { connect, type Socket } from 'node:net';
import type { ConnectionInfo, DeliveryResult } from '../ns/types';
import type { DebugDecision } from './decisionModel';
import { lineReader, toWire, type FromDebugger, type ToDebugger } from './attachWire';
import { newestDebugHook } from './hookLocation';

export interface AttachHandlers {
  /** The LB gave this debugger its next new connection. */
  connection(conn: number, info: ConnectionInfo): void;
  /** One client chunk; answer it with `link.answer(seq, result)` (the client waits until then). */
  data(seq: number, bytes: Uint8Array): void;
  /** The LB's decision for the connection, made when it applied a result with a send. */
  decision(decision: DebugDecision): void;
  /** The script phase is over (pipe, reset, close), or the LB went away. */
  end(reason: string): void;
}

export class AttachLink {
  private constructor(private readonly socket: Socket, readonly path: string, readonly lbPid: number) {}

  /** Connects to `hook` (default: the newest running LB's socket) and resolves once the LB accepted the attach. */
  static open(hook: string | undefined, handlers: AttachHandlers): Promise<AttachLink> {
    const path = hook ?? newestDebugHook();
    if (path === null) return Promise.reject(new Error('no running local LB with a debug hook was found; start it (Protocol Extension Studio: Start Local MQTT LB, or protoext-lb run) and attach again'));
    return new Promise((resolve, reject) => {
      const socket = connect(path);
      let link: AttachLink | null = null;
      let ended = false;
      const end = (reason: string) => { if (!ended && link) { ended = true; handlers.end(reason); } };
      socket.on('connect', () => socket.write(JSON.stringify({ op: 'attach' } satisfies FromDebugger) + '\n'));
      socket.on('error', (e) => {
        if (link === null) reject(new Error(`cannot reach the local LB debug hook at ${path} (${e.message}); is the LB still running?`));
        end(`the LB connection failed: ${e.message}`);
      });
      socket.on('close', () => end('the LB closed the debug hook'));
      socket.on('data', lineReader((raw) => {
        const msg = raw as ToDebugger;
        if (msg.op === 'attached') { link = new AttachLink(socket, path, msg.pid); resolve(link); }
        else if (msg.op === 'connection') handlers.connection(msg.conn, msg.info);
        else if (msg.op === 'data') handlers.data(msg.seq, Uint8Array.from(Buffer.from(msg.hex, 'hex')));
        else if (msg.op === 'decision') handlers.decision(msg.decision);
        else if (msg.op === 'end') end(msg.reason);
      }));
    });
  }

  answer(seq: number, result: DeliveryResult): void {
    if (this.socket.writable) this.socket.write(JSON.stringify({ op: 'result', seq, result: toWire(result) } satisfies FromDebugger) + '\n');
  }

  /** Detaches: the LB falls back to its engine for the connection (or resets it when the script had already acted). */
  close(): void {
    this.socket.end();
  }
}
