// The decoder agrees with mqtt-packet (an independent decoder) on 10,000 generated CONNECTs, and on every mutated packet it accepts.
import assert from 'node:assert/strict';
import test from 'node:test';
import * as mqttPacket from 'mqtt-packet';
import { decodeConnect } from '../../../runtime/mqtt/connectDecoder';
import { encodeConnect } from '../../../runtime/mqtt/connectEncoder';
import type { MqttVersion } from '../../../runtime/mqtt/constants';
import { randomConnectOptions } from './generate';
import { Prng } from './prng';

const LEVEL: Record<MqttVersion, number> = { '3.1': 3, '3.1.1': 4, '5.0': 5 };

type OracleResult = { packet: mqttPacket.IConnectPacket } | { error: string } | { incomplete: true };

/** Parses one packet with mqtt-packet (which reads the protocol version from the CONNECT itself). */
function oracle(bytes: Uint8Array): OracleResult {
  const parser = mqttPacket.parser({ protocolVersion: 5 });
  let result: OracleResult = { incomplete: true };
  parser.on('packet', (p: mqttPacket.Packet) => {
    if ('incomplete' in result) result = p.cmd === 'connect' ? { packet: p } : { error: `not connect: ${p.cmd}` };
  });
  parser.on('error', (e: Error) => {
    if ('incomplete' in result) result = { error: e.message };
  });
  parser.parse(Buffer.from(bytes));
  return result;
}

test('10,000 generated valid CONNECTs (3.1, 3.1.1, 5.0): same ClientID, version and fields as mqtt-packet', () => {
  const rng = new Prng(20240501);
  const perVersion: Record<string, number> = { '3.1': 0, '3.1.1': 0, '5.0': 0 };
  for (let i = 0; i < 10_000; i++) {
    const opts = randomConnectOptions(rng);
    const bytes = encodeConnect(opts);
    const ours = decodeConnect(bytes);
    const theirs = oracle(bytes);
    if (ours.status !== 'ok') assert.fail(`case ${i}: ours ${ours.status} ${ours.status === 'invalid' ? ours.error.message : ''}`);
    if (!('packet' in theirs)) assert.fail(`case ${i}: mqtt-packet ${JSON.stringify(theirs)}`);
    const p = theirs.packet;
    assert.equal(ours.packet.clientId, p.clientId, `case ${i} clientId`);
    assert.equal(LEVEL[ours.packet.version], p.protocolVersion, `case ${i} version`);
    assert.equal(ours.packet.protocolName, p.protocolId);
    assert.equal(ours.packet.clean, p.clean);
    assert.equal(ours.packet.keepAlive, p.keepalive);
    assert.equal(ours.packet.username, p.username);
    assert.equal(ours.packet.password ? Buffer.from(ours.packet.password).toString('hex') : undefined, p.password?.toString('hex'));
    assert.equal(ours.packet.will?.topic, p.will?.topic);
    assert.equal(ours.packet.will?.qos, p.will?.qos);
    assert.equal(ours.packet.properties?.receiveMaximum, p.properties?.receiveMaximum);
    assert.equal(ours.packet.properties?.sessionExpiryInterval, p.properties?.sessionExpiryInterval);
    assert.equal(ours.packet.will?.properties?.willDelayInterval, p.will?.properties?.willDelayInterval);
    perVersion[ours.packet.version]++;
  }
  for (const v of Object.keys(perVersion)) assert.ok(perVersion[v] > 3000, `${v}: ${perVersion[v]} cases`);
});

test('whenever a mutated CONNECT still decodes ok, mqtt-packet reads the same ClientID and version', () => {
  const rng = new Prng(77);
  let accepted = 0;
  let rejected = 0;
  for (let i = 0; i < 5000; i++) {
    const bytes = Buffer.from(encodeConnect(randomConnectOptions(rng)));
    const flips = rng.int(1, 3);
    for (let k = 0; k < flips; k++) bytes[rng.int(0, bytes.length - 1)] = rng.int(0, 255);
    const ours = decodeConnect(bytes);
    if (ours.status !== 'ok') {
      rejected++;
      continue;
    }
    const theirs = oracle(bytes.subarray(0, ours.length));
    if (!('packet' in theirs)) assert.fail(`mutation ${i} (${bytes.toString('hex')}): ours ok, mqtt-packet ${JSON.stringify(theirs)}`);
    assert.equal(ours.packet.clientId, theirs.packet.clientId, `mutation ${i}`);
    assert.equal(LEVEL[ours.packet.version], theirs.packet.protocolVersion, `mutation ${i}`);
    accepted++;
  }
  assert.ok(accepted > 500 && rejected > 500, `accepted ${accepted}, rejected ${rejected}`);
});
