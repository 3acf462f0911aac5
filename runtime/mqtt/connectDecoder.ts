// The reference MQTT CONNECT decoder (3.1, 3.1.1, 5.0): incremental, strict, and with a byte-by-byte field map.
import { CONNECT_FLAG, PACKET_TYPE, PACKET_TYPE_NAMES, PROTOCOLS, type ProtocolDescriptor } from './constants';
import type { ConnectFlags, ConnectPacket, ConnectProperties, ConnectWill, QoS, WillProperties } from './connectPacket';
import { Cursor, Halt } from './cursor';
import type { DecodeOptions, DecodeResult } from './decodeResult';
import { makeError } from './errors';
import type { FieldMap } from './fields';
import { readPropertyBlock } from './propertyDecoder';
import { readVarInt, varIntWidth } from './varint';
import { readBinaryField, readPrefixed, readStringField } from './wireValues';

export type { DecodeResult, DecodeOk, DecodeIncomplete, DecodeInvalid, DecodeOptions } from './decodeResult';

/**
 * Decodes the CONNECT at the start of `bytes`. Never throws: 'incomplete' says how many more bytes are needed at
 * least, 'ok' how many bytes the CONNECT used (anything after is the next packet), 'invalid' why and where.
 */
export function decodeConnect(bytes: Uint8Array, options: DecodeOptions = {}): DecodeResult {
  const withFields = options.fieldMap !== false;
  const header = decodeFixedHeader(bytes, withFields);
  if (header.status !== 'continue') return header.result;
  const cur = new Cursor(bytes, header.headerLength, header.headerLength + header.remainingLength, withFields);
  cur.fields.push(...header.fields);
  try {
    return decodeVariableHeaderAndPayload(cur);
  } catch (stop) {
    if (stop instanceof Halt) return stop.result;
    throw stop;
  }
}

type FixedHeader =
  | { status: 'continue'; headerLength: number; remainingLength: number; fields: FieldMap }
  | { status: 'done'; result: DecodeResult };

function decodeFixedHeader(bytes: Uint8Array, withFields: boolean): FixedHeader {
  const fields: FieldMap = [];
  if (bytes.length === 0) return { status: 'done', result: { status: 'incomplete', needed: 2, fields } };
  const first = bytes[0];
  const type = first >> 4;
  const flags = first & 0x0f;
  if (withFields) {
    fields.push({ id: 'fixed.type', offset: 0, length: 1, raw: bytes.subarray(0, 1), value: type, label: `Packet type: ${PACKET_TYPE_NAMES[type]} (${type})` });
    fields.push({ id: 'fixed.flags', offset: 0, length: 1, raw: bytes.subarray(0, 1), value: flags, label: `Fixed header flags: ${flags.toString(2).padStart(4, '0')}`, parent: 'fixed.type', mask: 0x0f });
  }
  const invalid = (code: 'not-connect' | 'bad-header-flags' | 'remaining-length-too-long', offset: number, detail: string): FixedHeader =>
    ({ status: 'done', result: { status: 'invalid', error: makeError(code, undefined, offset, detail), fields } });
  if (type !== PACKET_TYPE.CONNECT) {
    return invalid('not-connect', 0, `the first packet must be CONNECT (type 1), got ${PACKET_TYPE_NAMES[type]} (type ${type}, byte 0x${first.toString(16).padStart(2, '0')})`);
  }
  if (flags !== 0) return invalid('bad-header-flags', 0, `CONNECT fixed header flags must be 0000, got ${flags.toString(2).padStart(4, '0')}`);
  const rl = readVarInt(bytes, 1, bytes.length);
  if (rl.status === 'incomplete') return { status: 'done', result: { status: 'incomplete', needed: 1, fields } };
  if (rl.status === 'too-long') {
    return invalid('remaining-length-too-long', 4, 'the remaining length is at most 4 bytes (max 268,435,455); the 4th byte at offset 4 has its continuation bit set');
  }
  if (withFields) {
    const nonMinimal = rl.length > varIntWidth(rl.value);
    const arithmetic = rl.digits.map((d) => `${d.digit}*${d.multiplier}`).join(' + ');
    fields.push({
      id: 'fixed.remainingLength', offset: 1, length: rl.length, raw: bytes.subarray(1, 1 + rl.length), value: rl.value,
      label: `Remaining length: ${rl.value} (${arithmetic})`, digits: rl.digits,
      ...(nonMinimal ? { note: `non-minimal encoding: ${rl.length} bytes where ${varIntWidth(rl.value)} suffice (accepted; MQTT 5.0 [MQTT-1.5.5-1] asks senders for the minimum)` } : {}),
    });
  }
  return { status: 'continue', headerLength: 1 + rl.length, remainingLength: rl.value, fields };
}

