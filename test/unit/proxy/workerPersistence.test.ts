// Two LbProxy instances wired as `--workers` wires its processes: a binding made by one is applied by the other, even when their health views differ.
import test from 'node:test';
import assert from 'node:assert/strict';
import { LbProxy } from '../../../runtime/proxy/lbProxy';
import { pickByToken } from '../../../runtime/lb/tokenHash';
import { FakeExtension, connectPacket } from './fakeScript';
import { connectClient, nextEvent, startEchoService, type EchoService } from './harness';

async function twoWorkers(services: EchoService[]) {
  const make = (relay: (session: string, service: string) => void) => new LbProxy({
    services: services.map((s) => ({ id: s.id, host: '127.0.0.1', port: s.port })),
    method: 'USER_TOKEN',
    persistence: 'USERSESSION',
    activeHealthChecks: false,
    script: new FakeExtension(),
    loader: async () => new FakeExtension(),
    onPersistenceBound: relay,
  });
  const workers: LbProxy[] = [];
  // What the primary does over IPC: every binding goes to the other worker.
  workers.push(make((session, service) => workers[1].applyPersistence(session, service)));
  workers.push(make((session, service) => workers[0].applyPersistence(session, service)));
  const ports = [(await workers[0].start()).port, (await workers[1].start()).port];
  return { workers, ports };
}

async function serviceFor(proxy: LbProxy, port: number, clientId: string): Promise<string | null> {
  const decided = nextEvent(proxy, 'decision');
  const c = connectClient(port);
  c.socket.write(connectPacket(clientId));
  const d = await decided;
  c.socket.destroy();
  await c.ended;
  return d.service;
}

test('a binding made by one worker is a persistence hit in the other, though the other would hash elsewhere', async () => {
  const services = [await startEchoService('s1'), await startEchoService('s2'), await startEchoService('s3')];
  const { workers, ports } = await twoWorkers(services);
  try {
    const id = 'sticky-client';
    const owner = pickByToken(new TextEncoder().encode(id), ['s1', 's2', 's3']);
    assert.ok(owner);
    // Worker 0 alone saw the owner fail (passive failure): it binds the client elsewhere.
    workers[0].balancer.markDown(owner, 'test: failed in worker 0 only');
    const first = await serviceFor(workers[0], ports[0], id);
    assert.notEqual(first, owner);
    // Worker 1 still sees the owner up; without the replicated binding it would choose the owner.
    const decided = nextEvent(workers[1], 'decision');
    const c = connectClient(ports[1]);
    c.socket.write(connectPacket(id));
    const d = await decided;
    c.socket.destroy();
    await c.ended;
    assert.equal(d.service, first, 'same service in both workers');
    assert.equal(d.persistence, 'hit');
  } finally {
    for (const w of workers) await w.stop();
    for (const s of services) await s.close();
  }
});

test('applyServiceDown marks a service down once and ignores unknown services', async () => {
  const services = [await startEchoService('s1'), await startEchoService('s2')];
  const { workers } = await twoWorkers(services);
  try {
    const downs: string[] = [];
    workers[1].on('service-down', (e) => downs.push(e.service));
    workers[1].applyServiceDown('s1', 'seen by another worker');
    workers[1].applyServiceDown('s1', 'seen by another worker');
    workers[1].applyServiceDown('nope', 'unknown');
    assert.deepEqual(downs, ['s1']);
    assert.equal(workers[1].balancer.services().find((s) => s.id === 's1')?.up, false);
  } finally {
    for (const w of workers) await w.stop();
    for (const s of services) await s.close();
  }
});
