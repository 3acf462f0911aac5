// One connection from a client's session to a service: queues bytes until connected so a failed connect can be retried elsewhere.
import type * as net from 'node:net';
import type { ServiceSpec } from '../lb/types';
import { connectReading, ownBytes, writeView } from './socketIo';

export type LinkState = 'connecting' | 'open' | 'closed';

export interface LinkCallbacks {
  /** The connect failed before any byte was written: the queued bytes can go to another service. */
  onConnectFailed(link: BackendLink, reason: string): void;
  onOpen(link: BackendLink): void;
  /** `view` is the shared read buffer: valid only during the call (see socketIo.ts). */
  onData(link: BackendLink, view: Buffer): void;
  /** The service sent FIN. */
  onEnd(link: BackendLink): void;
  /** The connection is gone (after open); `error` is set when it broke rather than ended. */
  onClose(link: BackendLink, error: Error | null): void;
}

const LINK = Symbol('backendLink');
type LinkedSocket = net.Socket & { [LINK]: BackendLink };

function onLinkConnect(this: LinkedSocket): void {
  this[LINK].connected();
}
function onLinkData(this: net.Socket, view: Buffer): void {
  (this as LinkedSocket)[LINK].data(view);
}
function onLinkEnd(this: LinkedSocket): void {
  this[LINK].ended();
}
function onLinkError(this: LinkedSocket, err: Error): void {
  this[LINK].failed(err);
}
function onLinkClose(this: LinkedSocket): void {
  this[LINK].closed();
}

export class BackendLink {
  readonly socket: LinkedSocket;
  private connectTimer: NodeJS.Timeout | null;
  state: LinkState = 'connecting';
  private queue: Buffer[] = [];
  private endRequested = false;
  private lastError: Error | null = null;
  /** Destroyed by the session itself: no callbacks, no retry. */
  private discarded = false;

  constructor(
    readonly service: ServiceSpec,
    connectTimeoutMs: number,
    private readonly callbacks: LinkCallbacks,
    /** The user_session this link was decided for (its persistence entry stays pinned while the link is open). */
    readonly session: Uint8Array | null = null,
  ) {
    this.socket = connectReading({ host: service.host, port: service.port, allowHalfOpen: true }, onLinkData) as LinkedSocket;
    this.socket[LINK] = this;
    this.socket.setNoDelay(true);
    // A plain timer, dropped on connect: socket.setTimeout would keep a Timeout and a bound callback per idle link.
    this.connectTimer = setTimeout(() => {
      this.connectTimer = null;
      if (this.state === 'connecting') this.socket.destroy(new Error(`connect timeout after ${connectTimeoutMs} ms`));
    }, connectTimeoutMs);
    // Shared listeners that find the link through the socket: no closures per link (10,000 idle links).
    this.socket.on('connect', onLinkConnect);
    this.socket.on('end', onLinkEnd);
    this.socket.on('error', onLinkError);
    this.socket.on('close', onLinkClose);
  }

  /** Socket events, dispatched by the shared listeners above. */
  connected(): void {
    this.clearConnectTimer();
    this.state = 'open';
    for (const chunk of this.queue) this.socket.write(chunk);
    this.queue = [];
    if (this.endRequested) this.socket.end();
    this.callbacks.onOpen(this);
  }

  data(view: Buffer): void {
    this.callbacks.onData(this, view);
  }

  ended(): void {
    this.callbacks.onEnd(this);
  }

  failed(err: Error): void {
    this.lastError = err;
  }

  closed(): void {
    this.clearConnectTimer();
    if (this.discarded) return;
    const wasConnecting = this.state === 'connecting';
    this.state = 'closed';
    if (wasConnecting) this.callbacks.onConnectFailed(this, this.lastError?.message ?? 'closed while connecting');
    else this.callbacks.onClose(this, this.lastError);
  }

  private clearConnectTimer(): void {
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.connectTimer = null;
  }

  /** Takes a view or owned bytes. Returns false when the caller should wait for `drain` (backpressure). */
  write(bytes: Uint8Array): boolean {
    if (this.state === 'connecting') {
      this.queue.push(ownBytes(bytes));
      return true;
    }
    if (this.state === 'closed') return true;
    return writeView(this.socket, bytes);
  }

  /** Takes the bytes that never left, for a retry on another service. */
  takeQueued(): Buffer[] {
    const q = this.queue;
    this.queue = [];
    return q;
  }

  end(): void {
    if (this.state === 'connecting') this.endRequested = true;
    else if (this.state === 'open') this.socket.end();
  }

  destroy(): void {
    this.discarded = true;
    this.state = 'closed';
    this.queue = [];
    this.socket.destroy();
  }
}
