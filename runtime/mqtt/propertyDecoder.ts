// Decodes one MQTT 5 property block (CONNECT properties or will properties) through a Cursor, with per-property field entries.
import { PROPERTY_BY_ID, type PropertyDescriptor, type PropertyName } from './constants';
import type { ConnectProperties, UserProperty, WillProperties } from './connectPacket';
import type { Cursor } from './cursor';
import type { FieldValue } from './fields';
import { readVarInt } from './varint';
import { readPrefixed, requireUtf8 } from './wireValues';

export type PropertyBlockKind = 'connect' | 'will';

type PropertyValue = number | string | Uint8Array | UserProperty;
/** Keyed like ConnectProperties/WillProperties: the property name, except the repeatable User Property gathered as 'userProperties'. */
type PropertyBag = Partial<Record<PropertyName | 'userProperties', PropertyValue | UserProperty[]>>;

const BLOCK_CLAUSE: Record<PropertyBlockKind, string> = { connect: 'MQTT 5.0 §3.1.2.11', will: 'MQTT 5.0 §3.1.3.2' };
const BLOCK_NAME: Record<PropertyBlockKind, string> = { connect: 'CONNECT properties', will: 'will properties' };

/**
 * Reads the property length and the properties after it. `idPrefix` is 'properties'/'property' for CONNECT and
 * 'will.properties'/'will.property' for the will.
 */
export function readPropertyBlock(cur: Cursor, kind: PropertyBlockKind): ConnectProperties | WillProperties {
  const prefix = kind === 'connect' ? '' : 'will.';
  const lengthOffset = cur.pos;
  const available = Math.min(cur.bytes.length, cur.end);
  const length = readVarInt(cur.bytes, lengthOffset, available);
  if (length.status === 'incomplete') {
    if (available >= cur.end) cur.fail('packet-too-short', lengthOffset, `the ${BLOCK_NAME[kind]} length runs past the remaining length (offset ${cur.end})`);
    cur.incomplete();
  }
  if (length.status === 'too-long') {
    cur.fail('property-length-overrun', lengthOffset + 3, `the ${BLOCK_NAME[kind]} length is a variable byte integer of more than 4 bytes`, 'MQTT 5.0 §1.5.5');
  }
  cur.pos += length.length;
  if (cur.mapping) cur.add(`${prefix}properties.length`, lengthOffset, length.length, length.value, `${kind === 'connect' ? 'Properties' : 'Will properties'} length: ${length.value}`, {
    digits: length.digits,
    ...(kind === 'connect' ? { note: 'MQTT 5 only: a parser that skips "protocol name + 4 bytes" (as the documented mqtt.lua does) reads this as the ClientID length.' } : {}),
  });
  const blockEnd = cur.pos + length.value;
  if (blockEnd > cur.end) {
    cur.fail('property-length-overrun', lengthOffset, `the ${BLOCK_NAME[kind]} length ${length.value} runs past the remaining length (ends at ${blockEnd}, packet ends at ${cur.end})`, 'MQTT 5.0 §2.2.2.1');
  }
  const bag: PropertyBag = {};
  const seen = new Set<number>();
  while (cur.pos < blockEnd) {
    const idOffset = cur.pos;
    cur.need(1, 'property-length-overrun', 'a property identifier', blockEnd);
    const id = cur.u8();
    const desc = PROPERTY_BY_ID.get(id);
    if (!desc) cur.fail('unknown-property', idOffset, `0x${id.toString(16).padStart(2, '0')} at offset ${idOffset} is not an MQTT 5 property identifier`, 'MQTT 5.0 §2.2.2.2');
    if (!desc.contexts.includes(kind)) {
      cur.fail('property-not-allowed', idOffset, `${desc.label} (0x${id.toString(16).padStart(2, '0')}) at offset ${idOffset} is not allowed in the ${BLOCK_NAME[kind]}`, BLOCK_CLAUSE[kind]);
    }
    if (seen.has(id) && !desc.repeatable) {
      cur.fail('duplicate-property', idOffset, `${desc.label} appears more than once in the ${BLOCK_NAME[kind]} (again at offset ${idOffset}): a Protocol Error`, BLOCK_CLAUSE[kind]);
    }
    seen.add(id);
    const value = readPropertyValue(cur, desc, blockEnd, kind);
    checkPropertyValue(cur, desc, value, idOffset, kind);
    if (cur.mapping) cur.add(`${prefix}property.${desc.name}`, idOffset, cur.pos - idOffset, value as FieldValue, `${desc.label} (0x${id.toString(16).padStart(2, '0')}): ${display(value)}`);
    if (desc.name === 'userProperty') {
      const list = (bag.userProperties as UserProperty[] | undefined) ?? [];
      list.push(value as UserProperty);
      bag.userProperties = list;
    } else {
      bag[desc.name] = value;
    }
  }
  if (bag.authenticationData !== undefined && bag.authenticationMethod === undefined) {
    cur.fail('bad-property-value', lengthOffset, 'Authentication Data without an Authentication Method is a Protocol Error', 'MQTT 5.0 §3.1.2.11.10');
  }
  return bag as ConnectProperties | WillProperties;
}