function decodeVariableHeaderAndPayload(cur: Cursor): DecodeResult {
  const protocol = readProtocol(cur);
  const flags = readFlags(cur, protocol);
  const keepAliveOffset = cur.pos;
  cur.need(2, 'packet-too-short', 'the keep alive');
  const keepAlive = cur.u16();
  if (cur.mapping) cur.add('keepAlive', keepAliveOffset, 2, keepAlive, `Keep alive: ${keepAlive} s`);

  const properties = protocol.level === 5 ? (readPropertyBlock(cur, 'connect') as ConnectProperties) : undefined;
  const clientId = readStringField(cur, 'clientId', 'client ID');
  if (clientId.span.length === 0) checkEmptyClientId(cur, protocol, flags);

  let will: ConnectWill | undefined;
  if (flags.will) {
    const willProperties = protocol.level === 5 ? (readPropertyBlock(cur, 'will') as WillProperties) : undefined;
    const topic = readStringField(cur, 'will.topic', 'will topic').text;
    const payload = readBinaryField(cur, 'will.payload', 'will payload');
    will = { topic, payload, qos: flags.willQos as QoS, retain: flags.willRetain };
    if (willProperties) will.properties = willProperties;
  }
  const username = flags.username ? readStringField(cur, 'username', 'user name').text : undefined;
  const password = flags.password ? readBinaryField(cur, 'password', 'password') : undefined;

  if (cur.pos < cur.end) {
    const extra = cur.end - cur.pos;
    const seen = Math.min(cur.bytes.length, cur.end) - cur.pos;
    if (seen > 0 && cur.mapping) cur.add('trailing', cur.pos, seen, null, `Trailing bytes inside the remaining length: ${extra}`);
    cur.fail('trailing-bytes', cur.pos, `${extra} byte${extra === 1 ? '' : 's'} left inside the remaining length after the last field the connect flags announce (offset ${cur.pos} to ${cur.end})`);
  }
  const packet: ConnectPacket = {
    version: protocol.version, protocolName: protocol.name, protocolLevel: protocol.level, flags,
    clean: flags.cleanSession, keepAlive, clientId: clientId.text,
    clientIdBytes: cur.bytes.subarray(clientId.span.start, clientId.span.start + clientId.span.length),
  };
  if (properties) packet.properties = properties;
  if (will) packet.will = will;
  if (username !== undefined) packet.username = username;
  if (password !== undefined) packet.password = password;
  return { status: 'ok', packet, length: cur.end, fields: cur.fields };
}

function readProtocol(cur: Cursor): ProtocolDescriptor {
  const lengthOffset = cur.pos;
  cur.need(2, 'packet-too-short', 'the protocol name length');
  const nameLength = (cur.bytes[cur.pos] << 8) | cur.bytes[cur.pos + 1];
  if (nameLength !== 4 && nameLength !== 6) {
    if (cur.mapping) cur.add('protocol.name.length', lengthOffset, 2, nameLength, `Protocol name length: ${nameLength}`);
    cur.fail('bad-protocol-name', lengthOffset, `the protocol name must be "MQTT" (length 4) or "MQIsdp" (length 6), got length ${nameLength}`);
  }
  if (cur.mapping) cur.add('protocol.name.length', lengthOffset, 2, nameLength, `Protocol name length: ${nameLength}`);
  const span = readPrefixed(cur, 'protocol name');
  let name = '';
  for (let i = span.start; i < span.start + span.length; i++) name += String.fromCharCode(cur.bytes[i]);
  if (cur.mapping) cur.add('protocol.name', span.start, span.length, name, `Protocol name: ${JSON.stringify(name)}`);
  if (name !== 'MQTT' && name !== 'MQIsdp') {
    cur.fail('bad-protocol-name', span.start, `the protocol name must be "MQTT" (3.1.1, 5.0) or "MQIsdp" (3.1), got ${JSON.stringify(name)}`);
  }
  const levelOffset = cur.pos;
  cur.need(1, 'packet-too-short', 'the protocol level');
  const level = cur.u8();
  const protocol = PROTOCOLS.find((p) => p.level === level);
  if (cur.mapping) cur.add('protocol.level', levelOffset, 1, level, `Protocol level: ${level}${protocol ? ` (MQTT ${protocol.version})` : ''}`);
  if (!protocol) cur.fail('bad-protocol-level', levelOffset, `protocol level ${level} is not 3 (3.1), 4 (3.1.1) or 5 (5.0)`);
  if (protocol.name !== name) {
    cur.fail('protocol-name-level-mismatch', levelOffset, `protocol level ${level} goes with the name "${protocol.name}", not ${JSON.stringify(name)}`);
  }
  cur.version = protocol.version;
  return protocol;
}

