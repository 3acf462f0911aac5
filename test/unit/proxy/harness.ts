// Loopback helpers for proxy tests: recording echo services, event waits with deadlines, clients that report how they ended.
import * as net from 'node:net';
import { once } from 'node:events';
import type { LbEventMap } from '../../../runtime/proxy/events';
import type { LbProxy } from '../../../runtime/proxy/lbProxy';

export interface EchoService {
  id: string;
  port: number;
  accepted: number;
  received: Buffer;
  server: net.Server;
  close(): Promise<void>;
}

/** A TCP service that records what it receives and echoes it back. */
export async function startEchoService(id: string): Promise<EchoService> {
  const sockets = new Set<net.Socket>();
  const svc: EchoService = {
    id,
    port: 0,
    accepted: 0,
    received: Buffer.alloc(0),
    server: net.createServer((s) => {
      svc.accepted++;
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
      s.on('data', (d) => {
        svc.received = Buffer.concat([svc.received, d]);
        s.write(d);
      });
    }),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => svc.server.close(() => r()));
    },
  };
  svc.server.listen(0, '127.0.0.1');
  await once(svc.server, 'listening');
  svc.port = (svc.server.address() as net.AddressInfo).port;
  return svc;
}

/** A port nothing listens on (bound, then released). */
export async function deadPort(): Promise<number> {
  const s = net.createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export function nextEvent<K extends keyof LbEventMap>(
  proxy: LbProxy,
  name: K,
  match: (e: LbEventMap[K]) => boolean = () => true,
  timeoutMs = 5000,
): Promise<LbEventMap[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no "${name}" event within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = proxy.on(name, (e) => {
      if (!match(e)) return;
      clearTimeout(timer);
      off();
      resolve(e);
    });
  });
}

export interface ClientEnd {
  how: 'reset' | 'closed';
  received: Buffer;
}

/** Connects, and resolves when the connection is over: `reset` on ECONNRESET, `closed` on a clean close. */
export function connectClient(port: number): { socket: net.Socket; ended: Promise<ClientEnd>; connected: Promise<void> } {
  const socket = net.connect({ host: '127.0.0.1', port });
  let received = Buffer.alloc(0);
  let how: ClientEnd['how'] = 'closed';
  socket.on('data', (d) => {
    received = Buffer.concat([received, d]);
  });
  socket.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'ECONNRESET') how = 'reset';
  });
  const ended = new Promise<ClientEnd>((resolve) => socket.once('close', () => resolve({ how, received })));
  const connected = once(socket, 'connect').then(() => undefined);
  // A client that is reset before its handshake completes rejects `connected`; tests that do not await it must not crash.
  connected.catch(() => undefined);
  return { socket, ended, connected };
}

/** Resolves once `predicate` holds on data received so far. */
export function receivedUntil(socket: net.Socket, predicate: (all: Buffer) => boolean, timeoutMs = 5000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let all = Buffer.alloc(0);
    const timer = setTimeout(() => reject(new Error(`client did not receive the expected bytes in ${timeoutMs} ms (got ${all.length})`)), timeoutMs);
    const onData = (d: Buffer) => {
      all = Buffer.concat([all, d]);
      if (predicate(all)) {
        clearTimeout(timer);
        socket.off('data', onData);
        resolve(all);
      }
    };
    socket.on('data', onData);
  });
}
