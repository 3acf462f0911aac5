// The proxy pipeline with a script double: decisions on first send, pipe both ways, holds, resets, timeouts, passive failure, EOM.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import * as net from 'node:net';
import { LbProxy, type LbProxyOptions } from '../../../runtime/proxy/lbProxy';
import { FakeExtension, connectPacket } from './fakeScript';
import { connectClient, deadPort, nextEvent, receivedUntil, startEchoService, type EchoService } from './harness';

async function setup(n: number, extra: Partial<LbProxyOptions> = {}, script = new FakeExtension()) {
  const services: EchoService[] = [];
  for (let i = 1; i <= n; i++) services.push(await startEchoService(`s${i}`));
  const proxy = new LbProxy({
    services: services.map((s) => ({ id: s.id, host: '127.0.0.1', port: s.port })),
    method: 'USER_TOKEN',
    persistence: 'USERSESSION',
    activeHealthChecks: false,
    script,
    loader: async (source, file) => {
      if (source.includes('syntax error')) throw Object.assign(new Error('bad'), { error: { kind: 'syntax', message: `${file}:3: unexpected symbol`, file, line: 3, traceback: '' } });
      return new FakeExtension({ file });
    },
    ...extra,
  });
  const { port } = await proxy.start();
  const close = async () => {
    await proxy.stop();
    for (const s of services) await s.close();
  };
  return { proxy, port, services, close, script };
}

test('the first send decides, bytes reach the chosen service, then data is piped both ways', async () => {
  const { proxy, port, services, close } = await setup(3);
  try {
    const decision = nextEvent(proxy, 'decision');
    const piped = nextEvent(proxy, 'pipe');
    const c = connectClient(port);
    const connect = connectPacket('alice');
    c.socket.write(connect);
    const d = await decision;
    assert.equal(d.token, 'alice');
    assert.equal(d.persistence, 'new');
    assert.equal((await piped).service, d.service);
    await receivedUntil(c.socket, (all) => all.length >= connect.length);
    c.socket.write('after-pipe');
    await receivedUntil(c.socket, (all) => all.toString('latin1').includes('after-pipe'));
    const chosen = services.find((s) => s.id === d.service)!;
    assert.deepEqual(chosen.received, Buffer.concat([connect, Buffer.from('after-pipe')]));
    assert.equal(services.filter((s) => s.accepted > 0).length, 1, 'only the chosen service got a connection');
    const stats = proxy.stats();
    assert.equal(stats.connections.piped, 1);
    assert.equal(stats.services.find((s) => s.id === d.service)!.activeConnections, 1);
    assert.deepEqual(stats.persistence.entries.map((e) => e.service), [d.service]);
    c.socket.end();
    await c.ended;
  } finally {
    await close();
  }
});

test('a CONNECT written one byte at a time is held, then decided once', async () => {
  const { proxy, port, close } = await setup(2);
  try {
    let holds = 0;
    let decisions = 0;
    proxy.on('hold', () => holds++);
    proxy.on('decision', () => decisions++);
    const piped = nextEvent(proxy, 'pipe');
    const c = connectClient(port);
    await c.connected;
    const bytes = connectPacket('split-client');
    for (const b of bytes) {
      c.socket.write(Buffer.from([b]));
      await new Promise((r) => setImmediate(r));
    }
    await piped;
    await receivedUntil(c.socket, (all) => all.equals(bytes));
    assert.ok(holds >= 1, `holds: ${holds}`);
    assert.equal(decisions, 1);
    c.socket.destroy();
  } finally {
    await close();
  }
});

test('the same token always lands on the same service', async () => {
  const { proxy, port, close } = await setup(3, { persistence: 'NONE' });
  try {
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      const decision = nextEvent(proxy, 'decision');
      const c = connectClient(port);
      c.socket.write(connectPacket('sticky'));
      seen.push((await decision).service!);
      c.socket.destroy();
      await c.ended;
    }
    assert.equal(new Set(seen).size, 1);
  } finally {
    await close();
  }
});

test('a script error resets the client with a real RST and nothing reaches a service', async () => {
  const { proxy, port, services, close } = await setup(2);
  try {
    const reset = nextEvent(proxy, 'reset');
    const c = connectClient(port);
    c.socket.write(Buffer.from([0x30, 0x05, 0x00, 0x01, 0x61, 0x62, 0x63]));
    const r = await reset;
    assert.equal(r.reason, 'script-error');
    assert.match(r.message, /fake\.lua:1: Missing MQTT Connect packet/);
    assert.equal((await c.ended).how, 'reset');
    assert.equal(services.reduce((n, s) => n + s.accepted, 0), 0);
  } finally {
    await close();
  }
});

