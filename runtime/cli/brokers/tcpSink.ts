// An in-process TCP sink on a loopback ephemeral port: the embedded backend when no real server is installed; records what it receives, message by message.
import * as net from 'node:net';
import type { Frame } from '../../protocols';

export class TcpSink {
  /** Each message received, whole (framing included), in arrival order; without a framing, each chunk. */
  readonly messages: Buffer[] = [];
  private readonly sockets = new Set<net.Socket>();

  private constructor(readonly port: number, private readonly server: net.Server) {}

  /** `frame`: the protocol's message framing (null: record chunks as they come). */
  static async start(frame: ((bytes: Uint8Array) => Frame) | null): Promise<TcpSink> {
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const sink = new TcpSink((server.address() as net.AddressInfo).port, server);
    server.on('connection', (socket) => sink.accept(socket, frame));
    return sink;
  }

  private accept(socket: net.Socket, frame: ((bytes: Uint8Array) => Frame) | null): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      if (!frame) {
        this.messages.push(chunk);
        return;
      }
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      for (;;) {
        const f = frame(pending);
        if (pending.length === 0 || f.status === 'incomplete') return;
        if (f.status === 'invalid') {
          // A real server would drop the connection at broken framing; so does the sink.
          socket.destroy();
          return;
        }
        this.messages.push(Buffer.from(pending.subarray(0, f.length)));
        pending = pending.subarray(f.length);
      }
    });
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
