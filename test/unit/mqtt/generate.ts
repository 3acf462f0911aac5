// Generates random valid CONNECT options (all versions, properties, will, credentials) for round-trip and oracle tests.
import type { ConnectOptions } from '../../../runtime/mqtt/connectEncoder';
import type { ConnectProperties, UserProperty, WillProperties } from '../../../runtime/mqtt/connectPacket';
import type { MqttVersion } from '../../../runtime/mqtt/constants';
import type { Prng } from './prng';

const ALPHABETS: readonly string[][] = [
  [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_/.:'],
  [...'éàüßøжд温度日本🌡😀€'],
];

/** A random valid MQTT string of `length` code points (1- to 4-byte UTF-8, never U+0000). */
export function randomText(rng: Prng, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += rng.pick(rng.chance(0.85) ? ALPHABETS[0] : ALPHABETS[1]);
  return out;
}

function randomLength(rng: Prng): number {
  const r = rng.next();
  if (r < 0.7) return rng.int(1, 23);
  if (r < 0.95) return rng.int(24, 200);
  return rng.int(200, 2000);
}

function userProperties(rng: Prng): UserProperty[] {
  const list: UserProperty[] = [];
  const n = rng.int(1, 3);
  for (let i = 0; i < n; i++) list.push([randomText(rng, rng.int(0, 8)), randomText(rng, rng.int(0, 8))]);
  return list;
}

function connectProperties(rng: Prng): ConnectProperties {
  const p: ConnectProperties = {};
  if (rng.chance(0.4)) p.sessionExpiryInterval = rng.int(0, 0xffffffff);
  if (rng.chance(0.5)) p.receiveMaximum = rng.int(1, 0xffff);
  if (rng.chance(0.3)) p.maximumPacketSize = rng.int(1, 0xffffffff);
  if (rng.chance(0.3)) p.topicAliasMaximum = rng.int(0, 0xffff);
  if (rng.chance(0.2)) p.requestResponseInformation = rng.int(0, 1);
  if (rng.chance(0.2)) p.requestProblemInformation = rng.int(0, 1);
  if (rng.chance(0.3)) p.userProperties = userProperties(rng);
  if (rng.chance(0.15)) {
    p.authenticationMethod = randomText(rng, rng.int(1, 12));
    if (rng.chance(0.5)) p.authenticationData = rng.bytes(rng.int(0, 16));
  }
  return p;
}

function willProperties(rng: Prng): WillProperties {
  const p: WillProperties = {};
  if (rng.chance(0.4)) p.willDelayInterval = rng.int(0, 0xffffffff);
  if (rng.chance(0.3)) p.payloadFormatIndicator = rng.int(0, 1);
  if (rng.chance(0.3)) p.messageExpiryInterval = rng.int(0, 0xffffffff);
  if (rng.chance(0.3)) p.contentType = randomText(rng, rng.int(0, 10));
  if (rng.chance(0.3)) p.responseTopic = randomText(rng, rng.int(1, 10));
  if (rng.chance(0.3)) p.correlationData = rng.bytes(rng.int(0, 8));
  if (rng.chance(0.2)) p.userProperties = userProperties(rng);
  return p;
}

/** Random options that must encode to a valid CONNECT of `version` (or a random version). */
export function randomConnectOptions(rng: Prng, version: MqttVersion = rng.pick(['3.1', '3.1.1', '5.0'] as const)): ConnectOptions {
  const clean = rng.chance(0.6);
  const emptyAllowed = version === '5.0' || (version === '3.1.1' && clean);
  const clientId = emptyAllowed && rng.chance(0.1) ? '' : randomText(rng, randomLength(rng));
  const opts: ConnectOptions = { version, clientId, clean, keepAlive: rng.int(0, 0xffff) };
  if (rng.chance(0.3)) {
    opts.will = { topic: randomText(rng, rng.int(1, 30)), payload: rng.bytes(rng.int(0, 40)), qos: rng.pick([0, 1, 2] as const), retain: rng.chance(0.5) };
    if (version === '5.0' && rng.chance(0.6)) opts.will.properties = willProperties(rng);
  }
  if (rng.chance(0.3)) {
    opts.username = randomText(rng, rng.int(0, 20));
    if (rng.chance(0.7)) opts.password = rng.bytes(rng.int(0, 20));
  } else if (version === '5.0' && rng.chance(0.1)) {
    opts.password = rng.bytes(rng.int(0, 20));
  }
  if (version === '5.0' && rng.chance(0.7)) opts.properties = connectProperties(rng);
  return opts;
}