test('a stalled partial first flight is closed at the first-flight timeout', async () => {
  const { proxy, port, close } = await setup(1, { limits: { firstFlightTimeoutMs: 150 } });
  try {
    const closed = nextEvent(proxy, 'close');
    const c = connectClient(port);
    c.socket.write(connectPacket('slow').subarray(0, 5));
    const e = await closed;
    assert.match(e.reason, /first-flight timeout: no ns.send within 150 ms \(5 bytes held\)/);
    assert.equal((await c.ended).received.length, 0);
  } finally {
    await close();
  }
});

test('a first flight larger than the held-bytes limit is refused', async () => {
  const { proxy, port, services, close } = await setup(1, { limits: { maxHeldBytes: 100 } });
  try {
    const reset = nextEvent(proxy, 'reset');
    const c = connectClient(port);
    // Remaining length 1000 announced, 200 bytes given: the script keeps holding.
    c.socket.write(Buffer.concat([Buffer.from([0x10, 0xe8, 0x07, 0x00, 0x04]), Buffer.alloc(200, 0x41)]));
    const r = await reset;
    assert.equal(r.reason, 'first-flight-too-large');
    assert.match(r.message, /more than the limit of 100/);
    assert.equal((await c.ended).how, 'reset');
    assert.equal(services[0].accepted, 0);
  } finally {
    await close();
  }
});

test('a dead service fails passively: marked down, and the client is retried on another', async () => {
  const live = await startEchoService('live');
  const dead = await deadPort();
  const proxy = new LbProxy({
    services: [{ id: 'dead', host: '127.0.0.1', port: dead }, { id: 'live', host: '127.0.0.1', port: live.port }],
    method: 'ROUNDROBIN',
    persistence: 'USERSESSION',
    activeHealthChecks: false,
    script: new FakeExtension(),
    loader: async () => new FakeExtension(),
  });
  const { port } = await proxy.start();
  try {
    const down = nextEvent(proxy, 'service-down');
    const decisions: string[] = [];
    proxy.on('decision', (d) => decisions.push(`${d.service}:${d.persistence}`));
    const c = connectClient(port);
    const bytes = connectPacket('retry-me');
    c.socket.write(bytes);
    assert.match((await down).reason, /connect failed: .*ECONNREFUSED/);
    await receivedUntil(c.socket, (all) => all.equals(bytes));
    assert.deepEqual(decisions, ['dead:new', 'live:rebound']);
    assert.deepEqual(live.received, bytes);
    assert.equal(proxy.stats().services[0].up, false);
    c.socket.destroy();
  } finally {
    await proxy.stop();
    await live.close();
  }
});

test('a service that never completes the handshake fails at the connect timeout, and the client is retried on another', async () => {
  // A listener with a backlog of 1 in a stopped process: once its accept queue is full (two fillers) the kernel drops
  // further SYNs,
  // so a connect neither succeeds nor fails until the proxy's own timeout. (Node reads a backlog of 0 as its default.)
  const silent = spawn(process.execPath, ['-e', "const s = require('net').createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => console.log(s.address().port))"], { stdio: ['ignore', 'pipe', 'inherit'] });
  const live = await startEchoService('live');
  const fillers: net.Socket[] = [];
  let proxy: LbProxy | null = null;
  try {
    const [line] = (await once(silent.stdout!, 'data')) as [Buffer];
    const silentPort = Number(line.toString().trim());
    silent.kill('SIGSTOP');
    for (let i = 0; i < 3; i++) fillers.push(net.connect(silentPort, '127.0.0.1').on('error', () => undefined));
    await new Promise((r) => setTimeout(r, 200));
    proxy = new LbProxy({
      services: [{ id: 'silent', host: '127.0.0.1', port: silentPort }, { id: 'live', host: '127.0.0.1', port: live.port }],
      method: 'ROUNDROBIN',
      persistence: 'USERSESSION',
      activeHealthChecks: false,
      limits: { connectTimeoutMs: 300 },
      script: new FakeExtension(),
      loader: async () => new FakeExtension(),
    });
    const { port } = await proxy.start();
    const down = nextEvent(proxy, 'service-down');
    const decisions: string[] = [];
    proxy.on('decision', (d) => decisions.push(d.service ?? 'none'));
    const c = connectClient(port);
    const bytes = connectPacket('slow-service');
    const sentAt = Date.now();
    c.socket.write(bytes);
    assert.match((await down).reason, /connect timeout after 300 ms/);
    assert.ok(Date.now() - sentAt >= 290, `the timeout passed after ${Date.now() - sentAt} ms, not before its 300`);
    await receivedUntil(c.socket, (all) => all.equals(bytes));
    assert.deepEqual(decisions, ['silent', 'live']);
    c.socket.destroy();
  } finally {
    for (const f of fillers) f.destroy();
    silent.kill('SIGKILL');
    await proxy?.stop();
    await live.close();
  }
});

