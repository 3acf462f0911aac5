// The piped data path's socket I/O: every socket reads into one shared buffer and forwards with a direct write.
//
// Why (profiles in docs/PERFORMANCE.md): with plain 'data' events Node mallocs a fresh 64 KiB buffer per read, the
// kernel then copies into cold pages (page faults, _copy_to_iter), and each chunk runs the Readable machinery; a
// write hands the chunk to libuv with a WriteWrap per call. Reading into one warm buffer and writing it straight
// to the peer's descriptor halved the proxy's CPU per GB and brought its rate level with HAProxy's.
//
// The rule that keeps this correct: a view of the shared buffer is valid only during the read callback that got
// it. It is never handed to libuv: writeView() writes it synchronously, and whatever the kernel does not take
// at once is copied before it is queued. Callers that keep bytes (the script phase, held bytes, the debugger)
// copy them first (ownBytes).
import { writeSync } from 'node:fs';
import * as net from 'node:net';

/** One read's worth: Node's own read size. Every socket of the process reads into it in turn. */
const sharedReadBuffer = Buffer.allocUnsafe(64 * 1024);

/** `this` is the socket that read: one shared function per role, so a connection costs no closures. */
export type ReadCallback = (this: net.Socket, view: Buffer) => void;

/**
 * Node's user-buffer read mode (the documented `onread` option of net.connect) has no option on
 * net.Server; an accepted socket joins it through the same fields the option sets. The fields are
 * found by their symbols' descriptions, once; on a Node where they are missing, reads fall back to
 * 'data' events (correct, only slower).
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

type Indexed = Record<symbol, unknown>;
type UserBufferCallback = (this: net.Socket, n: number, buf: Uint8Array) => boolean;
const callbackOf = new WeakMap<ReadCallback, UserBufferCallback>();

/** The (nread, buffer) form Node calls, made once per ReadCallback (true: keep reading; backpressure pauses explicitly). */
function userBufferCallback(onBytes: ReadCallback): UserBufferCallback {
  let cb = callbackOf.get(onBytes);
  if (!cb) {
    cb = function (this: net.Socket, n: number): boolean {
      onBytes.call(this, sharedReadBuffer.subarray(0, n));
      return true;
    };
    callbackOf.set(onBytes, cb);
  }
  return cb;
}

/** True when accepted sockets read through the shared buffer on this Node (tests assert it). */
export function sharedReadsActive(): boolean {
  return userBufferFields != null;
}

/** Starts reading an accepted socket (created paused: the server has pauseOnConnect) into the shared buffer. */
export function startReading(socket: net.Socket, onBytes: ReadCallback): void {
  if (userBufferFields === undefined) userBufferFields = findUserBufferFields(socket);
  const handle = (socket as unknown as { _handle?: { useUserBuffer(b: Uint8Array): void } })._handle;
  if (userBufferFields && handle) {
    const s = socket as unknown as Indexed;
    s[userBufferFields.buffer] = sharedReadBuffer;
    s[userBufferFields.generator] = null;
    s[userBufferFields.callback] = userBufferCallback(onBytes);
    handle.useUserBuffer(sharedReadBuffer);
  } else {
    socket.on('data', onBytes);
  }
  socket.resume();
}

/** Connects with reads into the shared buffer (net.connect's onread option). */
export function connectReading(options: net.TcpNetConnectOpts, onBytes: ReadCallback): net.Socket {
  return net.connect({ ...options, onread: { buffer: sharedReadBuffer, callback: userBufferCallback(onBytes) } });
}

/** A copy that outlives the read callback. */
export function ownBytes(view: Uint8Array): Buffer {
  return Buffer.from(view);
}

function descriptorOf(socket: net.Socket): number {
  const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : -1;
}

function isWouldBlock(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EAGAIN' || code === 'EWOULDBLOCK';
}

/**
 * Writes bytes that may be a view of the shared buffer. Nothing queued: one write(2) on the socket's
 * descriptor (it is non-blocking), the way HAProxy forwards; what the kernel did not take, or anything
 * behind queued bytes, is copied and queued on the socket in order. Returns false when the caller
 * should wait for 'drain' (Writable's backpressure signal).
 */
export function writeView(socket: net.Socket, view: Uint8Array): boolean {
  if (socket.destroyed || socket.writableEnded) return true;
  const fd = socket.writableLength === 0 && !socket.connecting ? descriptorOf(socket) : -1;
  let written = 0;
  if (fd >= 0) {
    try {
      written = writeSync(fd, view);
    } catch (err) {
      if (!isWouldBlock(err)) {
        socket.destroy(err as Error);
        return true;
      }
    }
    if (written === view.length) return true;
  }
  return socket.write(ownBytes(view.subarray(written)));
}
