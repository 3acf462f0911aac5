// Length-prefixed strings and binary data read through a Cursor, with the UTF-8 rules MQTT puts on strings.
import type { Cursor } from './cursor';
import { utf8Clause } from './errors';
import { checkMqttUtf8, type Utf8Problem } from './utf8';

export interface Span {
  /** Offset of the 2-byte length prefix. */
  prefixOffset: number;
  /** Offset of the data itself. */
  start: number;
  length: number;
}

/**
 * Reads a 2-byte length and that many bytes, bounded by `limit` (the packet end, or a property block's end).
 * `onLength` runs as soon as the length is read, so a partial packet's field map already shows it.
 */
export function readPrefixed(cur: Cursor, what: string, limit: number = cur.end, onLength?: (prefixOffset: number, length: number) => void): Span {
  const inBlock = limit !== cur.end;
  const prefixOffset = cur.pos;
  cur.need(2, inBlock ? 'property-length-overrun' : 'packet-too-short', `the length of the ${what}`, limit);
  const length = cur.u16();
  onLength?.(prefixOffset, length);
  const start = cur.pos;
  cur.need(length, inBlock ? 'property-length-overrun' : 'string-overrun', `the ${what} (declared length ${length})`, limit);
  cur.pos += length;
  return { prefixOffset, start, length };
}

/** Decodes bytes already known to be valid UTF-8. */
export function utf8Text(bytes: Uint8Array, start: number, length: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, length).toString('utf8');
}

/** Rejects the span unless it is MQTT-valid UTF-8; `fieldId` picks the clause (ClientID, will topic, username...). */
export function requireUtf8(cur: Cursor, span: Span, fieldId: string, what: string): string {
  const problem = checkMqttUtf8(cur.bytes, span.start, span.start + span.length);
  if (problem) failUtf8(cur, problem, fieldId, what);
  return utf8Text(cur.bytes, span.start, span.length);
}

function failUtf8(cur: Cursor, problem: Utf8Problem, fieldId: string, what: string): never {
  const why = problem.reason === 'null-character' ? 'contains U+0000' : 'is not well-formed UTF-8';
  const byte = cur.bytes[problem.offset].toString(16).padStart(2, '0');
  return cur.fail('invalid-utf8', problem.offset, `the ${what} ${why} (byte 0x${byte} at offset ${problem.offset})`,
    utf8Clause(fieldId, cur.version, problem.reason));
}

/** Reads a length-prefixed UTF-8 field and records '<id>.length' and '<id>' in the field map. */
export function readStringField(cur: Cursor, id: string, what: string): { text: string; span: Span } {
  const span = readPrefixed(cur, what, cur.end, cur.mapping ? lengthField(cur, id, what) : undefined);
  const problem = checkMqttUtf8(cur.bytes, span.start, span.start + span.length);
  if (problem) {
    if (cur.mapping) cur.add(id, span.start, span.length, null, `${capital(what)} (invalid UTF-8)`);
    failUtf8(cur, problem, id, what);
  }
  const text = utf8Text(cur.bytes, span.start, span.length);
  if (cur.mapping) cur.add(id, span.start, span.length, text, `${capital(what)}: ${JSON.stringify(text)}`);
  return { text, span };
}

/** Reads a length-prefixed binary field and records '<id>.length' and '<id>'. */
export function readBinaryField(cur: Cursor, id: string, what: string): Uint8Array {
  const span = readPrefixed(cur, what, cur.end, cur.mapping ? lengthField(cur, id, what) : undefined);
  const data = cur.bytes.subarray(span.start, span.start + span.length);
  if (cur.mapping) cur.add(id, span.start, span.length, data, `${capital(what)}: ${span.length} byte${span.length === 1 ? '' : 's'}`);
  return data;
}

function lengthField(cur: Cursor, id: string, what: string): (offset: number, length: number) => void {
  return (offset, length) => cur.add(`${id}.length`, offset, 2, length, `${capital(what)} length: ${length}`);
}

export function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