function readPropertyValue(cur: Cursor, desc: PropertyDescriptor, blockEnd: number, kind: PropertyBlockKind): PropertyValue {
  const what = `${desc.label} value`;
  switch (desc.type) {
    case 'byte':
      cur.need(1, 'property-length-overrun', what, blockEnd);
      return cur.u8();
    case 'uint16':
      cur.need(2, 'property-length-overrun', what, blockEnd);
      return cur.u16();
    case 'uint32':
      cur.need(4, 'property-length-overrun', what, blockEnd);
      return cur.u32();
    case 'varint': {
      const v = readVarInt(cur.bytes, cur.pos, Math.min(blockEnd, cur.bytes.length));
      if (v.status === 'ok') {
        cur.pos += v.length;
        return v.value;
      }
      if (v.status === 'incomplete' && cur.bytes.length < blockEnd) cur.incomplete();
      return cur.fail('property-length-overrun', cur.pos, `${what} is not a variable byte integer within the ${BLOCK_NAME[kind]}`, 'MQTT 5.0 §1.5.5');
    }
    case 'utf8':
      return requireUtf8(cur, readPrefixed(cur, what, blockEnd), 'property', what);
    case 'binary': {
      const span = readPrefixed(cur, what, blockEnd);
      return cur.bytes.subarray(span.start, span.start + span.length);
    }
    case 'utf8pair': {
      const key = requireUtf8(cur, readPrefixed(cur, `${desc.label} name`, blockEnd), 'property', `${desc.label} name`);
      const val = requireUtf8(cur, readPrefixed(cur, `${desc.label} value`, blockEnd), 'property', `${desc.label} value`);
      return [key, val] as const;
    }
  }
}

/** Values the spec calls a Protocol Error (§3.1.2.11.x, §3.1.3.2.x). */
function checkPropertyValue(cur: Cursor, desc: PropertyDescriptor, value: PropertyValue, offset: number, kind: PropertyBlockKind): void {
  const zeroForbidden = desc.name === 'receiveMaximum' || desc.name === 'maximumPacketSize';
  const boolean = desc.name === 'requestResponseInformation' || desc.name === 'requestProblemInformation' || desc.name === 'payloadFormatIndicator';
  if (zeroForbidden && value === 0) {
    cur.fail('bad-property-value', offset, `${desc.label} 0 at offset ${offset} is a Protocol Error`, BLOCK_CLAUSE[kind]);
  }
  if (boolean && value !== 0 && value !== 1) {
    cur.fail('bad-property-value', offset, `${desc.label} must be 0 or 1, got ${String(value)} at offset ${offset}`, BLOCK_CLAUSE[kind]);
  }
}

function display(value: PropertyValue): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Uint8Array) return `${value.length} byte${value.length === 1 ? '' : 's'}`;
  return `${JSON.stringify(value[0])} = ${JSON.stringify(value[1])}`;
}
