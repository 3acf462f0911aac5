// What a client session and a backend link need from a TCP connection, whichever transport carries it (rawTcp.ts, netTcp.ts).

/** Events of one connection. Every callback is optional work for the owner; onClose comes exactly once, last. */
export interface ConnectionHandler {
  /** `view` is the process's shared read buffer: valid only during this call; copy what must outlive it. */
  onBytes(view: Buffer): void;
  /** The peer sent FIN (half-close: the connection stays writable until end()). */
  onEnd(): void;
  /** Everything queued was written, after a write() that returned false. */
  onDrain(): void;
  /** An outgoing connection is established. */
  onConnect(): void;
  /** The connection is gone; `error` when it broke (or was destroyed with one) rather than ended. */
  onClose(error: Error | null): void;
}

export interface TcpConnection {
  readonly connecting: boolean;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
  /** Sets the handler and starts reading (an accepted connection reads nothing before). */
  attach(handler: ConnectionHandler): void;
  /** Takes a view or owned bytes (never kept). Returns false when the caller should wait for onDrain. */
  write(bytes: Uint8Array): boolean;
  /** FIN once queued bytes are written. */
  end(): void;
  /** Closes now; queued bytes are dropped. */
  destroy(error?: Error): void;
  /** Closes with a TCP RST. */
  reset(): void;
  pause(): void;
  resume(): void;
}

/** The bytes a connection may queue before write() asks the caller to wait (Node's default writable high-water mark). */
export const WRITE_HIGH_WATER = 16 * 1024;
