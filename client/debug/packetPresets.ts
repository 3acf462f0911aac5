// The first flights offered by "Debug First Flight": the protocol's presets from the protocol interface (plain data, no vscode import, so tests can check them).
import type { LaunchArguments, PacketSpec } from '../../runtime/debug/launchConfig';
import type { Protocol } from '../../runtime/protocols';

export interface PacketPreset {
  label: string;
  detail: string;
  packet: PacketSpec;
}

/** The protocol's test traffic as debug packets; the adapter resolves each `{ preset }` (bytes and deliveries) through the same interface. */
export function packetPresets(protocol: Protocol): PacketPreset[] {
  return protocol.presets().map((p) => ({ label: p.label, detail: p.description, packet: { preset: p.name } }));
}

/** The launch configuration the command starts for a file, its protocol and a packet. */
export function firstFlightConfiguration(program: string, protocol: Protocol, preset: PacketPreset): LaunchArguments & { type: string; request: string; name: string } {
  return {
    type: 'protoext',
    request: 'launch',
    name: `Debug first flight (${protocol.title}): ${preset.label}`,
    program,
    protocol: protocol.name,
    packet: preset.packet,
    stopOnEntry: true,
  };
}
