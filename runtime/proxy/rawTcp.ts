// TCP connections straight on libuv's handles (Node's tcp_wrap binding, the layer under net.Socket): the LB's fast transport.
//
// Why: a net.Socket is a Duplex stream; its per-connection setup, per-chunk Readable/Writable bookkeeping and event
// emission cost more CPU than the proxy's own work (docs/PERFORMANCE.md: a bare net.Socket pipe proxy spends about
// twice HAProxy's CPU per connection; the same proxy on these handles matches HAProxy). The handles are what net.Socket
// itself drives, reached through process.binding's allowlist; where they are missing or differ, netTcp.ts is used.
//
// Reads go into one shared buffer (user-buffer mode); writes are a direct write(2) on the descriptor when nothing is
// queued, and only what the kernel did not take is copied and queued on the handle (the rule is in sharedReadBuffer.ts).
import { isIP } from 'node:net';
import { WRITE_HIGH_WATER, type ConnectionHandler, type TcpConnection } from './tcpConnection';
import { OWNER, errorName, rawBindings, uvError, type Bindings, type Req, type TcpHandle } from './libuvBindings';
import { connectNet } from './netTcp';
import { ownBytes, sharedReadBuffer } from './sharedReadBuffer';
import { writeNow } from './writeNow';

// Shared by every handle and request: `this` leads to the connection, so a connection costs no closures.
const ownerOf = (x: TcpHandle | Req) => x[OWNER] as RawTcpConnection | undefined;
function onRawRead(this: TcpHandle): void {
  ownerOf(this)?.readDone(uv().state[uv().kReadBytesOrError]);
}
function onWriteDone(this: Req, status: number): void {
  ownerOf(this)?.writeDone(status);
}
function onConnectDone(this: Req, status: number): void {
  ownerOf(this)?.connectDone(status);
}
function onShutdownDone(this: Req, status: number): void {
  ownerOf(this)?.shutdownDone(status);
}
/** Only called once rawBindings() returned them (tcpTransport.ts checks before choosing this transport). */
function uv(): Bindings {
  return rawBindings()!;
}

type Stage = 'connecting' | 'open' | 'closing' | 'closed';

/** The queue of a connection with nothing queued, shared (never pushed to): most connections never queue, and 10,000 idle ones would keep an array each. */
const NOTHING_QUEUED: Buffer[] = [];

export class RawTcpConnection implements TcpConnection {
  private stage: Stage;
  private handler: ConnectionHandler | null = null;
  private queue: Buffer[] = NOTHING_QUEUED;
  private queuedBytes = 0;
  /** A WriteWrap is with libuv (it holds queue[0]). */
  private writing = false;
  private needDrain = false;
  private wantEnd = false;
  private shutdownSent = false;
  /** Our FIN is out (the shutdown completed). */
  private finSent = false;
  private eofReceived = false;
  private paused = false;
  private reading = false;
  private error: Error | null = null;
  private peer: { address?: string; port?: number } | null = null;
  private local: { address?: string; port?: number } | null = null;
  /** Where an outgoing connection goes, for its connect error (kept apart: a host:port string per connection is memory idle connections keep). */
  private targetAddress = '';
  private targetPort = 0;

  constructor(
    private readonly handle: TcpHandle,
    connecting: boolean,
  ) {
    this.stage = connecting ? 'connecting' : 'open';
    handle[OWNER] = this;
    handle.onread = onRawRead;
    handle.useUserBuffer(sharedReadBuffer);
  }

  get connecting(): boolean {
    return this.stage === 'connecting';
  }
  get remoteAddress(): string {
    return this.peerInfo().address ?? '';
  }
  get remotePort(): number {
    return this.peerInfo().port ?? 0;
  }
  get localAddress(): string {
    return this.localInfo().address ?? '';
  }
  get localPort(): number {
    return this.localInfo().port ?? 0;
  }

  /** Looked up when first asked for (the script's ctxt.client, events), then kept. */
  private peerInfo(): { address?: string; port?: number } {
    if (!this.peer) {
      this.peer = {};
      if (this.stage !== 'closed') this.handle.getpeername(this.peer);
    }
    return this.peer;
  }
  private localInfo(): { address?: string; port?: number } {
    if (!this.local) {
      this.local = {};
      if (this.stage !== 'closed') this.handle.getsockname(this.local);
    }
    return this.local;
  }

  attach(handler: ConnectionHandler): void {
    this.handler = handler;
    if (this.stage === 'open') this.startReading();
  }

  private startReading(): void {
    if (this.reading || this.paused || this.eofReceived || this.stage !== 'open') return;
    const err = this.handle.readStart();
    if (err) this.destroy(uvError(err, 'read'));
    else this.reading = true;
  }

  private stopReading(): void {
    if (!this.reading) return;
    this.reading = false;
    if (this.stage === 'open') this.handle.readStop();
  }

  /** libuv's read callback: bytes in the shared buffer, EOF, or an error. */
  readDone(nread: number): void {
    if (this.stage !== 'open') return;
    if (nread > 0) {
      this.handler?.onBytes(sharedReadBuffer.subarray(0, nread));
      return;
    }
    if (nread === 0) return;
    if (nread === uv().UV_EOF) {
      this.stopReading();
      this.eofReceived = true;
      this.handler?.onEnd();
      this.closeIfDone();
      return;
    }
    this.destroy(uvError(nread, 'read'));
  }

