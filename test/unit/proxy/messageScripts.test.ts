// The proxy with the real engine on message-splitting scripts: one decision per EOM, held remainders never resent, the held-bytes limit with its reason.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadExtension } from '../../../runtime/ns/loadExtension';
import type { LogEntry, LogSettings } from '../../../runtime/ns/types';
import { LbProxy, type LbProxyOptions } from '../../../runtime/proxy/lbProxy';
import { connectClient, nextEvent, receivedUntil, startEchoService, type EchoService } from './harness';

const TUTORIAL = 'test/fixtures/syslog/vendor-tutorial.lua';

async function setup(n: number, extra: Partial<LbProxyOptions> = {}, source = readFileSync(TUTORIAL, 'utf8'), log?: LogSettings) {
  const services: EchoService[] = [];
  for (let i = 1; i <= n; i++) services.push(await startEchoService(`s${i}`));
  const loader = (text: string, file: string) => loadExtension(text, file, { log });
  const proxy = new LbProxy({
    services: services.map((s) => ({ id: s.id, host: '127.0.0.1', port: s.port })),
    method: 'ROUNDROBIN',
    persistence: 'NONE',
    activeHealthChecks: false,
    script: await loader(source, TUTORIAL),
    loader,
    ...extra,
  });
  const { port } = await proxy.start();
  const close = async () => {
    await proxy.stop();
    for (const s of services) await s.close();
  };
  return { proxy, port, services, close };
}

test('the syslog tutorial through the proxy: each message its own decision, the half message held and never resent', async () => {
  const { proxy, port, services, close } = await setup(2);
  try {
    const decided: string[] = [];
    proxy.on('decision', (d) => decided.push(d.service ?? 'none'));
    const c = connectClient(port);
    const held = nextEvent(proxy, 'hold');
    c.socket.write('one\ntwo\nthr');
    assert.equal((await held).heldBytes, 3);
    c.socket.write('ee\n');
    await receivedUntil(c.socket, (all) => all.length === 'one\ntwo\nthree\n'.length);
    assert.deepEqual(decided, ['s1', 's2', 's1']);
    assert.equal(services[0].received.toString(), 'one\nthree\n');
    assert.equal(services[1].received.toString(), 'two\n');
    c.socket.destroy();
  } finally {
    await close();
  }
});

test('a held remainder beyond the limit resets the connection, saying how much was held', async () => {
  const { proxy, port, services, close } = await setup(1, { limits: { maxHeldBytes: 50 } });
  try {
    const c = connectClient(port);
    c.socket.write('first\n');
    await receivedUntil(c.socket, (all) => all.toString() === 'first\n');
    const reset = nextEvent(proxy, 'reset');
    c.socket.write(Buffer.alloc(60, 0x61));
    const r = await reset;
    assert.equal(r.reason, 'first-flight-too-large');
    assert.equal(r.message, 'script held 60 bytes, more than the limit of 50');
    assert.equal((await c.ended).how, 'reset');
    assert.equal(services[0].received.toString(), 'first\n');
  } finally {
    await close();
  }
});

test('after a send, a held remainder plus a chunk over the limit is delivered when the script sends its whole messages', async () => {
  const { services, port, close } = await setup(1, { limits: { maxHeldBytes: 50 } });
  try {
    const c = connectClient(port);
    c.socket.write('first\nsec');
    await receivedUntil(c.socket, (all) => all.toString() === 'first\n');
    // 3 held + 64 new = 67 bytes over a limit of 50, but the script keeps none of them.
    const rest = `ond\n${'a'.repeat(39)}\n${'b'.repeat(19)}\n`;
    c.socket.write(rest);
    await receivedUntil(c.socket, (all) => all.toString() === `sec${rest}`);
    assert.equal(services[0].received.toString(), `first\nsec${rest}`);
    c.socket.destroy();
  } finally {
    await close();
  }
});

test('300 lines in one write: each service gets its lines whole and in order (the sends of a delivery are written once per service)', async () => {
  const { services, port, close } = await setup(2);
  try {
    const c = connectClient(port);
    const lines = Array.from({ length: 300 }, (_, i) => `line ${i}\n`);
    c.socket.write(lines.join(''));
    await receivedUntil(c.socket, (all) => all.length === lines.join('').length);
    assert.equal(services[0].received.toString(), lines.filter((_, i) => i % 2 === 0).join(''));
    assert.equal(services[1].received.toString(), lines.filter((_, i) => i % 2 === 1).join(''));
    assert.deepEqual(services.map((s) => s.accepted), [1, 1]);
    c.socket.destroy();
  } finally {
    await close();
  }
});

test('messages sent before ctxt:close in the same call reach their services before the close', async () => {
  const source = 'function client.on_data(ctxt, payload)\n  for _, m in ipairs({"a\\n", "b\\n", "c\\n"}) do ns.send(ctxt.output, "EOM", {data = m}) end\n  ctxt:close()\nend\n';
  const { services, port, close } = await setup(2, {}, source);
  try {
    const c = connectClient(port);
    c.socket.write('go');
    await c.ended;
    const deadline = Date.now() + 5000;
    while (services[0].received.length + services[1].received.length < 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.equal(services[0].received.toString(), 'a\nc\n');
    assert.equal(services[1].received.toString(), 'b\n');
  } finally {
    await close();
  }
});

test('ns.logger lines name the connection by the proxy\'s number, also after a reload (a new engine counts from 1 again)', async () => {
  const lines: LogEntry[] = [];
  const source = 'function client.on_data(ctxt, payload)\n  ns.logger:info("got %q", payload.data:sub(1))\n  ns.send(ctxt.output, "EOM", {data = payload.data})\nend\n';
  const { proxy, port, close } = await setup(1, {}, source, { level: 'info', sink: (e) => lines.push(e) });
  try {
    const first = connectClient(port);
    first.socket.write('a');
    await receivedUntil(first.socket, (all) => all.toString() === 'a');
    assert.equal((await proxy.reload(source, 'reloaded.lua')).ok, true);
    const second = connectClient(port);
    second.socket.write('b');
    await receivedUntil(second.socket, (all) => all.toString() === 'b');
    assert.deepEqual(lines.map((l) => [l.conn, l.message, l.line]), [[1, 'got "a"', 2], [2, 'got "b"', 2]]);
    first.socket.destroy();
    second.socket.destroy();
  } finally {
    await close();
  }
});
