// Raw-socket MQTT clients for load tests: time connect-to-CONNACK, stall partial CONNECTs, hold connections, see how each one ended.
import * as net from 'node:net';
import * as mqttPacket from 'mqtt-packet';

export type Version = 3 | 4 | 5;

/** A CONNECT as client libraries send it (mqtt-packet); 5.0 carries a Receive Maximum as mosquitto_pub does. */
export function connectPacket(clientId: string, version: Version = 4): Buffer {
  return mqttPacket.generate({
    cmd: 'connect',
    protocolId: version === 3 ? 'MQIsdp' : 'MQTT',
    protocolVersion: version,
    clientId,
    clean: true,
    keepalive: 60,
    ...(version === 5 ? { properties: { receiveMaximum: 20 } } : {}),
  });
}

export interface ConnackResult {
  ok: boolean;
  /** Connect start to CONNACK (or to the failure). */
  ms: number;
  /** Why it failed: 'reset', 'closed', 'timeout', 'error: ...'. */
  failure: string | null;
  socket: net.Socket;
  /** The client's own port, read at connect (the LB's connection event names it); null when it never connected. */
  localPort: number | null;
  /** Resolves when the socket closes: 'reset' on ECONNRESET, 'closed' otherwise. */
  ended: Promise<'reset' | 'closed'>;
}

/** Connects, sends a CONNECT, resolves at the CONNACK (the socket stays open) or at the failure. */
export function connectForConnack(port: number, clientId: string, version: Version = 4, timeoutMs = 10_000): Promise<ConnackResult> {
  const started = performance.now();
  const socket = net.connect({ host: '127.0.0.1', port });
  let sawReset = false;
  const ended = new Promise<'reset' | 'closed'>((resolve) => socket.once('close', () => resolve(sawReset ? 'reset' : 'closed')));
  return new Promise((resolve) => {
    let settled = false;
    let localPort: number | null = null;
    const settle = (ok: boolean, failure: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ok, ms: performance.now() - started, failure, socket, localPort, ended });
    };
    const timer = setTimeout(() => {
      settle(false, 'timeout');
      socket.destroy();
    }, timeoutMs);
    let received = Buffer.alloc(0);
    socket.setNoDelay(true);
    socket.on('connect', () => {
      localPort = socket.localPort ?? null;
      socket.write(connectPacket(clientId, version));
    });
    socket.on('data', (d: Buffer) => {
      received = Buffer.concat([received, d]);
      if (received.length >= 4 && received[0] === 0x20) settle(received[3] === 0, received[3] === 0 ? null : `CONNACK code ${received[3]}`);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNRESET') sawReset = true;
      settle(false, err.code === 'ECONNRESET' ? 'reset' : `error: ${err.message}`);
    });
    socket.on('close', () => settle(false, sawReset ? 'reset' : 'closed'));
  });
}

/** Opens a connection and writes only the first `bytes` of a CONNECT, then stalls. Resolves once written. */
export async function stallPartialConnect(port: number, clientId: string, bytes: number, version: Version = 4): Promise<{ socket: net.Socket; ended: Promise<'reset' | 'closed'> }> {
  const socket = net.connect({ host: '127.0.0.1', port });
  let sawReset = false;
  socket.on('error', (err: NodeJS.ErrnoException) => { if (err.code === 'ECONNRESET') sawReset = true; });
  const ended = new Promise<'reset' | 'closed'>((resolve) => socket.once('close', () => resolve(sawReset ? 'reset' : 'closed')));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => socket.write(connectPacket(clientId, version).subarray(0, bytes), () => resolve()));
    socket.once('error', reject);
  });
  return { socket, ended };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Runs `task` over `items` with at most `concurrency` in flight. */
export async function pool<T, R>(items: readonly T[], concurrency: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
