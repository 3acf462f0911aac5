// MQTT variable byte integers (remaining length, property lengths): encoding with an optional forced width, and digit-by-digit decoding.
import { VARINT_MAX_BYTES, VARINT_MAX_VALUE, VARINT_MULTIPLIERS } from './constants';
import type { VarIntDigit } from './fields';

/** The minimum number of bytes that encode `value`. */
export function varIntWidth(value: number): number {
  if (value < 128) return 1;
  if (value < 16_384) return 2;
  if (value < 2_097_152) return 3;
  return 4;
}

/**
 * Encodes `value` as a variable byte integer. `width` forces a longer, non-minimal encoding (continuation bytes
 * with 0 digits) and may be 5 to produce the malformed over-long form tests need.
 */
export function encodeRemainingLength(value: number, width?: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > VARINT_MAX_VALUE) {
    throw new RangeError(`remaining length ${value} is outside 0..${VARINT_MAX_VALUE}`);
  }
  const minimal = varIntWidth(value);
  const size = width ?? minimal;
  if (!Number.isInteger(size) || size < minimal || size > VARINT_MAX_BYTES + 1) {
    throw new RangeError(`cannot encode ${value} in ${size} bytes (needs ${minimal}, at most ${VARINT_MAX_BYTES + 1})`);
  }
  const out = new Uint8Array(size);
  let rest = value;
  for (let i = 0; i < size; i++) {
    const digit = rest % 128;
    rest = Math.floor(rest / 128);
    out[i] = digit | (i < size - 1 ? 0x80 : 0);
  }
  return out;
}

export type VarIntRead =
  | { status: 'ok'; value: number; length: number; digits: VarIntDigit[] }
  | { status: 'incomplete'; digits: VarIntDigit[] }
  | { status: 'too-long'; digits: VarIntDigit[] };

/** Reads a variable byte integer at `offset`, stopping at `end` (exclusive). */
export function readVarInt(bytes: Uint8Array, offset: number, end: number): VarIntRead {
  const digits: VarIntDigit[] = [];
  let value = 0;
  for (let i = 0; i < VARINT_MAX_BYTES; i++) {
    const at = offset + i;
    if (at >= end) return { status: 'incomplete', digits };
    const byte = bytes[at];
    const multiplier = VARINT_MULTIPLIERS[i];
    const continues = (byte & 0x80) !== 0;
    digits.push({ offset: at, byte, digit: byte & 0x7f, multiplier, continues });
    value += (byte & 0x7f) * multiplier;
    if (!continues) return { status: 'ok', value, length: i + 1, digits };
  }
  return { status: 'too-long', digits };
}
