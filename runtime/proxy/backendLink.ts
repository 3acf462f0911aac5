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

export class BackendLink {
  readonly socket: net.Socket;
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
    this.socket = net.connect({ host: service.host, port: service.port, allowHalfOpen: true });
    this.socket.setNoDelay(true);
    this.socket.setTimeout(connectTimeoutMs, () => {
      if (this.state === 'connecting') this.socket.destroy(new Error(`connect timeout after ${connectTimeoutMs} ms`));
    });
    // on, not once: these fire once anyway, and once() allocates a wrapper per link.
    this.socket.on('connect', () => {
      this.socket.setTimeout(0);
      this.state = 'open';
      for (const chunk of this.queue) this.socket.write(chunk);
      this.queue = [];
      if (this.endRequested) this.socket.end();
      this.callbacks.onOpen(this);
    });
    this.socket.on('data', (chunk: Buffer) => this.callbacks.onData(this, chunk));
    this.socket.on('end', () => this.callbacks.onEnd(this));
    this.socket.on('error', (err) => {
      this.lastError = err;
    });
    this.socket.on('close', () => {
      if (this.discarded) return;
      const wasConnecting = this.state === 'connecting';
      this.state = 'closed';
      if (wasConnecting) this.callbacks.onConnectFailed(this, this.lastError?.message ?? 'closed while connecting');
      else this.callbacks.onClose(this, this.lastError);
    });
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