  write(bytes: Uint8Array): boolean {
    if (this.stage === 'closing' || this.stage === 'closed' || this.wantEnd) return true;
    let written = 0;
    if (this.stage === 'open' && this.queue.length === 0 && this.handle.fd >= 0) {
      const result = writeNow(this.handle.fd, bytes);
      if (result instanceof Error) {
        this.destroy(result);
        return true;
      }
      written = result;
      if (written === bytes.length) return true;
    }
    const rest = ownBytes(bytes.subarray(written));
    if (this.queue === NOTHING_QUEUED) this.queue = [];
    this.queue.push(rest);
    this.queuedBytes += rest.length;
    this.flush();
    if (this.queuedBytes < WRITE_HIGH_WATER) return true;
    this.needDrain = true;
    return false;
  }

  /** Hands queued buffers to libuv one at a time: it writes when the socket is writable. */
  private flush(): void {
    while (this.stage === 'open' && !this.writing && this.queue.length > 0) {
      const req = new (uv().WriteWrap)();
      req.oncomplete = onWriteDone;
      req[OWNER] = this;
      const err = this.handle.writeBuffer(req, this.queue[0]);
      if (err) {
        this.destroy(uvError(err, 'write'));
        return;
      }
      if (uv().state[uv().kLastWriteWasAsync]) {
        this.writing = true;
        return;
      }
      this.dequeueWritten();
    }
    if (this.stage === 'open' && this.queue.length === 0) this.drained();
  }

  writeDone(status: number): void {
    if (this.stage !== 'open') return;
    this.writing = false;
    if (status < 0) {
      this.destroy(uvError(status, 'write'));
      return;
    }
    this.dequeueWritten();
    this.flush();
  }

  private dequeueWritten(): void {
    this.queuedBytes -= this.queue.shift()!.length;
    if (this.queue.length === 0) this.queue = NOTHING_QUEUED;
  }

  private drained(): void {
    if (this.wantEnd && !this.shutdownSent) this.finishWriting();
    if (this.needDrain) {
      this.needDrain = false;
      this.handler?.onDrain();
    }
  }

  end(): void {
    if (this.wantEnd || this.stage === 'closing' || this.stage === 'closed') return;
    this.wantEnd = true;
    if (this.stage === 'open' && this.queue.length === 0) this.finishWriting();
  }

  /**
   * FIN. When the peer already sent its own (and so everything it sent was read), close() sends our FIN
   * and ends the connection in one call, as HAProxy does: a shutdown first would only add a syscall.
   */
  private finishWriting(): void {
    if (this.eofReceived) this.destroy();
    else this.sendShutdown();
  }

  private sendShutdown(): void {
    this.shutdownSent = true;
    const req = new (uv().ShutdownWrap)();
    req.oncomplete = onShutdownDone;
    req[OWNER] = this;
    const err = this.handle.shutdown(req);
    if (err) this.shutdownDone(err);
  }

  shutdownDone(status: number): void {
    if (this.stage !== 'open') return;
    this.finSent = true;
    // ENOTCONN: the peer already reset; the read side reports it, or there is nothing left to report.
    if (status < 0 && errorName(status) !== 'ENOTCONN') {
      this.destroy(uvError(status, 'shutdown'));
      return;
    }
    this.closeIfDone();
  }

  /** Both directions finished (FIN sent and received): the connection is over, as a half-open net.Socket would end. */
  private closeIfDone(): void {
    if (this.eofReceived && this.finSent) this.destroy();
  }

  destroy(error?: Error): void {
    if (this.stage === 'closing' || this.stage === 'closed') return;
    if (error && !this.error) this.error = error;
    this.beginClose();
    this.handle.close(() => this.closed());
  }

  reset(): void {
    if (this.stage === 'closing' || this.stage === 'closed') return;
    this.beginClose();
    const err = this.handle.reset(() => this.closed());
    if (err) this.handle.close(() => this.closed());
  }

  private beginClose(): void {
    this.stage = 'closing';
    this.reading = false;
    this.queue = NOTHING_QUEUED;
    this.queuedBytes = 0;
  }

  private closed(): void {
    this.stage = 'closed';
    this.handle[OWNER] = undefined;
    const handler = this.handler;
    this.handler = null;
    handler?.onClose(this.error);
  }

  pause(): void {
    this.paused = true;
    this.stopReading();
  }

  resume(): void {
    this.paused = false;
    if (this.handler) this.startReading();
  }

  /** Connect finished: start reading, write what was queued meanwhile. */
  connectDone(status: number): void {
    if (this.stage !== 'connecting') return;
    if (status < 0) {
      this.stage = 'open';
      this.destroy(uvError(status, 'connect', `${this.targetAddress}:${this.targetPort}`));
      return;
    }
    this.stage = 'open';
    this.handle.setNoDelay(true);
    this.startReading();
    this.flush();
    this.handler?.onConnect();
  }

  /** Starts an outgoing connection to an address (not a name). */
  startConnect(address: string, family: number, port: number): void {
    this.targetAddress = address;
    this.targetPort = port;
    const req = new (uv().TCPConnectWrap)();
    req.oncomplete = onConnectDone;
    req[OWNER] = this;
    const err = family === 6 ? this.handle.connect6(req, address, port) : this.handle.connect(req, address, port);
    if (err) this.connectDone(err);
  }
}

/** Wraps an accepted handle (from a listening handle's onconnection). */
export function acceptedRaw(handle: TcpHandle): RawTcpConnection {
  handle.setNoDelay(true);
  return new RawTcpConnection(handle, false);
}

/**
 * Connects to an address; a host name goes through net.Socket instead, whose connect resolves it and tries each
 * address family in turn (services are nearly always given as addresses, so this costs nothing in practice).
 */
export function connectRaw(host: string, port: number, handler: ConnectionHandler): TcpConnection {
  const family = isIP(host);
  if (!family) return connectNet(host, port, handler);
  const conn = new RawTcpConnection(new (uv().TCP)(uv().SOCKET), true);
  conn.attach(handler);
  conn.startConnect(host, family, port);
  return conn;
}
