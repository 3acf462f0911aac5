// MQTT 3.1, 3.1.1 and 5.0 clients (MQTT.js and mosquitto_pub) through the LB running examples/mqtt.lua, proven from the broker side.
// peers: mosquitto mosquitto_pub
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { MosquittoBroker } from '../../runtime/cli/brokers/mosquittoProcess';
import { VERSION_NAME, endClient, mqttConnect, mosquittoPub, nextMessage, startBrokers, startLb, type LbUnderTest, type Version } from './helpers/lbHarness';

let brokers: MosquittoBroker[];
let lb: LbUnderTest;

before(async () => {
  brokers = await startBrokers(3);
  lb = await startLb(brokers);
});

after(async () => {
  await lb?.stop();
  await Promise.all((brokers ?? []).map((b) => b.stop()));
});

for (const version of [3, 4, 5] as Version[]) {
  test(`MQTT.js ${VERSION_NAME[version]}: connects through the LB, publishes and receives; the chosen broker sees it`, { timeout: 20_000 }, async () => {
    const clientId = `mqttjs-v${version}-client`;
    const topic = `it/v${version}`;
    const client = await mqttConnect(lb.port, clientId, version);
    try {
      const decision = lb.decisions.find((d) => d.token === clientId);
      assert.ok(decision, 'the LB made a decision on this ClientID');
      assert.equal(decision.persistence, 'new');
      const broker = lb.brokerOf(decision.service);
      const seen = await broker.waitForClient(clientId);
      assert.equal(seen.version, VERSION_NAME[version], 'the broker logs the same protocol version');
      for (const other of brokers.filter((b) => b !== broker)) {
        assert.equal(other.clients.some((c) => c.clientId === clientId), false, 'no other broker saw the client');
      }
      // A subscriber connected straight to the chosen broker receives what the client publishes through the LB.
      const direct = await mqttConnect(broker.port, `direct-${clientId}`, 4);
      await direct.subscribeAsync(topic);
      await client.subscribeAsync(topic);
      const viaDirect = nextMessage(direct, topic);
      const viaLb = nextMessage(client, topic);
      await client.publishAsync(topic, `hello ${version}`);
      assert.equal(await viaDirect, `hello ${version}`);
      assert.equal(await viaLb, `hello ${version}`);
      await endClient(direct);
    } finally {
      await endClient(client);
    }
  });
}

for (const [flag, name] of [['mqttv31', '3.1'], ['mqttv311', '3.1.1'], ['mqttv5', '5.0']] as const) {
  test(`mosquitto_pub -V ${flag}: publishes through the LB and lands on the hashed broker`, { timeout: 20_000 }, async () => {
    const clientId = `mosq-pub-${flag}`;
    const topic = `it/pub/${flag}`;
    const decided = new Promise<string>((resolveDecision) => {
      const off = lb.proxy.on('decision', (d) => {
        if (d.token === clientId) {
          off();
          resolveDecision(d.service!);
        }
      });
    });
    // Subscribers on every broker: only the chosen one may receive the message.
    const subs = await Promise.all(brokers.map((b, i) => mqttConnect(b.port, `watch-${flag}-${i}`, 4)));
    await Promise.all(subs.map((s) => s.subscribeAsync(topic)));
    const got = subs.map(() => false);
    const arrived = subs.map((s, i) => new Promise<void>((resolveArrival) => s.on('message', (t) => {
      if (t !== topic) return;
      got[i] = true;
      resolveArrival();
    })));
    try {
      const { code, stderr } = await mosquittoPub(lb.port, clientId, flag, topic, 'payload');
      assert.equal(code, 0, stderr);
      const broker = lb.brokerOf(await decided);
      assert.equal((await broker.waitForClient(clientId)).version, name);
      const index = brokers.indexOf(broker);
      await arrived[index];
      // Round-trip a marker through every other broker: once it is back, a stray copy of the payload would have arrived too.
      await Promise.all(subs.filter((_, i) => i !== index).map(async (s) => {
        const marker = nextMessage(s, `${topic}/marker`);
        await s.subscribeAsync(`${topic}/marker`);
        await s.publishAsync(`${topic}/marker`, 'm');
        await marker;
      }));
      assert.deepEqual(got, brokers.map((_, i) => i === index), 'only the chosen broker got the message');
    } finally {
      await Promise.all(subs.map((s) => endClient(s)));
    }
  });
}
