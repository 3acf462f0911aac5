// Builds any CONNECT (3.1, 3.1.1, 5.0), valid or deliberately not: for tests, samples and the debugger's {mqtt:{...}} launch packet.
import { CONNECT_FLAG, CONNECT_HEADER_BYTE, PROPERTY_BY_NAME, protocolOf, type MqttVersion, type PropertyName } from './constants';
import type { ConnectProperties, UserProperty, WillProperties } from './connectPacket';
import { encodeRemainingLength } from './varint';

export { encodeRemainingLength } from './varint';

/** Bytes given as text (UTF-8 encoded), raw bytes, or a JSON-friendly array of byte values. */
export type BytesLike = string | Uint8Array | readonly number[];

/** A property set as the encoder takes it: binary values may also be text or a byte array (JSON launch configurations). */
export type EncodableProperties<T> = { [K in keyof T]: T[K] extends Uint8Array | undefined ? BytesLike | undefined : T[K] };

export interface WillOptions {
  topic: BytesLike;
  payload?: BytesLike;
  /** 3 is accepted to build malformed packets. */
  qos?: 0 | 1 | 2 | 3;
  retain?: boolean;
  /** 5.0 only; written in the key order given. */
  properties?: EncodableProperties<WillProperties>;
}

export interface ConnectOptions {
  version?: MqttVersion;
  clientId?: BytesLike;
  clean?: boolean;
  keepAlive?: number;
  will?: WillOptions;
  username?: BytesLike;
  password?: BytesLike;
  /** 5.0 only; written in the key order given, user properties in array order. */
  properties?: EncodableProperties<ConnectProperties>;

  // Escape hatches for malformed packets (tests, fuzzing, the debugger):
  /** Replaces the whole fixed-header first byte (default 0x10). */
  headerByte?: number;
  /** Overrides the protocol name / level written (the version still decides the layout). */
  protocolName?: BytesLike;
  protocolLevel?: number;
  /** Replaces the computed connect flags byte; the fields written still follow the options given. */
  flags?: number;
  /** Writes this value as the remaining length instead of the true one. */
  remainingLength?: number;
  /** Encodes the remaining length on this many bytes (non-minimal; 5 gives the malformed over-long form). */
  remainingLengthWidth?: number;
  /** 5.0: the complete CONNECT property block, length included, instead of `properties`. */
  rawPropertyBlock?: BytesLike;
  /** 5.0: the complete will property block, length included, instead of `will.properties`. */
  rawWillPropertyBlock?: BytesLike;
  /** Appended inside the remaining length, after the last field. */
  trailing?: BytesLike;
}

export function toBytes(value: BytesLike): Uint8Array {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (value instanceof Uint8Array) return value;
  return Uint8Array.from(value);
}

/** Builds one CONNECT packet. Defaults: 3.1.1, empty ClientID, clean session, keep alive 60. */
export function encodeConnect(opts: ConnectOptions = {}): Uint8Array {
  const version = opts.version ?? '3.1.1';
  const protocol = protocolOf(version);
  const parts: Uint8Array[] = [];
  parts.push(prefixed(opts.protocolName ?? protocol.name));
  parts.push(Uint8Array.of(opts.protocolLevel ?? protocol.level));
  parts.push(Uint8Array.of(opts.flags ?? connectFlags(opts)));
  parts.push(uint16(opts.keepAlive ?? 60));
  const v5 = protocol.level === 5;
  if (v5) parts.push(opts.rawPropertyBlock !== undefined ? toBytes(opts.rawPropertyBlock) : encodeProperties(opts.properties ?? {}));
  parts.push(prefixed(opts.clientId ?? ''));
  if (opts.will) {
    if (v5) parts.push(opts.rawWillPropertyBlock !== undefined ? toBytes(opts.rawWillPropertyBlock) : encodeProperties(opts.will.properties ?? {}));
    parts.push(prefixed(opts.will.topic));
    parts.push(prefixed(opts.will.payload ?? new Uint8Array(0)));
  }
  if (opts.username !== undefined) parts.push(prefixed(opts.username));
  if (opts.password !== undefined) parts.push(prefixed(opts.password));
  if (opts.trailing !== undefined) parts.push(toBytes(opts.trailing));
  const body = Buffer.concat(parts);
  const remaining = encodeRemainingLength(opts.remainingLength ?? body.length, opts.remainingLengthWidth);
  return Buffer.concat([Uint8Array.of(opts.headerByte ?? CONNECT_HEADER_BYTE), remaining, body]);
}

export function connectFlags(opts: ConnectOptions): number {
  let flags = 0;
  if (opts.clean ?? true) flags |= CONNECT_FLAG.CLEAN_SESSION;
  if (opts.will) {
    flags |= CONNECT_FLAG.WILL | ((opts.will.qos ?? 0) << CONNECT_FLAG.WILL_QOS_SHIFT);
    if (opts.will.retain) flags |= CONNECT_FLAG.WILL_RETAIN;
  }
  if (opts.username !== undefined) flags |= CONNECT_FLAG.USERNAME;
  if (opts.password !== undefined) flags |= CONNECT_FLAG.PASSWORD;
  return flags;
}

/** A property block: variable-byte length, then each property (id + value) in the object's key order. */
export function encodeProperties(props: EncodableProperties<ConnectProperties> | EncodableProperties<WillProperties>): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [key, value] of Object.entries(props) as [string, unknown][]) {
    if (value === undefined) continue;
    const name = (key === 'userProperties' ? 'userProperty' : key) as PropertyName;
    const desc = PROPERTY_BY_NAME.get(name);
    if (!desc) throw new RangeError(`unknown MQTT 5 property ${key}`);
    const values = desc.type === 'utf8pair' ? (value as UserProperty[]) : [value];
    for (const one of values) parts.push(Uint8Array.of(desc.id), encodePropertyValue(desc.type, one, key));
  }
  const block = Buffer.concat(parts);
  return Buffer.concat([encodeRemainingLength(block.length), block]);
}

function encodePropertyValue(type: string, value: unknown, key: string): Uint8Array {
  switch (type) {
    case 'byte': return Uint8Array.of(Number(value));
    case 'uint16': return uint16(Number(value));
    case 'uint32': return uint32(Number(value));
    case 'varint': return encodeRemainingLength(Number(value));
    case 'utf8': return prefixed(value as BytesLike);
    case 'binary': return prefixed(value as BytesLike);
    case 'utf8pair': {
      const [k, v] = value as UserProperty;
      return Buffer.concat([prefixed(k), prefixed(v)]);
    }
    default: throw new RangeError(`cannot encode property ${key} of type ${type}`);
  }
}

function prefixed(value: BytesLike): Uint8Array {
  const bytes = toBytes(value);
  if (bytes.length > 0xffff) throw new RangeError(`a length-prefixed field holds at most 65535 bytes, got ${bytes.length}`);
  return Buffer.concat([uint16(bytes.length), bytes]);
}

function uint16(n: number): Uint8Array {
  return Uint8Array.of((n >> 8) & 0xff, n & 0xff);
}

function uint32(n: number): Uint8Array {
  return Uint8Array.of((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}
