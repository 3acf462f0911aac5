// The proxy with the real engine on message-splitting scripts: one decision per EOM, held remainders never resent, the held-bytes limit with its reason.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadExtension } from '../../../runtime/ns/loadExtension';
import { LbProxy, type LbProxyOptions } from '../../../runtime/proxy/lbProxy';
import { connectClient, nextEvent, receivedUntil, startEchoService, type EchoService } from './harness';

const TUTORIAL = 'test/fixtures/syslog-tutorial.lua';

async function setup(n: number, extra: Partial<LbProxyOptions> = {}) {
  const services: EchoService[] = [];
  for (let i = 1; i <= n; i++) services.push(await startEchoService(`s${i}`));
  const loader = (source: string, file: string) => loadExtension(source, file);
  const proxy = new LbProxy({
    services: services.map((s) => ({ id: s.id, host: '127.0.0.1', port: s.port })),
    method: 'ROUNDROBIN',
    persistence: 'NONE',
    activeHealthChecks: false,
    script: await loader(readFileSync(TUTORIAL, 'utf8'), TUTORIAL),
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
