// The protocol registry: the one door to protocol knowledge for the CLI, debugger and client (`--protocol`, `protocol` in protoext.json).
import { MQTT } from './mqtt';
import type { Protocol, ProtocolName } from './protocol';
import { RAW } from './raw';
import { SYSLOG } from './syslog';

export * from './protocol';
/** The typed options of a launch configuration's `{ "mqtt": {...} }` packet (the debugger's schema mirrors them). */
export type { MqttPacketOptions } from './mqtt';

export const PROTOCOLS: Readonly<Record<ProtocolName, Protocol>> = { mqtt: MQTT, syslog: SYSLOG, raw: RAW };

export const PROTOCOL_NAMES = Object.keys(PROTOCOLS) as ProtocolName[];

export const DEFAULT_PROTOCOL: ProtocolName = 'mqtt';

export function protocolByName(name: ProtocolName): Protocol {
  return PROTOCOLS[name];
}

/** `--protocol` text to a name; null when unknown (the caller says which names exist). */
export function parseProtocolName(text: string): ProtocolName | null {
  const name = text.toLowerCase();
  return (PROTOCOL_NAMES as string[]).includes(name) ? (name as ProtocolName) : null;
}
