// Seeded first-flight generator: valid CONNECTs of 3.1/3.1.1/5.0, structure-aware mutations of them, random bytes, and random fragmentation.
import { encodeConnect } from '../../runtime/mqtt/connectEncoder';
import { readVarInt } from '../../runtime/mqtt/varint';
import { randomConnectOptions } from '../unit/mqtt/generate';
import type { Prng } from '../unit/mqtt/prng';

export type InputKind = 'valid' | 'mutated' | 'random';

export interface FirstFlight {
  kind: InputKind;
  /** Which mutation made it (for figures and regression file names); '' when none. */
  mutation: string;
  /** The deliveries, in order; their concatenation is the first flight. */
  chunks: Uint8Array[];
}

/** Where the length-carrying fields of a valid CONNECT are (offsets into the packet). */
interface Layout {
  remainingLengthAt: number;
  remainingLengthWidth: number;
  protocolNameLengthAt: number;
  levelAt: number;
  flagsAt: number;
  /** 5.0 only: the property length varint; -1 otherwise. */
  propertyLengthAt: number;
  clientIdLengthAt: number;
}

function layoutOf(packet: Uint8Array): Layout | null {
  const rl = readVarInt(packet, 1, packet.length);
  if (rl.status !== 'ok') return null;
  const width = rl.length;
  const nameLenAt = 1 + width;
  const nameLen = (packet[nameLenAt] << 8) | packet[nameLenAt + 1];
  const levelAt = nameLenAt + 2 + nameLen;
  const flagsAt = levelAt + 1;
  let cursor = flagsAt + 3;
  let propertyLengthAt = -1;
  if (packet[levelAt] === 5) {
    propertyLengthAt = cursor;
    const props = readVarInt(packet, cursor, packet.length);
    if (props.status !== 'ok') return null;
    cursor += props.length + props.value;
  }
  return { remainingLengthAt: 1, remainingLengthWidth: width, protocolNameLengthAt: nameLenAt, levelAt, flagsAt, propertyLengthAt, clientIdLengthAt: cursor };
}

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** Length values that sit on the edges parsers get wrong. */
function edgyLength(rng: Prng, actual: number): number {
  return rng.pick([0, 1, actual - 1, actual + 1, actual + 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0xffff, rng.int(0, 0xffff)]);
}

function setU16(bytes: Uint8Array, at: number, value: number): void {
  if (at + 1 >= bytes.length) return;
  bytes[at] = (value >> 8) & 0xff;
  bytes[at + 1] = value & 0xff;
}

/** A variable byte integer that may be non-minimal, over-long (5 bytes) or unterminated. */
function edgyVarInt(rng: Prng): Uint8Array {
  switch (rng.int(0, 4)) {
    case 0: return Uint8Array.of(0xff, 0xff, 0xff, 0x7f);
    case 1: return Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x01);
    case 2: return Uint8Array.of(0xff, 0xff, 0xff, 0xff);
    case 3: return Uint8Array.of(0x80 | rng.int(0, 127), rng.int(0, 127));
    default: return Uint8Array.of(rng.int(0, 255));
  }
}

type Mutator = (rng: Prng, packet: Uint8Array, layout: Layout) => Uint8Array;

