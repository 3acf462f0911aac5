// One connection from a client's session to a service: queues bytes until connected so a failed connect can be retried elsewhere.
import type { ServiceSpec } from '../lb/types';
import type { Deadline, DeadlineOwner, DeadlineQueue } from './deadlineQueue';
import { ownBytes } from './sharedReadBuffer';
import type { ConnectionHandler, TcpConnection } from './tcpConnection';
import type { TcpTransport } from './tcpTransport';

export type LinkState = 'connecting' | 'open' | 'closed';

/** What a link tells its session (the session is every one of its links' callback object: no closures per link). */
export interface LinkCallbacks {
  /** The connect failed before any byte was written: the queued bytes can go to another service. */
  linkConnectFailed(link: BackendLink, reason: string): void;
  linkOpened(link: BackendLink): void;
  /** `view` is the shared read buffer: valid only during the call (sharedReadBuffer.ts). */
  linkData(link: BackendLink, view: Buffer): void;
  /** The service sent FIN. */
  linkEnded(link: BackendLink): void;
  /** Bytes queued towards the service were written (after a write that returned false). */
  linkDrained(link: BackendLink): void;
  /** The connection is gone (after open); `error` is set when it broke rather than ended. */
  linkClosed(link: BackendLink, error: Error | null): void;
}

export class BackendLink implements ConnectionHandler, DeadlineOwner {
  readonly conn: TcpConnection;
  state: LinkState = 'connecting';
  /** Messages (EOMs) the session sent over this link: what a lost link had taken. */
  messages = 0;
  private connectDeadline: Deadline | null;
  /** Bytes written while connecting (null once connected: an idle link keeps no array). */
  private queue: Buffer[] | null = null;
  private endRequested = false;
  /** Destroyed by the session itself: no callbacks, no retry. */
  private discarded = false;

  constructor(
    readonly service: ServiceSpec,
    private readonly connectTimeoutMs: number,
    connectDeadlines: DeadlineQueue,
    private readonly callbacks: LinkCallbacks,
    transport: TcpTransport,
    /** The persistence key this link was decided for (null without USERSESSION): the entry stays pinned while the link is open. */
    readonly sessionKey: string | null = null,
  ) {
    this.connectDeadline = connectDeadlines.arm(this, connectTimeoutMs);
    this.conn = transport.connect(service.host, service.port, this);
  }

  /** The connect timeout passed. */
  deadlinePassed(): void {
    this.connectDeadline = null;
    if (this.state === 'connecting') this.conn.destroy(new Error(`connect timeout after ${this.connectTimeoutMs} ms`));
  }

  onConnect(): void {
    this.cancelConnectDeadline();
    this.state = 'open';
    const queued = this.queue;
    this.queue = null;
    if (queued) for (const chunk of queued) this.conn.write(chunk);
    if (this.endRequested) this.conn.end();
    this.callbacks.linkOpened(this);
  }

  onBytes(view: Buffer): void {
    this.callbacks.linkData(this, view);
  }

  onEnd(): void {
    this.callbacks.linkEnded(this);
  }

  onDrain(): void {
    this.callbacks.linkDrained(this);
  }

  onClose(error: Error | null): void {
    this.cancelConnectDeadline();
    if (this.discarded) return;
    const wasConnecting = this.state === 'connecting';
    this.state = 'closed';
    if (wasConnecting) this.callbacks.linkConnectFailed(this, error?.message ?? 'closed while connecting');
    else this.callbacks.linkClosed(this, error);
  }

  private cancelConnectDeadline(): void {
    this.connectDeadline?.cancel();
    this.connectDeadline = null;
  }

  /** Takes a view or owned bytes. Returns false when the caller should wait for linkDrained (backpressure). */
  write(bytes: Uint8Array): boolean {
    if (this.state === 'connecting') {
      (this.queue ??= []).push(ownBytes(bytes));
      return true;
    }
    if (this.state === 'closed') return true;
    return this.conn.write(bytes);
  }

  /** Takes the bytes that never left, for a retry on another service. */
  takeQueued(): Buffer[] {
    const q = this.queue ?? [];
    this.queue = null;
    return q;
  }

  end(): void {
    if (this.state === 'connecting') this.endRequested = true;
    else if (this.state === 'open') this.conn.end();
  }

  pause(): void {
    this.conn.pause();
  }

  resume(): void {
    this.conn.resume();
  }

  destroy(): void {
    this.discarded = true;
    this.state = 'closed';
    this.queue = null;
    this.cancelConnectDeadline();
    this.conn.destroy();
  }
}
