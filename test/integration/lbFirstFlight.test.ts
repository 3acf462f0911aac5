// First-flight handling with the real engine and brokers: 1-byte splits, garbage and PUBLISH-first resets, stalls, oversize refusals.
// peers: mosquitto
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import type { MosquittoBroker } from '../../runtime/cli/brokers/mosquittoProcess';
import { connectClient, receivedUntil } from '../unit/proxy/harness';
import { connectBytes, startBrokers, startLb, type LbUnderTest } from './helpers/lbHarness';

let brokers: MosquittoBroker[];
let lb: LbUnderTest;

before(async () => {
  brokers = await startBrokers(2);
  lb = await startLb(brokers, { limits: { firstFlightTimeoutMs: 300, maxHeldBytes: 1024 } });
});

after(async () => {
  await lb?.stop();
  await Promise.all((brokers ?? []).map((b) => b.stop()));
});

/**
 * The close reason of the connection `socket` makes (call right after connectClient): an earlier test's connections
 * may still be closing, so the first 'close' of the proxy need not be this one's. Matched by the client's port.
 */
function closeReasonOf(socket: Socket): Promise<string> {
  const connOfPort = new Map<number, number>();
  // Read at connect: once the proxy has closed it, a socket no longer knows its local port.
  let port: number | undefined;
  socket.once('connect', () => (port = socket.localPort));
  const stopWatching = lb.proxy.on('connection', (e) => connOfPort.set(e.clientPort, e.conn));
  return new Promise((resolve) => {
    const stop = lb.proxy.on('close', (e) => {
      if (port === undefined || connOfPort.get(port) !== e.conn) return;
      stop();
      stopWatching();
      resolve(e.reason);
    });
  });
}

const serviceConnections = () => lb.proxy.stats().services.reduce((n, s) => n + s.totalConnections, 0);

for (const version of [4, 5] as const) {
  test(`a ${version === 5 ? '5.0 (with properties)' : '3.1.1'} CONNECT written one byte at a time gets its CONNACK`, { timeout: 15_000 }, async () => {
    const clientId = `split-v${version}`;
    const bytes = connectBytes(clientId, version);
    const c = connectClient(lb.port);
    await c.connected;
    const connack = receivedUntil(c.socket, (all) => all.length >= 4 && all[0] === 0x20);
    for (const b of bytes) {
      c.socket.write(Buffer.from([b]));
      await new Promise((r) => setImmediate(r));
    }
    const reply = await connack;
    assert.equal(reply[0], 0x20, 'CONNACK');
    const decision = lb.decisions.find((d) => d.token === clientId);
    assert.ok(decision, 'decided on the full ClientID');
    await lb.brokerOf(decision.service).waitForClient(clientId);
    c.socket.destroy();
  });
}

test('garbage is reset with the script\'s reason, and no broker is contacted', { timeout: 10_000 }, async () => {
  const before = serviceConnections();
  const reset = new Promise<string>((resolve) => lb.proxy.once('reset', (r) => resolve(`${r.reason}|${r.message}`)));
  const c = connectClient(lb.port);
  c.socket.write(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
  assert.match(await reset, /^script-error\|.*mqtt\.lua:\d+: .*Missing MQTT Connect packet/);
  assert.equal((await c.ended).how, 'reset');
  assert.equal(serviceConnections(), before);
});

test('a PUBLISH before CONNECT is reset with a logged reason', { timeout: 10_000 }, async () => {
  const before = serviceConnections();
  const reset = new Promise<string>((resolve) => lb.proxy.once('reset', (r) => resolve(r.message)));
  const c = connectClient(lb.port);
  c.socket.write(Buffer.from([0x30, 0x07, 0x00, 0x03, 0x61, 0x2f, 0x62, 0x68, 0x69]));
  assert.match(await reset, /Missing MQTT Connect packet/);
  assert.equal((await c.ended).how, 'reset');
  assert.equal(serviceConnections(), before);
});

test('a stalled partial CONNECT is closed at the first-flight timeout', { timeout: 10_000 }, async () => {
  const started = Date.now();
  const c = connectClient(lb.port);
  const closedEvent = closeReasonOf(c.socket);
  c.socket.write(connectBytes('stalled-client', 5).subarray(0, 9));
  assert.match(await closedEvent, /first-flight timeout: no ns\.send within 300 ms \(9 bytes held\)/);
  const end = await c.ended;
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= 280 && elapsed < 3000, `closed after ${elapsed} ms`);
  assert.equal(end.received.length, 0);
});

test('a first flight larger than the held-bytes limit is refused', { timeout: 10_000 }, async () => {
  const before = serviceConnections();
  const reset = new Promise<string>((resolve) => lb.proxy.once('reset', (r) => resolve(`${r.reason}|${r.message}`)));
  const c = connectClient(lb.port);
  const big = connectBytes('x'.repeat(3000), 4);
  c.socket.write(big.subarray(0, 600));
  c.socket.write(big.subarray(600));
  assert.match(await reset, /^first-flight-too-large\|.*more than the limit of 1024/);
  assert.equal((await c.ended).how, 'reset');
  assert.equal(serviceConnections(), before);
});
