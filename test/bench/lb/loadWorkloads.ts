// The load generator's workloads over raw TCP sockets on loopback: held connection storms, serial connects, piped publish throughput.
import * as net from 'node:net';
import { CONNACK_LENGTH, DISCONNECT, PINGREQ, connectPacket, endsWithPingresp, isConnackAccepted, publishPacket } from './mqttWire';

const HOST = '127.0.0.1';

function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Rejects with `what` after `ms`; every workload is bounded in time. */
function deadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not done within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Opens a socket, sends CONNECT, resolves with the socket once the CONNACK accepted it. */
function handshake(port: number, clientId: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: HOST, port });
    let got: Buffer = Buffer.alloc(0);
    const fail = (why: string) => {
      socket.destroy();
      reject(new Error(`${clientId}: ${why}`));
    };
    socket.once('connect', () => socket.write(connectPacket(clientId)));
    const onData = (chunk: Buffer) => {
      got = got.length === 0 ? chunk : Buffer.concat([got, chunk]);
      if (got.length < CONNACK_LENGTH) return;
      socket.off('data', onData);
      socket.off('close', onClose);
      if (!isConnackAccepted(got)) return fail(`unexpected reply ${got.subarray(0, 8).toString('hex')}`);
      resolve(socket);
    };
    const onClose = () => fail('closed before CONNACK');
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.on('error', () => undefined);
  });
}

/** DISCONNECT, FIN, and resolves when the peer closed too (the proxy forwarded the broker's FIN). */
function closeGracefully(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve();
    socket.once('close', () => resolve());
    socket.end(DISCONNECT);
  });
}

export interface HeldConnections {
  /** Wall time from the first connect to the last CONNACK. */
  elapsedMs: number;
  count: number;
  release(): Promise<void>;
}

/** Opens `count` connections with at most `inFlight` handshakes at a time, and holds them all until `release`. */
export async function openHeld(port: number, count: number, inFlight: number, idPrefix: string, timeoutMs: number): Promise<HeldConnections> {
  const sockets: net.Socket[] = [];
  let next = 0;
  const start = nowMs();
  const lane = async () => {
    while (next < count) {
      const i = next++;
      sockets.push(await handshake(port, `${idPrefix}-${i}`));
    }
  };
  try {
    await deadline(Promise.all(Array.from({ length: Math.min(inFlight, count) }, lane)), timeoutMs, `opening ${count} connections`);
  } catch (err) {
    for (const s of sockets) s.destroy();
    throw err;
  }
  const elapsedMs = nowMs() - start;
  return {
    elapsedMs,
    count: sockets.length,
    release: () => deadline(Promise.all(sockets.map(closeGracefully)).then(() => undefined), timeoutMs, `closing ${count} connections`),
  };
}

/** One connection at a time: milliseconds from connect() to the accepting CONNACK, each. */
export async function serialConnects(port: number, count: number, idPrefix: string, timeoutMs: number): Promise<number[]> {
  const samples: number[] = [];
  const run = async () => {
    for (let i = 0; i < count; i++) {
      const t0 = nowMs();
      const socket = await handshake(port, `${idPrefix}-${i}`);
      samples.push(nowMs() - t0);
      await closeGracefully(socket);
    }
  };
  await deadline(run(), timeoutMs, `${count} serial connects`);
  return samples;
}

/**
 * Writes `totalBytes` of QoS0 publishes of `messageBytes` each on one connection, as fast as the
 * socket drains, then a PINGREQ; the clock stops at the PINGRESP, which the broker sends only after
 * it has read every publish before it. Returns bytes written and the elapsed time.
 */
export async function pipedThroughput(port: number, clientId: string, messageBytes: number, totalBytes: number, timeoutMs: number): Promise<{ bytes: number; elapsedMs: number }> {
  const socket = await handshake(port, clientId);
  const message = publishPacket('bench/throughput', messageBytes);
  const perBlock = Math.max(1, Math.floor((1 << 20) / message.length));
  const block = Buffer.concat(Array.from({ length: perBlock }, () => message));
  const blocks = Math.max(1, Math.round(totalBytes / block.length));
  const run = new Promise<{ bytes: number; elapsedMs: number }>((resolve, reject) => {
    let tail: Buffer = Buffer.alloc(0);
    const start = nowMs();
    socket.on('data', (chunk: Buffer) => {
      tail = Buffer.concat([tail, chunk]).subarray(-2);
      if (endsWithPingresp(tail)) resolve({ bytes: blocks * block.length, elapsedMs: nowMs() - start });
    });
    socket.once('close', () => reject(new Error(`${clientId}: closed during the publish stream`)));
    let written = 0;
    const pump = () => {
      while (written < blocks) {
        written++;
        if (!socket.write(block)) {
          socket.once('drain', pump);
          return;
        }
      }
      socket.write(PINGREQ);
    };
    pump();
  });
  try {
    return await deadline(run, timeoutMs, `${totalBytes} bytes of ${messageBytes}-byte publishes`);
  } finally {
    socket.removeAllListeners('close');
    await closeGracefully(socket);
  }
}
