// One connection from a client's session to a service: queues bytes until connected so a failed connect can be retried elsewhere.
import * as net from 'node:net';
import type { ServiceSpec } from '../lb/types';

export type LinkState = 'connecting' | 'open' | 'closed';

export interface LinkCallbacks {
  /** The connect failed before any byte was written: the queued bytes can go to another service. */
  onConnectFailed(link: BackendLink, reason: string): void;
  onOpen(link: BackendLink): void;
  onData(link: BackendLink, chunk: Buffer): void;
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
function onLinkData(this: LinkedSocket, chunk: Buffer): void {
  this[LINK].data(chunk);
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
    this.socket = net.connect({ host: service.host, port: service.port, allowHalfOpen: true }) as LinkedSocket;
    this.socket[LINK] = this;
    this.socket.setNoDelay(true);
    // A plain timer, dropped on connect: socket.setTimeout would keep a Timeout and a bound callback per idle link.
    this.connectTimer = setTimeout(() => {
      this.connectTimer = null;
      if (this.state === 'connecting') this.socket.destroy(new Error(`connect timeout after ${connectTimeoutMs} ms`));
    }, connectTimeoutMs);
    // Shared listeners that find the link through the socket: no closures per link (10,000 idle links).
    this.socket.on('connect', onLinkConnect);
    this.socket.on('data', onLinkData);
    this.socket.on('end', onLinkEnd);
    this.socket.on('error', onLinkError);
    this.socket.on('close', onLinkClose);
  }

  /** Socket events, dispatched by the shared listeners below. */
  connected(): void {
    this.clearConnectTimer();
    this.state = 'open';
    for (const chunk of this.queue) this.socket.write(chunk);
    this.queue = [];
    if (this.endRequested) this.socket.end();
    this.callbacks.onOpen(this);
  }

  data(chunk: Buffer): void {
    this.callbacks.onData(this, chunk);
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

  /** Returns false when the caller should wait for `drain` (backpressure). */
  write(chunk: Uint8Array): boolean {
    if (this.state === 'connecting') {
      this.queue.push(Buffer.from(chunk));
      return true;
    }
    if (this.state === 'closed') return true;
    return this.socket.write(chunk);
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
