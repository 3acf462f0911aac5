// The built-in CONNECT corpus for `protoext-lb check`: named first flights with the expected ClientID or rejection, and their 2-fragment splits.
import type { ErrorCode, MqttVersion } from './constants';
import { encodeConnect, encodeProperties, type ConnectOptions } from './connectEncoder';
import { twoFragmentSplits } from '../protocols/protocol';

export type CorpusExpectation =
  | { status: 'ok'; version: MqttVersion; clientId: string; clientIdHex: string; /** bytes the CONNECT takes */ length: number }
  | { status: 'invalid'; code: ErrorCode };

export interface CorpusCase {
  name: string;
  description: string;
  bytes: Uint8Array;
  expect: CorpusExpectation;
}

const hex = (text: string): Uint8Array => Buffer.from(text.replace(/\s+/g, ''), 'hex');

/** First flights captured from mosquitto_pub 2.0 on this project's machines (-V mqttv31 / mqttv311 / mqttv5). */
export const CAPTURED = {
  mosquittoV31: hex('101b00064d51497364700302003c000d70726f62652d6d717474763331'),
  mosquittoV311: hex('101a00044d5154540402003c000e70726f62652d6d71747476333131'),
  mosquittoV5: hex('101c00044d5154540502003c03210014000c70726f62652d6d7174747635'),
  mosquittoV5WillAuth: hex('103800044d51545405c6003c08110000001e210014000a70726f62652d77696c6c05180000000500027774000362796500047573657200027077'),
} as const;

/** A PUBLISH (QoS 0, topic "t", payload "hi") sent in the same flight as the CONNECT. */
const PUBLISH_311 = hex('3005 0001 74 6869');
const PUBLISH_5 = hex('3006 0001 74 00 6869');

function ok(name: string, description: string, bytes: Uint8Array, version: MqttVersion, clientId: string | Uint8Array, length = bytes.length): CorpusCase {
  const idBytes = typeof clientId === 'string' ? Buffer.from(clientId, 'utf8') : Buffer.from(clientId);
  return { name, description, bytes, expect: { status: 'ok', version, clientId: idBytes.toString('utf8'), clientIdHex: idBytes.toString('hex'), length } };
}

function bad(name: string, description: string, bytes: Uint8Array, code: ErrorCode): CorpusCase {
  return { name, description, bytes, expect: { status: 'invalid', code } };
}

function built(name: string, description: string, opts: ConnectOptions): CorpusCase {
  const id = opts.clientId ?? '';
  return ok(name, description, encodeConnect(opts), opts.version ?? '3.1.1', typeof id === 'string' ? id : Uint8Array.from(id));
}

const concat = (...parts: Uint8Array[]): Uint8Array => Buffer.concat(parts);