const MUTATORS: Readonly<Record<string, Mutator>> = {
  flipBytes: (rng, p) => {
    const out = p.slice();
    for (let k = rng.int(1, 4); k > 0; k--) out[rng.int(0, out.length - 1)] = rng.int(0, 255);
    return out;
  },
  truncate: (rng, p) => p.slice(0, rng.int(0, p.length - 1)),
  insert: (rng, p) => {
    const at = rng.int(0, p.length);
    return concat(p.subarray(0, at), rng.bytes(rng.int(1, 8)), p.subarray(at));
  },
  delete: (rng, p) => {
    const at = rng.int(0, p.length - 1);
    return concat(p.subarray(0, at), p.subarray(Math.min(p.length, at + rng.int(1, 6))));
  },
  headerByte: (rng, p) => {
    const out = p.slice();
    out[0] = rng.pick([0x11, 0x12, 0x18, 0x1f, 0x20, 0x30, 0x00, 0xe0, rng.int(0, 255)]);
    return out;
  },
  remainingLength: (rng, p, l) => concat(p.subarray(0, 1), edgyVarInt(rng), p.subarray(1 + l.remainingLengthWidth)),
  protocolNameLength: (rng, p, l) => {
    const out = p.slice();
    setU16(out, l.protocolNameLengthAt, edgyLength(rng, (p[l.protocolNameLengthAt] << 8) | p[l.protocolNameLengthAt + 1]));
    return out;
  },
  protocolLevel: (rng, p, l) => {
    const out = p.slice();
    out[l.levelAt] = rng.pick([0, 1, 2, 3, 4, 5, 6, 0x83, 0x84, 0xff]);
    return out;
  },
  connectFlags: (rng, p, l) => {
    const out = p.slice();
    out[l.flagsAt] = rng.int(0, 255);
    return out;
  },
  clientIdLength: (rng, p, l) => {
    const out = p.slice();
    setU16(out, l.clientIdLengthAt, edgyLength(rng, (p[l.clientIdLengthAt] << 8) | p[l.clientIdLengthAt + 1]));
    return out;
  },
  propertyLength: (rng, p, l) => {
    if (l.propertyLengthAt < 0) return MUTATORS.clientIdLength(rng, p, l);
    const old = readVarInt(p, l.propertyLengthAt, p.length);
    const width = old.status === 'ok' ? old.length : 1;
    return concat(p.subarray(0, l.propertyLengthAt), edgyVarInt(rng), p.subarray(l.propertyLengthAt + width));
  },
  trailing: (rng, p) => concat(p, rng.chance(0.5) ? Uint8Array.of(0x30, 0x05, 0x00, 0x01, 0x74, 0x68, 0x69) : rng.bytes(rng.int(1, 40))),
  duplicate: (rng, p) => {
    const at = rng.int(0, p.length - 1);
    const piece = p.subarray(at, Math.min(p.length, at + rng.int(1, 16)));
    return concat(p.subarray(0, at), piece, piece, p.subarray(at + piece.length));
  },
  invalidUtf8: (rng, p, l) => {
    const out = p.slice();
    const at = l.clientIdLengthAt + 2;
    if (at < out.length) out[rng.int(at, out.length - 1)] = rng.pick([0x00, 0xc0, 0xed, 0xff, 0x80]);
    return out;
  },
};

export const MUTATION_NAMES = Object.keys(MUTATORS);

/** Splits a first flight into 1..n deliveries: sometimes whole, sometimes byte by byte, usually random cut points. */
export function fragment(rng: Prng, bytes: Uint8Array): Uint8Array[] {
  if (bytes.length <= 1 || rng.chance(0.3)) return [bytes];
  // Byte by byte only for short flights: a 2,000-byte ClientID one byte a time is quadratic re-parsing, not a new case.
  if (bytes.length <= 300 && rng.chance(0.1)) return Array.from(bytes, (b) => Uint8Array.of(b));
  const cuts = new Set<number>();
  for (let k = rng.int(1, Math.min(6, bytes.length - 1)); k > 0; k--) cuts.add(rng.int(1, bytes.length - 1));
  const sorted = [0, ...[...cuts].sort((a, b) => a - b), bytes.length];
  const chunks: Uint8Array[] = [];
  for (let i = 1; i < sorted.length; i++) chunks.push(bytes.subarray(sorted[i - 1], sorted[i]));
  return chunks;
}

/** The next first flight: 25% valid, 55% mutated valid, 20% random bytes; then fragmented. */
export function nextFirstFlight(rng: Prng): FirstFlight {
  const r = rng.next();
  let kind: InputKind;
  let mutation = '';
  let bytes: Uint8Array;
  if (r < 0.2) {
    kind = 'random';
    bytes = rng.bytes(rng.int(0, 120));
    if (bytes.length > 0 && rng.chance(0.5)) bytes[0] = 0x10;
    if (bytes.length > 1 && rng.chance(0.5)) bytes[1] = rng.int(0, bytes.length);
  } else {
    const packet = encodeConnect(randomConnectOptions(rng));
    const layout = layoutOf(packet);
    if (r < 0.45 || !layout) {
      kind = 'valid';
      bytes = packet;
    } else {
      kind = 'mutated';
      mutation = rng.pick(MUTATION_NAMES);
      bytes = MUTATORS[mutation](rng, packet, layout);
      if (rng.chance(0.15)) {
        const second = rng.pick(MUTATION_NAMES);
        const again = layoutOf(bytes);
        if (again) {
          bytes = MUTATORS[second](rng, bytes, again);
          mutation += `+${second}`;
        }
      }
    }
  }
  return { kind, mutation, chunks: fragment(rng, bytes) };
}