test('EOM ends a message: the next send makes a new decision', async () => {
  const { proxy, port, services, close } = await setup(2, { method: 'ROUNDROBIN', persistence: 'NONE' }, new FakeExtension({ messageMode: true }));
  try {
    const decided: string[] = [];
    proxy.on('decision', (d) => decided.push(d.service!));
    const c = connectClient(port);
    c.socket.write('one');
    await receivedUntil(c.socket, (all) => all.toString() === 'one');
    c.socket.write('two');
    await receivedUntil(c.socket, (all) => all.toString() === 'two');
    assert.deepEqual(decided, ['s1', 's2']);
    assert.equal(services[0].received.toString(), 'one');
    assert.equal(services[1].received.toString(), 'two');
    c.socket.destroy();
  } finally {
    await close();
  }
});

test('server.on_data, when defined, handles server-to-client bytes', async () => {
  const { port, close } = await setup(1, {}, new FakeExtension({ serverOnData: true }));
  try {
    const c = connectClient(port);
    c.socket.write(connectPacket('abc'));
    const got = await receivedUntil(c.socket, (all) => all.length >= connectPacket('abc').length);
    assert.ok(got.toString('latin1').includes('ABC'));
    c.socket.destroy();
  } finally {
    await close();
  }
});

test('connections beyond the maximum are reset with the reason', async () => {
  const { proxy, port, close } = await setup(1, { limits: { maxConnections: 1 } });
  try {
    const first = connectClient(port);
    await nextEvent(proxy, 'connection');
    const reset = nextEvent(proxy, 'reset');
    const second = connectClient(port);
    const r = await reset;
    assert.equal(r.reason, 'max-connections');
    assert.equal((await second.ended).how, 'reset');
    first.socket.destroy();
  } finally {
    await close();
  }
});

test('hot reload: a bad script is rejected with file:line, a good one serves new connections; piped ones are untouched', async () => {
  const original = new FakeExtension({ file: 'v1.lua' });
  const { proxy, port, close } = await setup(1, {}, original);
  try {
    const c1 = connectClient(port);
    c1.socket.write(connectPacket('early'));
    await nextEvent(proxy, 'pipe');
    const bad = await proxy.reload('syntax error', 'v2.lua');
    assert.equal(bad.ok, false);
    assert.equal(!bad.ok && bad.error.message, 'v2.lua:3: unexpected symbol');
    assert.equal(proxy.scriptFile, 'v1.lua');
    assert.equal((await proxy.reload('fine', 'v3.lua')).ok, true);
    assert.equal(proxy.scriptFile, 'v3.lua');
    assert.equal(original.disposed, false, 'old script stays while a connection uses it');
    const conn = nextEvent(proxy, 'connection');
    const c2 = connectClient(port);
    assert.equal((await conn).script, 'v3.lua');
    c1.socket.write('still-piped');
    await receivedUntil(c1.socket, (all) => all.toString('latin1').endsWith('still-piped'));
    c1.socket.destroy();
    await c1.ended;
    await nextEvent(proxy, 'close', (e) => e.conn === 1).catch(() => undefined);
    assert.equal(original.disposed, true, 'old script released after its last connection');
    c2.socket.destroy();
  } finally {
    await close();
  }
});

test('an engine fault resets only that client, with the reason', async () => {
  const { proxy, port, services, close } = await setup(1, {}, new FakeExtension({ throwOnData: true }));
  try {
    const reset = nextEvent(proxy, 'reset');
    const c = connectClient(port);
    c.socket.write(connectPacket('boom'));
    const r = await reset;
    assert.equal(r.reason, 'script-error');
    assert.match(r.message, /engine failure: wasm instance aborted/);
    assert.equal((await c.ended).how, 'reset');
    assert.equal(services[0].accepted, 0);
  } finally {
    await close();
  }
});

test('no client.on_data: bytes take the native path, decided round-robin without a token', async () => {
  const { proxy, port, services, close } = await setup(2, {}, new FakeExtension({ noClientOnData: true }));
  try {
    const decision = nextEvent(proxy, 'decision');
    const c = connectClient(port);
    c.socket.write('raw bytes');
    const d = await decision;
    assert.equal(d.token, null);
    assert.equal(d.chosenBy, 'ROUNDROBIN');
    await receivedUntil(c.socket, (all) => all.toString() === 'raw bytes');
    assert.equal(services.find((s) => s.id === d.service)!.received.toString(), 'raw bytes');
    c.socket.destroy();
  } finally {
    await close();
  }
});
