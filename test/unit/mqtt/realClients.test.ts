// Cross-checks first flights from real clients (MQTT.js 3.1/3.1.1/5.0, mosquitto_pub -V mqttv31/mqttv311/mqttv5) captured on 127.0.0.1.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';
import test from 'node:test';
import * as mqtt from 'mqtt';
import { decodeConnect } from '../../../runtime/mqtt/connectDecoder';
import type { DecodeResult } from '../../../runtime/mqtt/decodeResult';

interface Capture { port: number; flight: Promise<{ bytes: Buffer; result: DecodeResult }>; server: Server }

/** A throwaway server that keeps the first connection's bytes until the decoder stops saying 'incomplete'. */
async function captureServer(): Promise<Capture> {
  let resolveFlight!: (v: { bytes: Buffer; result: DecodeResult }) => void;
  const flight = new Promise<{ bytes: Buffer; result: DecodeResult }>((r) => { resolveFlight = r; });
  const server = createServer((socket) => {
    let bytes = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      bytes = Buffer.concat([bytes, chunk]);
      const result = decodeConnect(bytes);
      if (result.status !== 'incomplete') {
        resolveFlight({ bytes, result });
        socket.destroy();
      }
    });
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as AddressInfo).port, flight, server };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no CONNECT within ${ms} ms`)), ms); });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function expectOk(result: DecodeResult, version: string, clientId: string) {
  if (result.status !== 'ok') assert.fail(`${result.status}: ${result.status === 'invalid' ? result.error.message : ''}`);
  assert.equal(result.packet.version, version);
  assert.equal(result.packet.clientId, clientId);
  return result.packet;
}

const MQTTJS_CASES = [
  { version: '3.1', options: { protocolVersion: 3 as const, protocolId: 'MQIsdp' as const } },
  { version: '3.1.1', options: { protocolVersion: 4 as const } },
  { version: '5.0', options: { protocolVersion: 5 as const, properties: { receiveMaximum: 33, userProperties: { app: 'studio' } } } },
];

for (const c of MQTTJS_CASES) {
  test(`MQTT.js ${c.version} first flight decodes with its ClientID, will and credentials`, async () => {
    const cap = await captureServer();
    const clientId = `mqttjs-${c.version}-é`;
    const client = mqtt.connect(`mqtt://127.0.0.1:${cap.port}`, {
      ...c.options, clientId, reconnectPeriod: 0, connectTimeout: 5000, keepalive: 42,
      username: 'alice', password: 'secret', will: { topic: 'lwt/x', payload: Buffer.from('gone'), qos: 1, retain: false },
    });
    client.on('error', () => undefined);
    try {
      const { bytes, result } = await withTimeout(cap.flight, 5000, `MQTT.js ${c.version}`);
      const packet = expectOk(result, c.version, clientId);
      assert.equal(packet.keepAlive, 42);
      assert.equal(packet.username, 'alice');
      assert.equal(Buffer.from(packet.password ?? []).toString(), 'secret');
      assert.equal(packet.will?.topic, 'lwt/x');
      if (c.version === '5.0') {
        assert.equal(packet.properties?.receiveMaximum, 33);
        assert.deepEqual(packet.properties?.userProperties, [['app', 'studio']]);
      }
      assert.ok(result.status === 'ok' && result.length <= bytes.length);
    } finally {
      client.end(true);
      cap.server.close();
    }
  });
}

const hasMosquittoPub = spawnSync('mosquitto_pub', ['--help']).error === undefined;

for (const [flag, version] of [['mqttv31', '3.1'], ['mqttv311', '3.1.1'], ['mqttv5', '5.0']] as const) {
  test(`mosquitto_pub -V ${flag} first flight decodes (install mosquitto-clients if missing)`, async () => {
    assert.ok(hasMosquittoPub, 'mosquitto_pub not found: apt-get install mosquitto-clients');
    const cap = await captureServer();
    const clientId = `mosq-${flag}`;
    const args = ['-V', flag, '-h', '127.0.0.1', '-p', String(cap.port), '-i', clientId, '-t', 't', '-m', 'x', '-u', 'bob', '-P', 'pw', '--will-topic', 'wt', '--will-payload', 'bye'];
    if (flag === 'mqttv5') args.push('-D', 'connect', 'session-expiry-interval', '30');
    const child = spawn('mosquitto_pub', args, { stdio: 'ignore' });
    try {
      const { result } = await withTimeout(cap.flight, 5000, `mosquitto_pub ${flag}`);
      const packet = expectOk(result, version, clientId);
      assert.equal(packet.username, 'bob');
      assert.equal(packet.will?.topic, 'wt');
      if (version === '5.0') {
        // mosquitto always sends Receive Maximum in v5: the case the documented mqtt.lua gets wrong
        assert.equal(packet.properties?.receiveMaximum, 20);
        assert.equal(packet.properties?.sessionExpiryInterval, 30);
      }
    } finally {
      if (child.exitCode === null) child.kill();
      cap.server.close();
    }
  });
}
