// How a client's first flight is described (hex, a file, a pcap connection, a protocol preset, encoder options): shared by simulate, check and the debugger's launch arguments.
import type { MqttPacketOptions } from '../protocols';

/** `{ mqtt: {...} }`: a CONNECT built by the reference encoder (version defaults to 3.1.1). */
export interface MqttPacketSpec {
  mqtt: MqttPacketOptions;
}

/** `{ syslog: {...} }`: one message's fields, or `messages: [...]`, built by the syslog encoder. */
export interface SyslogPacketSpec {
  syslog: Record<string, unknown>;
}

/**
 * Where the client's first flight comes from. A bare string is hex (spaces, colons and 0x allowed); `preset` names
 * one of the protocol's test traffic presets (with its deliveries unless `chunks` says otherwise); with none, the
 * protocol's first preset.
 */
export type PacketSpec =
  | string
  | { file: string }
  | { pcap: string; connection?: number }
  | { preset: string }
  | MqttPacketSpec
  | SyslogPacketSpec;
