// TCP connections on net.Socket: the portable transport, used where rawTcp.ts's handles are not available (and in tests).
// It still reads into the shared buffer and writes views directly (sharedReadBuffer.ts), which halved its CPU per GB.
import * as net from 'node:net';
import type { ConnectionHandler, TcpConnection } from './tcpConnection';
import { ownBytes, sharedReadBuffer } from './sharedReadBuffer';
import { writeNow } from './writeNow';

const OWNER = Symbol('netTcpConnection');
type OwnedSocket = net.Socket & { [OWNER]?: NetTcpConnection };

/**
 * Node's user-buffer read mode (the documented `onread` option of net.connect) has no option on net.Server; an
 * accepted socket joins it through the same fields the option sets, found by their symbols' descriptions. Where
 * they are missing, reads fall back to 'data' events (correct, only slower).
 */
interface UserBufferFields {
  buffer: symbol;
  callback: symbol;
  generator: symbol;
}
let userBufferFields: UserBufferFields | null | undefined;

function findUserBufferFields(socket: net.Socket): UserBufferFields | null {
  const bySymbol = new Map(Object.getOwnPropertySymbols(socket).map((s) => [s.description, s]));
  const buffer = bySymbol.get('kBuffer');
  const callback = bySymbol.get('kBufferCb');
  const generator = bySymbol.get('kBufferGen');
  const handle = (socket as unknown as { _handle?: { useUserBuffer?: unknown } })._handle;
  if (!buffer || !callback || !generator || typeof handle?.useUserBuffer !== 'function') return null;
  return { buffer, callback, generator };
}

/** True once accepted sockets read through the shared buffer on this Node (tests assert it). */
export function acceptedSocketsShareReads(): boolean {
  return userBufferFields != null;
}

// Shared by every socket: `this` leads to the connection, so a connection costs no closures.
function onUserBufferRead(this: OwnedSocket, n: number): boolean {
  this[OWNER]?.handler?.onBytes(sharedReadBuffer.subarray(0, n));
  return true;
}
function onData(this: OwnedSocket, chunk: Buffer): void {
  this[OWNER]?.handler?.onBytes(chunk);
}
function onEnd(this: OwnedSocket): void {
  this[OWNER]?.handler?.onEnd();
}
function onDrain(this: OwnedSocket): void {
  this[OWNER]?.handler?.onDrain();
}
function onConnect(this: OwnedSocket): void {
  this[OWNER]?.handler?.onConnect();
}
function onError(this: OwnedSocket, err: Error): void {
  const owner = this[OWNER];
  if (owner && !owner.error) owner.error = err;
}
function onClose(this: OwnedSocket): void {
  const owner = this[OWNER];
  if (!owner) return;
  this[OWNER] = undefined;
  const handler = owner.handler;
  owner.handler = null;
  handler?.onClose(owner.error);
}

function descriptorOf(socket: net.Socket): number {
  const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : -1;
}

export class NetTcpConnection implements TcpConnection {
  handler: ConnectionHandler | null = null;
  error: Error | null = null;

  constructor(
    private readonly socket: net.Socket,
    /** Accepted sockets come paused (pauseOnConnect) and join the shared-buffer reads on attach. */
    private readonly accepted: boolean,
  ) {
    (socket as OwnedSocket)[OWNER] = this;
    socket.setNoDelay(true);
    socket.on('end', onEnd);
    socket.on('drain', onDrain);
    socket.on('error', onError);
    socket.on('close', onClose);
    if (!accepted) socket.on('connect', onConnect);
  }

  get connecting(): boolean {
    return this.socket.connecting;
  }
  get remoteAddress(): string {
    return this.socket.remoteAddress ?? '';
  }
  get remotePort(): number {
    return this.socket.remotePort ?? 0;
  }
  get localAddress(): string {
    return this.socket.localAddress ?? '';
  }
  get localPort(): number {
    return this.socket.localPort ?? 0;
  }

  attach(handler: ConnectionHandler): void {
    this.handler = handler;
    if (!this.accepted) return;
    if (userBufferFields === undefined) userBufferFields = findUserBufferFields(this.socket);
    const handle = (this.socket as unknown as { _handle?: { useUserBuffer(b: Uint8Array): void } })._handle;
    if (userBufferFields && handle) {
      const s = this.socket as unknown as Record<symbol, unknown>;
      s[userBufferFields.buffer] = sharedReadBuffer;
      s[userBufferFields.generator] = null;
      s[userBufferFields.callback] = onUserBufferRead;
      handle.useUserBuffer(sharedReadBuffer);
    } else {
      this.socket.on('data', onData);
    }
    this.socket.resume();
  }

  /** Nothing queued: written at once (writeNow); what the kernel did not take, or anything behind queued bytes, is copied and queued in order. */
  write(bytes: Uint8Array): boolean {
    const socket = this.socket;
    if (socket.destroyed || socket.writableEnded) return true;
    const fd = socket.writableLength === 0 && !socket.connecting ? descriptorOf(socket) : -1;
    let written = 0;
    if (fd >= 0) {
      const result = writeNow(fd, bytes);
      if (result instanceof Error) {
        socket.destroy(result);
        return true;
      }
      written = result;
      if (written === bytes.length) return true;
    }
    return socket.write(ownBytes(bytes.subarray(written)));
  }

  end(): void {
    this.socket.end();
  }

  destroy(error?: Error): void {
    this.socket.destroy(error);
  }

  reset(): void {
    this.socket.resetAndDestroy();
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }
}

/** Connects with reads into the shared buffer (net.connect's onread option). */
export function connectNet(host: string, port: number, handler: ConnectionHandler): NetTcpConnection {
  const socket = net.connect({ host, port, allowHalfOpen: true, onread: { buffer: sharedReadBuffer, callback: onUserBufferRead as (n: number, buf: Uint8Array) => boolean } });
  const conn = new NetTcpConnection(socket, false);
  conn.attach(handler);
  return conn;
}
