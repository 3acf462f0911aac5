// The piped data path reads every connection into one shared buffer (runtime/proxy/sharedReadBuffer.ts): bytes that cannot be
// written at once must be copied before the next read reuses the buffer. These tests make writes back up while other connections
// read, on both transports (libuv handles and net.Socket).
import test from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import * as net from 'node:net';
import { LbProxy } from '../../../runtime/proxy/lbProxy';
import { acceptedSocketsShareReads } from '../../../runtime/proxy/netTcp';
import type { ConnectionHandler } from '../../../runtime/proxy/tcpConnection';
import { tcpTransport, type TransportName } from '../../../runtime/proxy/tcpTransport';
import { FakeExtension, connectPacket } from './fakeScript';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A service that starts reading only after `stallMs` (so the proxy's writes to it back up), then echoes everything back. */
async function startStallingEcho(stallMs: number): Promise<{ port: number; received: Buffer[]; close(): Promise<void> }> {
  const received: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ pauseOnConnect: true }, (s) => {
    sockets.add(s);
    const index = received.push(Buffer.alloc(0)) - 1;
    s.on('error', () => undefined);
    s.on('data', (d) => {
      received[index] = Buffer.concat([received[index], d]);
      if (!s.write(d)) {
        s.pause();
        s.once('drain', () => s.resume());
      }
    });
    s.on('end', () => s.end());
    setTimeout(() => s.resume(), stallMs);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as net.AddressInfo).port,
    received,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

for (const transport of ['raw', 'net'] as TransportName[]) {
test(`${transport}: many piped connections whose services stall: every byte arrives intact both ways, though all share one read buffer`, async () => {
  const services = [await startStallingEcho(300), await startStallingEcho(300), await startStallingEcho(300)];
  const proxy = new LbProxy({
    services: services.map((s, i) => ({ id: `s${i}`, host: '127.0.0.1', port: s.port })),
    method: 'USER_TOKEN',
    persistence: 'USERSESSION',
    activeHealthChecks: false,
    script: new FakeExtension(),
    loader: async () => new FakeExtension(),
    transport,
  });
  assert.equal(proxy.transport.name, transport, `the ${transport} transport is available on this Node`);
  const { port } = await proxy.start();
  try {
    const clients = 12;
    const payloadBytes = 6 << 20;
    const runs = Array.from({ length: clients }, async (_, i) => {
      const sent = Buffer.concat([connectPacket(`client-${i}`), randomBytes(payloadBytes)]);
      const socket = net.connect({ host: '127.0.0.1', port });
      const chunks: Buffer[] = [];
      let got = 0;
      const echoed = new Promise<Buffer>((resolve, reject) => {
        socket.on('data', (d) => {
          chunks.push(d);
          got += d.length;
          if (got >= sent.length) resolve(Buffer.concat(chunks));
        });
        socket.on('error', reject);
        socket.on('close', () => reject(new Error(`client ${i} closed after ${got} of ${sent.length} echoed bytes`)));
      });
      await once(socket, 'connect');
      // In 64 KiB writes, as an application would: the proxy reads them into the shared buffer while its writes back up.
      for (let off = 0; off < sent.length; off += 65536) socket.write(sent.subarray(off, off + 65536));
      const back = await echoed;
      socket.destroy();
      return { sent, back };
    });
    const results = await Promise.all(runs);
    for (const [i, r] of results.entries()) assert.equal(sha(r.back), sha(r.sent), `client ${i}: the echo differs from what it sent`);
    const sentHashes = new Set(results.map((r) => sha(r.sent)));
    const serviceHashes = services.flatMap((s) => s.received.map(sha));
    assert.equal(serviceHashes.length, clients, 'one service connection per client');
    for (const h of serviceHashes) assert.ok(sentHashes.has(h), 'a service received a stream no client sent');
    if (transport === 'net') assert.ok(acceptedSocketsShareReads(), 'accepted net.Sockets read through the shared buffer on this Node');
  } finally {
    await proxy.stop();
    for (const s of services) await s.close();
  }
});

test(`${transport}: bytes the kernel did not take at once are copied, so changing the source afterwards changes nothing`, async () => {
  const server = net.createServer({ pauseOnConnect: true });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const accepted = once(server, 'connection');
  let drained: () => void = () => undefined;
  let connected: () => void = () => undefined;
  const handler: ConnectionHandler = {
    onBytes: () => undefined,
    onEnd: () => undefined,
    onDrain: () => drained(),
    onConnect: () => connected(),
    onClose: () => undefined,
  };
  const isConnected = new Promise<void>((r) => (connected = r));
  const writer = tcpTransport(transport).connect('127.0.0.1', (server.address() as net.AddressInfo).port, handler);
  await isConnected;
  const [reader] = (await accepted) as [net.Socket];
  try {
    const source = randomBytes(32 << 20);
    const expected = sha(source);
    const isDrained = new Promise<void>((r) => (drained = r));
    // The reader is paused: 32 MiB cannot all fit in loopback's socket buffers, so part of it must be queued.
    assert.equal(writer.write(source), false, 'part of the write was queued (the test needs a partial write)');
    source.fill(0xee);
    const chunks: Buffer[] = [];
    let got = 0;
    const all = new Promise<Buffer>((resolve) => {
      reader.on('data', (d) => {
        chunks.push(d);
        got += d.length;
        if (got >= source.length) resolve(Buffer.concat(chunks));
      });
    });
    reader.resume();
    await isDrained;
    assert.equal(sha(await all), expected);
  } finally {
    writer.destroy();
    reader.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
}