/** Every case of the built-in corpus, valid ones first. */
export function builtinCorpus(): CorpusCase[] {
  const long200 = 'long-id-'.padEnd(200, 'x');
  const long16400 = 'huge-id-'.padEnd(16_400, 'y');
  const with311 = encodeConnect({ version: '3.1.1', clientId: 'pub-then-publish' });
  const with5 = encodeConnect({ version: '5.0', clientId: 'v5-then-publish', properties: { receiveMaximum: 20 } });
  return [
    ok('v31-mosquitto', 'mosquitto_pub -V mqttv31 (MQIsdp, level 3)', CAPTURED.mosquittoV31, '3.1', 'probe-mqttv31'),
    ok('v311-mosquitto', 'mosquitto_pub -V mqttv311', CAPTURED.mosquittoV311, '3.1.1', 'probe-mqttv311'),
    ok('v5-mosquitto-receive-maximum', 'mosquitto_pub -V mqttv5: always sends Receive Maximum 20 (properties 03 21 00 14)', CAPTURED.mosquittoV5, '5.0', 'probe-mqttv5'),
    ok('v5-mosquitto-will-auth', 'mosquitto_pub -V mqttv5 with session expiry, will (will delay), user name and password', CAPTURED.mosquittoV5WillAuth, '5.0', 'probe-will'),
    built('v31-will-auth', '3.1 with will QoS 1 retained, user name and password', { version: '3.1', clientId: 'old-client', will: { topic: 'lwt', payload: 'gone', qos: 1, retain: true }, username: 'u', password: 'p' }),
    built('v311-will-auth', '3.1.1 with will QoS 2, user name and password', { version: '3.1.1', clientId: 'dev-42', will: { topic: 'status/dev-42', payload: 'offline', qos: 2 }, username: 'alice', password: 'secret' }),
    built('v5-no-properties', '5.0 with an empty property block (one 00 byte before the ClientID)', { version: '5.0', clientId: 'sensor-1' }),
    built('v5-properties-all', '5.0 with every CONNECT property and repeated user properties', {
      version: '5.0', clientId: 'full-v5', clean: false, keepAlive: 30,
      properties: {
        sessionExpiryInterval: 3600, receiveMaximum: 100, maximumPacketSize: 1_048_576, topicAliasMaximum: 10,
        requestResponseInformation: 1, requestProblemInformation: 0,
        userProperties: [['site', 'paris'], ['site', 'lyon'], ['rack', '7']],
        authenticationMethod: 'SCRAM-SHA-1', authenticationData: Buffer.from('client-first'),
      },
    }),
    built('v5-will-properties', '5.0 with a will carrying every will property', {
      version: '5.0', clientId: 'v5-will', username: 'bob',
      will: { topic: 'lwt/v5', payload: 'bye', qos: 1, properties: { willDelayInterval: 10, payloadFormatIndicator: 1, messageExpiryInterval: 60, contentType: 'text/plain', responseTopic: 'reply/here', correlationData: Buffer.from([1, 2, 3]), userProperties: [['k', 'v']] } },
    }),
    built('v5-password-without-username', '5.0 allows a password without a user name', { version: '5.0', clientId: 'pw-only', password: 'token' }),
    built('v311-empty-id-clean', '3.1.1 empty ClientID with clean session 1 (the broker assigns one)', { version: '3.1.1', clientId: '' }),
    built('v5-empty-id', '5.0 empty ClientID, clean start 0 (allowed: the broker assigns one)', { version: '5.0', clientId: '', clean: false, properties: { receiveMaximum: 20 } }),
    built('v311-long-id-200', '3.1.1 ClientID of 200 bytes: the remaining length takes 2 bytes', { version: '3.1.1', clientId: long200 }),
    built('v5-long-id-300', '5.0 ClientID of 300 bytes with Receive Maximum: 2-byte remaining length', { version: '5.0', clientId: long200 + 'z'.repeat(100), properties: { receiveMaximum: 20 } }),
    built('v311-huge-id-16400', '3.1.1 ClientID of 16,400 bytes: the remaining length takes 3 bytes', { version: '3.1.1', clientId: long16400 }),
    built('v311-utf8-id', '3.1.1 ClientID with multi-byte UTF-8 (2, 3 and 4-byte sequences)', { version: '3.1.1', clientId: 'capteur-é-温度-🌡' }),
    built('v311-control-char-id', '3.1.1 ClientID of control characters (valid UTF-8, allowed though discouraged)', { version: '3.1.1', clientId: '\u0001\u0002\u001b\u007f' }),
    built('v5-utf8-id', '5.0 UTF-8 ClientID with properties', { version: '5.0', clientId: 'ß-ø-ж', properties: { sessionExpiryInterval: 0 } }),
    built('v311-non-minimal-remaining-length', '3.1.1 remaining length on 2 bytes where 1 suffices (accepted, like most brokers)', { version: '3.1.1', clientId: 'nonmin', remainingLengthWidth: 2 }),
    ok('v311-then-publish', '3.1.1 CONNECT followed by a PUBLISH in the same flight', concat(with311, PUBLISH_311), '3.1.1', 'pub-then-publish', with311.length),
    ok('v5-then-publish', '5.0 CONNECT (Receive Maximum) followed by a PUBLISH in the same flight', concat(with5, PUBLISH_5), '5.0', 'v5-then-publish', with5.length),
    ...malformedCases(),
  ];
}

