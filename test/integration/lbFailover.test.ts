// Stickiness, broker failure and return with real mosquitto brokers: only the dead broker's clients move, persistence decides on return, entries expire.
// peers: mosquitto
import test from 'node:test';
import assert from 'node:assert/strict';
import { MosquittoBroker } from '../../runtime/cli/brokers/mosquittoProcess';
import { pickByToken } from '../../runtime/lb/tokenHash';
import type { MqttClient } from 'mqtt';
import { endClient, mqttConnect, nextMessage, startBrokers, startLb } from './helpers/lbHarness';

const SERVICES = ['b1', 'b2', 'b3'];

/** A ClientID that USER_TOKEN hashing sends to `service` when all three are up. */
function idFor(service: string, prefix: string): string {
  for (let i = 0; ; i++) {
    const id = `${prefix}-${i}`;
    if (pickByToken(new TextEncoder().encode(id), SERVICES) === service) return id;
  }
}

function closed(client: MqttClient): Promise<void> {
  return new Promise((resolve) => (client.connected ? client.once('close', () => resolve()) : resolve()));
}

test('the same ClientID lands on the same broker across reconnects', { timeout: 30_000 }, async () => {
  const brokers = await startBrokers(3);
  const lb = await startLb(brokers);
  try {
    for (let i = 0; i < 5; i++) {
      const c = await mqttConnect(lb.port, 'sticky-client', 4);
      await endClient(c);
    }
    const mine = lb.decisions.filter((d) => d.token === 'sticky-client');
    assert.equal(mine.length, 5);
    assert.equal(new Set(mine.map((d) => d.service)).size, 1);
    assert.deepEqual(mine.map((d) => d.persistence), ['new', 'hit', 'hit', 'hit', 'hit']);
    const broker = lb.brokerOf(mine[0].service);
    assert.equal(broker.clients.filter((c) => c.clientId === 'sticky-client').length, 5, 'the broker itself saw all 5 connects');
    assert.equal(brokers.filter((b) => b !== broker).some((b) => b.clients.some((c) => c.clientId === 'sticky-client')), false);
  } finally {
    await lb.stop();
    await Promise.all(brokers.map((b) => b.stop()));
  }
});

test('killing a broker moves only its clients; new clients keep connecting through passive failure', { timeout: 30_000 }, async () => {
  const brokers = await startBrokers(3);
  const lb = await startLb(brokers);
  try {
    const ids = SERVICES.flatMap((s) => [idFor(s, `keep-${s}-a`), idFor(s, `keep-${s}-b`)]);
    const clients = new Map<string, MqttClient>();
    for (const id of ids) clients.set(id, await mqttConnect(lb.port, id, 4));
    const victimIds = ids.filter((id) => id.startsWith('keep-b2'));
    const survivors = ids.filter((id) => !id.startsWith('keep-b2'));
    const victimClosed = Promise.all(victimIds.map((id) => closed(clients.get(id)!)));
    await brokers[1].stop('SIGKILL');
    await victimClosed;
    // Survivors are still connected and still work end to end.
    for (const id of survivors) {
      const c = clients.get(id)!;
      assert.equal(c.connected, true, `${id} must stay connected`);
      await c.subscribeAsync(`alive/${id}`);
      const back = nextMessage(c, `alive/${id}`);
      await c.publishAsync(`alive/${id}`, 'yes');
      assert.equal(await back, 'yes');
    }
    // A client whose id hashes to the dead broker: the connect fails, b2 is marked down, the client is retried elsewhere.
    const down = new Promise<string>((resolve) => lb.proxy.once('service-down', (e) => resolve(`${e.service}: ${e.reason}`)));
    const fresh = await mqttConnect(lb.port, idFor('b2', 'fresh'), 5);
    assert.match(await down, /^b2: connect failed: .*ECONNREFUSED/);
    const freshDecisions = lb.decisions.filter((d) => d.token === fresh.options.clientId);
    assert.deepEqual(freshDecisions.map((d) => [d.service, d.persistence]).slice(0, 1), [['b2', 'new']]);
    assert.notEqual(freshDecisions[1].service, 'b2');
    assert.equal(freshDecisions[1].persistence, 'rebound');
    await lb.brokerOf(freshDecisions[1].service).waitForClient(fresh.options.clientId!);
    // The moved clients reconnect fine, on surviving brokers; survivors' services did not change.
    for (const id of victimIds) {
      const c = await mqttConnect(lb.port, id, 4);
      const last = lb.decisions.filter((d) => d.token === id).at(-1)!;
      assert.notEqual(last.service, 'b2');
      assert.equal(last.persistence, 'rebound');
      await endClient(c);
    }
    await endClient(fresh);
    for (const id of survivors) await endClient(clients.get(id)!);
    assert.equal(lb.proxy.stats().services.find((s) => s.id === 'b2')!.up, false);
  } finally {
    await lb.stop();
    await Promise.all(brokers.map((b) => b.stop()));
  }
});

test('when the broker returns, persistence keeps rebound sessions until they expire; then hashing brings them back', { timeout: 30_000 }, async () => {
  const brokers = await startBrokers(3);
  const clock = { now: Date.now() };
  const lb = await startLb(brokers, {
    activeHealthChecks: true,
    health: { intervalMs: 100, timeoutMs: 500, fall: 1, rise: 1 },
    persistenceTimeoutMinutes: 2,
    clock: () => clock.now,
  });
  try {
    const id = idFor('b3', 'returning');
    await endClient(await mqttConnect(lb.port, id, 4));
    const port = brokers[2].port;
    const down = new Promise<void>((resolve) => lb.proxy.once('service-down', () => resolve()));
    await brokers[2].stop();
    await down;
    await endClient(await mqttConnect(lb.port, id, 4));
    const rebound = lb.decisions.filter((d) => d.token === id).at(-1)!;
    assert.equal(rebound.persistence, 'rebound');
    const up = new Promise<string>((resolve) => lb.proxy.once('service-up', (e) => resolve(e.service)));
    brokers[2] = await MosquittoBroker.start({ port });
    assert.equal(await up, 'b3');
    // Documented: USERSESSION persistence wins over hashing while the entry lives (the ADC does the same).
    await endClient(await mqttConnect(lb.port, id, 4));
    const hit = lb.decisions.filter((d) => d.token === id).at(-1)!;
    assert.deepEqual([hit.service, hit.persistence], [rebound.service, 'hit']);
    const entry = lb.proxy.stats().persistence.entries.find((e) => e.session === id)!;
    assert.equal(entry.service, rebound.service);
    assert.equal(entry.expiresAt, clock.now + 2 * 60_000);
    // Idle past the timeout: the entry is gone, and the token hashes back to the returned broker.
    clock.now += 2 * 60_000 + 1;
    assert.equal(lb.proxy.stats().persistence.entries.some((e) => e.session === id), false);
    await endClient(await mqttConnect(lb.port, id, 4));
    const back = lb.decisions.filter((d) => d.token === id).at(-1)!;
    assert.deepEqual([back.service, back.persistence], ['b3', 'new']);
    await brokers[2].waitForClient(id);
  } finally {
    await lb.stop();
    await Promise.all(brokers.map((b) => b.stop()));
  }
});
