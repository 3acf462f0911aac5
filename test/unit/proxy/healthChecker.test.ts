// Active TCP health checks: a service that stops listening goes down after `fall` checks and comes back after `rise`.
import test from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as net from 'node:net';
import { LbProxy } from '../../../runtime/proxy/lbProxy';
import { FakeExtension } from './fakeScript';
import { nextEvent, startEchoService } from './harness';

test('health checks take a closed service down and bring it back when it listens again', { timeout: 15_000 }, async () => {
  const svc = await startEchoService('s1');
  const other = await startEchoService('s2');
  const proxy = new LbProxy({
    services: [{ id: 's1', host: '127.0.0.1', port: svc.port }, { id: 's2', host: '127.0.0.1', port: other.port }],
    method: 'ROUNDROBIN',
    persistence: 'NONE',
    health: { intervalMs: 50, timeoutMs: 500, fall: 2, rise: 2 },
    script: new FakeExtension(),
    loader: async () => new FakeExtension(),
  });
  await proxy.start();
  try {
    const down = nextEvent(proxy, 'service-down');
    await svc.close();
    const d = await down;
    assert.equal(d.service, 's1');
    assert.match(d.reason, /tcp check failed: .*ECONNREFUSED/);
    assert.equal(proxy.stats().services[0].up, false);
    const up = nextEvent(proxy, 'service-up');
    const again = net.createServer((s) => s.destroy()).listen(svc.port, '127.0.0.1');
    await once(again, 'listening');
    assert.equal((await up).service, 's1');
    assert.equal(proxy.stats().services[0].up, true);
    await new Promise<void>((r) => again.close(() => r()));
  } finally {
    await proxy.stop();
    await other.close();
  }
});
