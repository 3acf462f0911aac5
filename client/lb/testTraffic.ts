// Sends a protocol's test traffic (any bytes) to the local LB on one connection and closes it politely; no `vscode` import.
import * as net from 'node:net';

export interface TestTrafficResult {
  /** The client's local port: the runtime's `connection` event carries it, which ties the LB's decisions to this test. */
  localPort: number;
  bytesSent: number;
  /** Why the send failed (refused, reset), or null. */
  failure: string | null;
  elapsedMs: number;
  /** Ends the connection: a script may hold a partial message and the LB keep the connection open, so the caller closes it once it has seen the decisions. */
  close(): void;
}

/** Writes `deliveries` one after the other (a short pause between, so they arrive as separate TCP segments), then FIN; resolves once all is sent. */
export function sendTestTraffic(host: string, port: number, deliveries: readonly Uint8Array[], timeoutMs = 5000): Promise<TestTrafficResult> {
  const started = Date.now();
  const bytesSent = deliveries.reduce((n, d) => n + d.length, 0);
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setNoDelay(true);
    let localPort = 0;
    let settled = false;
    const finish = (failure: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (failure !== null) socket.destroy();
      resolve({ localPort, bytesSent, failure, elapsedMs: Date.now() - started, close: () => socket.destroy() });
    };
    const timer = setTimeout(() => finish(`could not send within ${timeoutMs} ms`), timeoutMs);
    socket.on('connect', async () => {
      localPort = socket.localPort ?? 0;
      for (const [i, d] of deliveries.entries()) {
        if (i > 0) await new Promise((r) => setTimeout(r, 20));
        socket.write(d);
      }
      socket.end(() => finish(null));
    });
    // Replies (if the script answers the client) are read and dropped; the test is about what the LB decided.
    socket.on('data', () => undefined);
    socket.on('error', (err: NodeJS.ErrnoException) => finish(err.code === 'ECONNRESET' ? 'the LB reset the connection' : err.message));
    socket.on('close', () => finish(null));
  });
}
