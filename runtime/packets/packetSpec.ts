// How a client's first flight is described (hex, a file, a pcap connection, an MQTT CONNECT spec): shared by simulate, check and the debugger's launch arguments.
import type { ConnectOptions, MqttVersion } from '../mqtt';

/** `{ mqtt: {...} }`: a CONNECT built by the reference encoder (version defaults to 3.1.1). */
export interface MqttPacketSpec {
  mqtt: ConnectOptions & { version?: MqttVersion };
}

/** Where the client's first flight comes from. A bare string is hex (spaces, colons and 0x allowed). */
export type PacketSpec =
  | string
  | { file: string }
  | { pcap: string; connection?: number }
  | MqttPacketSpec;

/** The packet when nothing names one: a plain 3.1.1 CONNECT. */
export const DEFAULT_PACKET: PacketSpec = { mqtt: { version: '3.1.1', clientId: 'protoext-debug' } };