const FLAG_BITS: readonly { id: keyof ConnectFlags; mask: number; label: string }[] = [
  { id: 'username', mask: CONNECT_FLAG.USERNAME, label: 'User name flag' },
  { id: 'password', mask: CONNECT_FLAG.PASSWORD, label: 'Password flag' },
  { id: 'willRetain', mask: CONNECT_FLAG.WILL_RETAIN, label: 'Will retain' },
  { id: 'willQos', mask: CONNECT_FLAG.WILL_QOS_MASK, label: 'Will QoS' },
  { id: 'will', mask: CONNECT_FLAG.WILL, label: 'Will flag' },
  { id: 'cleanSession', mask: CONNECT_FLAG.CLEAN_SESSION, label: 'Clean session' },
  { id: 'reserved', mask: CONNECT_FLAG.RESERVED, label: 'Reserved' },
];

function readFlags(cur: Cursor, protocol: ProtocolDescriptor): ConnectFlags {
  const offset = cur.pos;
  cur.need(1, 'packet-too-short', 'the connect flags');
  const byte = cur.u8();
  const flags: ConnectFlags = {
    username: (byte & CONNECT_FLAG.USERNAME) !== 0,
    password: (byte & CONNECT_FLAG.PASSWORD) !== 0,
    willRetain: (byte & CONNECT_FLAG.WILL_RETAIN) !== 0,
    willQos: (byte & CONNECT_FLAG.WILL_QOS_MASK) >> CONNECT_FLAG.WILL_QOS_SHIFT,
    will: (byte & CONNECT_FLAG.WILL) !== 0,
    cleanSession: (byte & CONNECT_FLAG.CLEAN_SESSION) !== 0,
    reserved: (byte & CONNECT_FLAG.RESERVED) !== 0,
  };
  if (cur.mapping) cur.add('flags', offset, 1, byte, `Connect flags: 0x${byte.toString(16).padStart(2, '0')} (${byte.toString(2).padStart(8, '0')})`);
  for (const bit of FLAG_BITS) {
    const value = flags[bit.id];
    if (cur.mapping) cur.add(`flags.${bit.id}`, offset, 1, value, `${protocol.level === 5 && bit.id === 'cleanSession' ? 'Clean start' : bit.label}: ${String(value)}`, { parent: 'flags', mask: bit.mask });
  }
  if (flags.reserved && protocol.level !== 3) cur.fail('reserved-flag-set', offset, 'the reserved connect flag (bit 0) must be 0');
  if (flags.will && flags.willQos === 3) cur.fail('will-qos-invalid', offset, 'will QoS 3 is not a QoS');
  if (!flags.will && flags.willQos !== 0) cur.fail('will-qos-without-will', offset, `will QoS ${flags.willQos} without the will flag: it must be 0`);
  if (!flags.will && flags.willRetain) cur.fail('will-retain-without-will', offset, 'will retain set without the will flag: it must be 0');
  if (protocol.level === 4 && flags.password && !flags.username) {
    cur.fail('password-without-username', offset, 'the password flag is set without the user name flag');
  }
  return flags;
}

function checkEmptyClientId(cur: Cursor, protocol: ProtocolDescriptor, flags: ConnectFlags): void {
  const offset = cur.pos - 2;
  if (protocol.level === 3) cur.fail('empty-client-id', offset, 'MQTT 3.1 requires a client identifier of 1 to 23 characters; this one is empty');
  if (protocol.level === 4 && !flags.cleanSession) {
    cur.fail('empty-client-id', offset, 'a zero-byte ClientId needs clean session 1; the server must reject it (CONNACK 0x02, identifier rejected)');
  }
}
