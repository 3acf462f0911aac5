// The TcpConnection contract, held by both transports (libuv handles and net.Socket) against real loopback peers.
import test from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as net from 'node:net';
import type { ConnectionHandler, TcpConnection } from '../../../runtime/proxy/tcpConnection';
import { tcpTransport, type TransportName } from '../../../runtime/proxy/tcpTransport';
import { deadPort } from './harness';

/** A handler that records everything and lets a test wait for each event. */
class Recorder implements ConnectionHandler {
  bytes = Buffer.alloc(0);
  ended = false;
  connected = false;
  closed: { error: Error | null } | null = null;
  private waiters: (() => void)[] = [];
  onBytes(view: Buffer): void {
    this.bytes = Buffer.concat([this.bytes, view]);
    this.wake();
  }
  onEnd(): void {
    this.ended = true;
    this.wake();
  }
  onDrain(): void {
    this.wake();
  }
  onConnect(): void {
    this.connected = true;
    this.wake();
  }
  onClose(error: Error | null): void {
    assert.equal(this.closed, null, 'onClose comes once');
    this.closed = { error };
    this.wake();
  }
  until(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      const check = () => {
        if (!predicate()) return this.waiters.push(check);
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(check);
    });
  }
  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }
}

async function peerServer(): Promise<{ port: number; next: () => Promise<net.Socket>; close(): Promise<void> }> {
  const server = net.createServer({ allowHalfOpen: true });
  const all: net.Socket[] = [];
  const accepted: net.Socket[] = [];
  const waiting: ((s: net.Socket) => void)[] = [];
  server.on('connection', (s) => {
    all.push(s);
    const waiter = waiting.shift();
    if (waiter) waiter(s);
    else accepted.push(s);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as net.AddressInfo).port,
    next: () => (accepted.length > 0 ? Promise.resolve(accepted.shift()!) : new Promise((resolve) => waiting.push(resolve))),
    close: async () => {
      for (const s of all) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

async function connected(transport: TransportName, port: number, host = '127.0.0.1'): Promise<{ conn: TcpConnection; rec: Recorder }> {
  const rec = new Recorder();
  const conn = tcpTransport(transport).connect(host, port, rec);
  await rec.until(() => rec.connected, 'connect');
  return { conn, rec };
}

for (const transport of ['raw', 'net'] as TransportName[]) {
  test(`${transport}: a refused connect closes with ECONNREFUSED and the address`, async () => {
    const port = await deadPort();
    const rec = new Recorder();
    tcpTransport(transport).connect('127.0.0.1', port, rec);
    await rec.until(() => rec.closed !== null, 'close');
    assert.equal(rec.connected, false);
    assert.equal((rec.closed!.error as NodeJS.ErrnoException).code, 'ECONNREFUSED');
    assert.match(rec.closed!.error!.message, new RegExp(`ECONNREFUSED 127\\.0\\.0\\.1:${port}`));
  });

  test(`${transport}: half-close both ways: the peer's FIN is onEnd, writing still works, then end() closes cleanly`, async () => {
    const peer = await peerServer();
    try {
      const { conn, rec } = await connected(transport, peer.port);
      const remote = await peer.next();
      assert.equal(conn.remotePort, peer.port);
      assert.equal(conn.remoteAddress, '127.0.0.1');
      assert.equal(conn.localPort, remote.remotePort);
      remote.end('bye');
      await rec.until(() => rec.ended, 'onEnd');
      assert.equal(rec.bytes.toString(), 'bye');
      const got: Buffer[] = [];
      remote.on('data', (d) => got.push(d));
      const remoteEnded = once(remote, 'end');
      assert.equal(conn.write(Buffer.from('still writable')), true);
      conn.end();
      await remoteEnded;
      assert.equal(Buffer.concat(got).toString(), 'still writable');
      await rec.until(() => rec.closed !== null, 'close');
      assert.equal(rec.closed!.error, null);
    } finally {
      await peer.close();
    }
  });

  test(`${transport}: reset() closes with an RST the peer sees as ECONNRESET`, async () => {
    const peer = await peerServer();
    try {
      const { conn, rec } = await connected(transport, peer.port);
      const remote = await peer.next();
      const error = new Promise<NodeJS.ErrnoException>((resolve) => remote.on('error', resolve));
      conn.reset();
      assert.equal((await error).code, 'ECONNRESET');
      await rec.until(() => rec.closed !== null, 'close');
    } finally {
      await peer.close();
    }
  });

  test(`${transport}: pause() holds bytes back until resume()`, async () => {
    const peer = await peerServer();
    try {
      const { conn, rec } = await connected(transport, peer.port);
      const remote = await peer.next();
      conn.pause();
      remote.write('held');
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(rec.bytes.length, 0, 'nothing read while paused');
      conn.resume();
      await rec.until(() => rec.bytes.toString() === 'held', 'bytes after resume');
      conn.destroy();
      await rec.until(() => rec.closed !== null, 'close');
    } finally {
      await peer.close();
    }
  });

  test(`${transport}: a host name is resolved before connecting; destroy(error) reports that error`, async () => {
    const peer = await peerServer();
    try {
      const { conn, rec } = await connected(transport, peer.port, 'localhost');
      await peer.next();
      conn.destroy(new Error('done here'));
      await rec.until(() => rec.closed !== null, 'close');
      assert.equal(rec.closed!.error?.message, 'done here');
    } finally {
      await peer.close();
    }
  });
}