function malformedCases(): CorpusCase[] {
  const base: ConnectOptions = { version: '3.1.1', clientId: 'bad' };
  const v5: ConnectOptions = { version: '5.0', clientId: 'bad5' };
  return [
    bad('not-connect-publish', 'a PUBLISH as the first packet', hex('3005 0001 74 6869'), 'not-connect'),
    bad('bad-header-flags', 'CONNECT with fixed-header flags 0010', encodeConnect({ ...base, headerByte: 0x12 }), 'bad-header-flags'),
    bad('remaining-length-5-bytes', 'remaining length with a 5th byte', hex('10 ff ff ff ff 01'), 'remaining-length-too-long'),
    bad('remaining-length-too-small', 'remaining length 8: the packet ends inside the keep alive', encodeConnect({ ...base, remainingLength: 8 }), 'packet-too-short'),
    bad('bad-protocol-name', 'protocol name "MQTX"', encodeConnect({ ...base, protocolName: 'MQTX' }), 'bad-protocol-name'),
    bad('bad-protocol-level', 'protocol level 6', encodeConnect({ ...base, protocolLevel: 6 }), 'bad-protocol-level'),
    bad('name-level-mismatch', '"MQIsdp" with level 4', encodeConnect({ ...base, protocolName: 'MQIsdp' }), 'protocol-name-level-mismatch'),
    bad('reserved-flag', 'connect flags 0x03 (reserved bit set)', encodeConnect({ ...base, flags: 0x03 }), 'reserved-flag-set'),
    bad('will-qos-3', 'will flag with QoS 3', encodeConnect({ ...base, will: { topic: 't', qos: 3 } }), 'will-qos-invalid'),
    bad('will-qos-without-will', 'will QoS 1 without the will flag', encodeConnect({ ...base, flags: 0x0a }), 'will-qos-without-will'),
    bad('will-retain-without-will', 'will retain without the will flag', encodeConnect({ ...base, flags: 0x22 }), 'will-retain-without-will'),
    bad('v311-password-without-username', '3.1.1 password flag without user name flag', encodeConnect({ ...base, password: 'pw' }), 'password-without-username'),
    bad('v5-property-length-overrun', '5.0 property length 100 in a short packet', encodeConnect({ ...v5, rawPropertyBlock: [100, 0x21, 0, 20] }), 'property-length-overrun'),
    bad('v5-unknown-property', '5.0 property id 0x05', encodeConnect({ ...v5, rawPropertyBlock: [2, 0x05, 0] }), 'unknown-property'),
    bad('v5-property-not-allowed', '5.0 Payload Format Indicator in CONNECT properties', encodeConnect({ ...v5, rawPropertyBlock: [2, 0x01, 1] }), 'property-not-allowed'),
    bad('v5-duplicate-receive-maximum', '5.0 Receive Maximum twice', encodeConnect({ ...v5, rawPropertyBlock: [6, 0x21, 0, 20, 0x21, 0, 30] }), 'duplicate-property'),
    bad('v5-receive-maximum-zero', '5.0 Receive Maximum 0', encodeConnect({ ...v5, properties: { receiveMaximum: 0 } }), 'bad-property-value'),
    bad('client-id-overrun', 'ClientID length 500 in a 20-byte packet', encodeConnect({ ...base, clientId: 'short' }).map((b, i) => (i === 12 ? 0x01 : i === 13 ? 0xf4 : b)), 'string-overrun'),
    bad('client-id-invalid-utf8', 'ClientID bytes ff fe', encodeConnect({ ...base, clientId: [0x69, 0xff, 0xfe] }), 'invalid-utf8'),
    bad('client-id-nul', 'ClientID containing U+0000', encodeConnect({ ...base, clientId: [0x61, 0x00, 0x62] }), 'invalid-utf8'),
    bad('username-invalid-utf8', 'user name with a lone continuation byte', encodeConnect({ ...base, username: [0x80], password: 'x' }), 'invalid-utf8'),
    bad('will-topic-surrogate', 'will topic with an encoded surrogate (ed a0 80)', encodeConnect({ ...base, will: { topic: [0xed, 0xa0, 0x80] } }), 'invalid-utf8'),
    bad('v311-empty-id-persistent', '3.1.1 empty ClientID with clean session 0', encodeConnect({ ...base, clientId: '', clean: false }), 'empty-client-id'),
    bad('v31-empty-id', '3.1 empty ClientID (3.1 requires 1-23 characters)', encodeConnect({ version: '3.1', clientId: '' }), 'empty-client-id'),
    bad('trailing-garbage', '3 bytes after the ClientID inside the remaining length', encodeConnect({ ...base, trailing: [1, 2, 3] }), 'trailing-bytes'),
    bad('v5-will-property-not-allowed', '5.0 Receive Maximum among the will properties', encodeConnect({ ...v5, will: { topic: 't' }, rawWillPropertyBlock: encodeProperties({ receiveMaximum: 5 }) }), 'property-not-allowed'),
  ];
}

// One definition for every protocol's corpus; re-exported where MQTT's tests and tools import it.
export { twoFragmentSplits };

/** The split cases of a corpus case, named '<case>@<cut>', each expecting what the whole case expects. */
export function* splitCases(c: CorpusCase): Generator<{ name: string; chunks: [Uint8Array, Uint8Array]; expect: CorpusExpectation }> {
  let cut = 1;
  for (const chunks of twoFragmentSplits(c.bytes)) yield { name: `${c.name}@${cut++}`, chunks, expect: c.expect };
}
