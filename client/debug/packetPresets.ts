// The CONNECT packets offered by "Debug CONNECT Parsing" (plain data, no vscode import, so tests can check them).
import type { LaunchArguments, PacketSpec } from '../../runtime/debug/launchConfig';

export interface PacketPreset {
  label: string;
  detail: string;
  packet: PacketSpec;
  chunks?: number[];
}

export const PACKET_PRESETS: readonly PacketPreset[] = [
  { label: 'MQTT 3.1', detail: '"MQIsdp" level 3, ClientID "client-31"', packet: { mqtt: { version: '3.1', clientId: 'client-31' } } },
  { label: 'MQTT 3.1.1', detail: '"MQTT" level 4, ClientID "client-311"', packet: { mqtt: { version: '3.1.1', clientId: 'client-311' } } },
  { label: 'MQTT 5.0', detail: 'level 5, no properties (property length 0 before the ClientID)', packet: { mqtt: { version: '5.0', clientId: 'client-5' } } },
  {
    label: 'MQTT 5.0 with properties',
    detail: 'Receive Maximum 20 and a user property, as mosquitto_pub -V mqttv5 sends',
    packet: { mqtt: { version: '5.0', clientId: 'client-5p', properties: { receiveMaximum: 20, userProperties: [['region', 'eu']] } } },
  },
  {
    label: 'Fragmented 3.1.1',
    detail: 'the same CONNECT delivered in three TCP segments (1, 6, rest): exercises ctxt:hold',
    packet: { mqtt: { version: '3.1.1', clientId: 'client-frag', username: 'alice', password: 'secret' } },
    chunks: [1, 6],
  },
  {
    label: 'Malformed: 5-byte remaining length',
    detail: 'remaining length encoded on 5 bytes (the spec allows 4)',
    packet: { mqtt: { version: '3.1.1', clientId: 'bad', remainingLengthWidth: 5 } },
  },
];

/** The launch configuration the command starts for a file and a preset. */
export function connectDebugConfiguration(program: string, preset: PacketPreset): LaunchArguments & { type: string; request: string; name: string } {
  return {
    type: 'protoext',
    request: 'launch',
    name: `Debug CONNECT parsing: ${preset.label}`,
    program,
    packet: preset.packet,
    ...(preset.chunks ? { chunks: preset.chunks } : {}),
    stopOnEntry: true,
  };
}
