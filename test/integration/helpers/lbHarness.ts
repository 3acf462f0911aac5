// Integration fixtures: real mosquitto brokers, the LB running the real engine with examples/mqtt.lua, MQTT.js and mosquitto_pub clients.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as mqtt from 'mqtt';
import { connectPacket, type Version } from '../../fuzz/rawMqttClient';
import { MosquittoBroker } from '../../../runtime/cli/brokers/mosquittoProcess';
import { loadExtension } from '../../../runtime/ns/loadExtension';
import { LbProxy, type LbProxyOptions } from '../../../runtime/proxy/lbProxy';
import type { LbEventMap } from '../../../runtime/proxy/events';

/** The repository root, from out/test/integration/helpers. */
export const REPO = resolve(__dirname, '..', '..', '..', '..');
export const MQTT_LUA = resolve(REPO, 'examples', 'mqtt.lua');

export async function startBrokers(n: number): Promise<MosquittoBroker[]> {
  const brokers: MosquittoBroker[] = [];
  for (let i = 0; i < n; i++) brokers.push(await MosquittoBroker.start());
  return brokers;
}

export interface LbUnderTest {
  proxy: LbProxy;
  port: number;
  brokers: MosquittoBroker[];
  /** The broker behind a service id (`b1`, `b2`, ...). */
  brokerOf(service: string | null): MosquittoBroker;
  decisions: LbEventMap['decision'][];
  resets: LbEventMap['reset'][];
  closes: LbEventMap['close'][];
  stop(): Promise<void>;
}

export async function startLb(brokers: MosquittoBroker[], extra: Partial<LbProxyOptions> = {}): Promise<LbUnderTest> {
  const loader = (source: string, file: string) => loadExtension(source, file);
  const script = await loader(readFileSync(MQTT_LUA, 'utf8'), 'examples/mqtt.lua');
  const proxy = new LbProxy({
    services: brokers.map((b, i) => ({ id: `b${i + 1}`, host: '127.0.0.1', port: b.port })),
    method: 'USER_TOKEN',
    persistence: 'USERSESSION',
    activeHealthChecks: false,
    script,
    loader,
    ...extra,
  });
  const decisions: LbEventMap['decision'][] = [];
  const resets: LbEventMap['reset'][] = [];
  const closes: LbEventMap['close'][] = [];
  proxy.on('decision', (d) => decisions.push(d));
  proxy.on('reset', (r) => resets.push(r));
  proxy.on('close', (c) => closes.push(c));
  const { port } = await proxy.start();
  return {
    proxy,
    port,
    brokers,
    brokerOf: (service) => {
      const i = Number(String(service).slice(1)) - 1;
      if (!(i >= 0 && i < brokers.length)) throw new Error(`no broker for service ${service}`);
      return brokers[i];
    },
    decisions,
    resets,
    closes,
    stop: () => proxy.stop(),
  };
}

export type { Version };
export const VERSION_NAME: Record<Version, '3.1' | '3.1.1' | '5.0'> = { 3: '3.1', 4: '3.1.1', 5: '5.0' };

/** An MQTT.js client connected (CONNACK received) through `port`; no automatic reconnect. */
export async function mqttConnect(port: number, clientId: string, version: Version = 4): Promise<mqtt.MqttClient> {
  const client = mqtt.connect({
    host: '127.0.0.1',
    port,
    clientId,
    protocolVersion: version,
    protocolId: version === 3 ? 'MQIsdp' : 'MQTT',
    reconnectPeriod: 0,
    connectTimeout: 5000,
    clean: true,
  });
  await new Promise<void>((resolveConnect, reject) => {
    client.once('connect', () => resolveConnect());
    client.once('error', reject);
    client.once('close', () => reject(new Error(`client ${clientId} closed before CONNACK`)));
  });
  return client;
}

export async function endClient(client: mqtt.MqttClient): Promise<void> {
  await client.endAsync();
}

/** Resolves with the first message on `topic` (the client must already be subscribed). */
export function nextMessage(client: mqtt.MqttClient, topic: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolveMessage, reject) => {
    const timer = setTimeout(() => reject(new Error(`no message on ${topic} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (t: string, payload: Buffer) => {
      if (t !== topic) return;
      clearTimeout(timer);
      client.off('message', onMessage);
      resolveMessage(payload.toString());
    };
    client.on('message', onMessage);
  });
}

/** Runs mosquitto_pub through the LB; resolves with its exit code and stderr. */
export async function mosquittoPub(port: number, clientId: string, version: 'mqttv31' | 'mqttv311' | 'mqttv5', topic: string, message: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-i', clientId, '-V', version, '-t', topic, '-m', message], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}

/** A CONNECT as a client library would send it (mqtt-packet, an independent encoder). */
export const connectBytes = connectPacket;
